package kube

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/testkit"
)

func TestRaceDialConnects(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	conn, err := raceDial(context.Background(), "tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func TestRaceDialKeepsTryingAndReportsTheTellingError(t *testing.T) {
	addr := testkit.RefusingAddress(t)
	start := time.Now()
	_, err := raceDial(context.Background(), "tcp", addr)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v, want connection refused", err)
	}
	if took := time.Since(start); took < dialBudget-100*time.Millisecond || strings.Contains(err.Error(), "timeout") {
		t.Errorf("gave up after %s with %v: attempts go on for the whole budget", took, err)
	}
}

func TestDialFailurePrefersTellingErrors(t *testing.T) {
	var f dialFailure
	refused := errors.New("connection refused")
	f.add(context.DeadlineExceeded)
	f.add(refused)
	f.add(context.DeadlineExceeded)
	if f.err != refused {
		t.Errorf("kept %v", f.err)
	}
}
