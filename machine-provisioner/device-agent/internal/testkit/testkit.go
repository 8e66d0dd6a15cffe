// Package testkit holds the helpers that the module's tests share: a CA that issues
// certificates, a log buffer that a test reads while the code under test writes it, and a
// poll-until.
//
// It is imported only by _test.go files: the helpers call t.Fatal and trade care for brevity,
// which is right for a test and wrong for the agent. TestNothingButTestsImportTheKit keeps it so.
package testkit

import (
	"net"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
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

// RefusingAddress is a loopback port that refuses connections for the whole test: a socket bound
// to it that does not listen keeps it. A listener closed at once frees its port, and a test running
// beside this one may get it and accept a dial meant to be refused.
func RefusingAddress(t testing.TB) string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*unix.SockaddrInet4).Port))
}
