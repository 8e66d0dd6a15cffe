package tunnel

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/testkit"
)

// tunnelAgentStandIn answers /readyz as konnectivity-agent v0.34.0 does.
type tunnelAgentStandIn struct {
	srv *httptest.Server

	mu   sync.Mutex
	code int
	body string
	hang bool
}

// The readiness answers of konnectivity-agent.
const (
	readyBody   = "ok"
	unreadyBody = "[+]ping ok\n[-]server-connected failed: no servers connected\n"
)

func newTunnelAgent(t *testing.T) *tunnelAgentStandIn {
	a := &tunnelAgentStandIn{code: http.StatusServiceUnavailable, body: unreadyBody}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		code, body, hang := a.code, a.body, a.hang
		a.mu.Unlock()
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if hang {
			<-r.Context().Done()
			return
		}
		w.WriteHeader(code)
		w.Write([]byte(body))
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *tunnelAgentStandIn) answer(code int, body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.code, a.body, a.hang = code, body, false
}

// clock is a time the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

type monitorSetup struct {
	m       *Monitor
	agent   *tunnelAgentStandIn
	clock   *clock
	token   string
	changes atomic.Int32
}

func newMonitorSetup(t *testing.T) *monitorSetup {
	s := &monitorSetup{agent: newTunnelAgent(t), clock: &clock{now: t0}, token: filepath.Join(t.TempDir(), "tunnel", "token")}
	m, err := NewMonitor(s.agent.srv.URL+"/readyz", s.token, t0)
	if err != nil {
		t.Fatal(err)
	}
	m.Now = s.clock.Now
	m.OnChange = func() { s.changes.Add(1) }
	s.m = m
	if _, err := writeToken(s.token, []byte(tokenFor(t0, time.Hour))); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *monitorSetup) expect(t *testing.T, state string, since time.Time, reason string, changes int32) {
	t.Helper()
	want := model.LinkStatus{State: state, Since: stamp(since), Reason: reason}
	if got := s.m.Report(); got != want {
		t.Errorf("tunnel\n got %+v\nwant %+v", got, want)
	}
	if got := s.changes.Load(); got != changes {
		t.Errorf("%d status writes asked for, want %d", got, changes)
	}
}

func TestTunnelStateFollowsTheTunnelAgentsReadiness(t *testing.T) {
	s := newMonitorSetup(t)
	ctx := context.Background()
	s.expect(t, "disconnected", t0, "the tunnel agent has not been checked yet", 0)

	up := s.clock.advance(time.Second)
	s.agent.answer(http.StatusOK, readyBody)
	s.m.Probe(ctx)
	s.expect(t, "connected", up, "", 1)
	s.clock.advance(5 * time.Second)
	s.m.Probe(ctx)
	s.expect(t, "connected", up, "", 1)

	down := s.clock.advance(5 * time.Second)
	s.agent.answer(http.StatusServiceUnavailable, unreadyBody)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", down, "the tunnel agent is not connected to the tunnel server (no servers connected)", 2)
	s.clock.advance(5 * time.Second)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", down, "the tunnel agent is not connected to the tunnel server (no servers connected)", 2)

	s.agent.answer(http.StatusNotFound, "404 page not found\n")
	s.m.Probe(ctx)
	s.expect(t, "disconnected", down, "the tunnel agent's health endpoint "+s.agent.srv.URL+"/readyz answered 404 Not Found (404 page not found)", 3)

	s.agent.answer(http.StatusServiceUnavailable, "")
	s.m.Probe(ctx)
	s.expect(t, "disconnected", down, "the tunnel agent is not connected to the tunnel server (503 Service Unavailable)", 4)

	host := strings.TrimPrefix(s.agent.srv.URL, "http://")
	s.agent.srv.Close()
	s.m.Probe(ctx)
	s.expect(t, "disconnected", down, "the tunnel agent does not answer on "+host+" (not running?)", 5)
}

func TestAHungTunnelAgentIsGivenUpOnAfterTheTimeout(t *testing.T) {
	s := newMonitorSetup(t)
	s.m.Timeout = 50 * time.Millisecond
	s.agent.mu.Lock()
	s.agent.hang = true
	s.agent.mu.Unlock()
	started := time.Now()
	s.m.Probe(context.Background())
	if took := time.Since(started); took > time.Second {
		t.Errorf("a probe took %s", took)
	}
	host := strings.TrimPrefix(s.agent.srv.URL, "http://")
	s.expect(t, "disconnected", t0, "the tunnel agent does not answer on "+host+" within 50ms (hung?)", 1)
}

func TestTheReasonNamesAMissingOrExpiredToken(t *testing.T) {
	s := newMonitorSetup(t)
	ctx := context.Background()
	const notConnected = "the tunnel agent is not connected to the tunnel server (no servers connected)"
	s.m.Probe(ctx)
	s.expect(t, "disconnected", t0, notConnected, 1)

	os.Remove(s.token)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", t0, notConnected+"; no tunnel token yet", 2)

	os.WriteFile(s.token, []byte("garbage"), 0o600)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", t0, notConnected+"; no tunnel token yet", 2)

	os.WriteFile(s.token, []byte(tokenFor(t0, time.Hour)), 0o600)
	s.clock.advance(61 * time.Minute)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", t0, notConnected+"; the tunnel token expired at 2026-12-06T12:00:00Z", 3)

	s.agent.answer(http.StatusOK, readyBody)
	s.m.Probe(ctx)
	s.expect(t, "connected", t0.Add(61*time.Minute), "", 4)

	s.m.TokenPath = "" // the agent does not deliver tokens: it says nothing of them
	s.agent.answer(http.StatusServiceUnavailable, unreadyBody)
	s.m.Probe(ctx)
	s.expect(t, "disconnected", t0.Add(61*time.Minute), notConnected, 5)
}

func TestTheMonitorProbesUntilStopped(t *testing.T) {
	s := newMonitorSetup(t)
	s.m.Interval = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.m.Run(ctx) }()
	testkit.WaitFor(t, 5*time.Second, "the first probe", func() bool { return s.changes.Load() == 1 })
	s.agent.answer(http.StatusOK, readyBody)
	testkit.WaitFor(t, 5*time.Second, "connected", func() bool { return s.m.Report().State == model.LinkConnected })
	cancel()
	<-done
	if s.changes.Load() != 2 {
		t.Errorf("%d changes, want 2", s.changes.Load())
	}
}

func TestTheHealthURLIsChecked(t *testing.T) {
	for _, bad := range []string{"127.0.0.1:8093/readyz", "ftp://127.0.0.1/readyz", "http:///readyz", "http://user:pw@127.0.0.1:8093/readyz", "::"} {
		if _, err := NewMonitor(bad, "", t0); err == nil || !strings.Contains(err.Error(), "--tunnel-health") {
			t.Errorf("NewMonitor(%q) = %v", bad, err)
		}
	}
}

func TestFailedChecksAreReadFromTheBody(t *testing.T) {
	cases := map[string]string{
		unreadyBody: "no servers connected",
		"[-]a failed: one\n[-]b failed: two\n[+]c ok": "one; two",
		"  some\n text  ":        "some text",
		strings.Repeat("é", 300): strings.Repeat("é", 200) + "...",
	}
	for body, want := range cases {
		if got := failedChecks([]byte(body), "503 Service Unavailable"); got != want {
			t.Errorf("failedChecks(%q) = %q, want %q", body, got, want)
		}
	}
}
