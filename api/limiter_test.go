package api

import (
	"sync"
	"testing"
)

// TestAPI_LoginLimitHoldsUnderParallelGuesses fires many wrong passwords
// for one account at once: no more than the limit may reach the password
// check.
func TestAPI_LoginLimitHoldsUnderParallelGuesses(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const n = 20
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do("", "POST", "/api/v1/auth/login", map[string]any{"email": "officer@office.example", "password": "wrong guess number"})
				statuses <- r.Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[401] != maxFailsPerAccount || count[429] != n-maxFailsPerAccount {
			t.Errorf("statuses %v, want %d x 401 and %d x 429", count, maxFailsPerAccount, n-maxFailsPerAccount)
		}
	})
}
