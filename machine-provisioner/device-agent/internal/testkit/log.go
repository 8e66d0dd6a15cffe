package testkit

import (
	"log/slog"
	"strings"
	"sync"
)

// SyncBuffer collects what a logger writes; the lock lets the test read it while the code
// under test is still writing from its goroutines.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Count is how often sub occurs: tests check that a line is logged once, not on every retry.
func (s *SyncBuffer) Count(sub string) int { return strings.Count(s.String(), sub) }

// NewLog is a text logger and the buffer it writes to.
func NewLog() (*slog.Logger, *SyncBuffer) {
	var b SyncBuffer
	return slog.New(slog.NewTextHandler(&b, nil)), &b
}
