//go:build !unix

package contracts

func cpuTime() int64 { return 0 }
