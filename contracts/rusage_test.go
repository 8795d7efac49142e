//go:build unix

package contracts

import "syscall"

// cpuTime returns the CPU time (user and system) the process has used so
// far, in nanoseconds: on a shared machine it varies far less with the
// other processes' load than wall time does.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
