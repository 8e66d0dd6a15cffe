// Package testkit holds the helpers that the module's tests share: a CA that issues
// certificates, a log buffer that a test reads while the code under test writes it, and a
// poll-until.
//
// It is imported only by _test.go files: the helpers call t.Fatal and trade care for brevity,
// which is right for a test and wrong for the agent. TestNothingButTestsImportTheKit keeps it so.
package testkit

import (
	"testing"
	"time"
)

// WaitFor polls cond until it holds, failing the test once timeout has passed. The code under
// test runs in goroutines of its own, so a test can only watch for the outcome.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
