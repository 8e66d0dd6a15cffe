package tunnel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

// The tunnel agent's readiness, as the agent checks it (TUNNEL.md): every 5 s, 2 s at most each.
const (
	ProbeInterval = 5 * time.Second
	ProbeTimeout  = 2 * time.Second
)

// notChecked is the reason until the first probe answered.
const notChecked = "the tunnel agent has not been checked yet"

// Monitor probes the tunnel agent's readiness endpoint (konnectivity-agent /readyz: 200 once
// it holds a connection to a tunnel server, 503 "no servers connected" else) and keeps the
// tunnel's state for the status.
type Monitor struct {
	url  string
	host string // host:port, as the reasons name it
	// TokenPath is the token file, read for the likely cause of a disconnection ("" = the
	// agent does not deliver tokens, so it says nothing about them).
	TokenPath string
	Interval  time.Duration
	Timeout   time.Duration
	Now       func() time.Time
	// OnChange is called after the state or the reason changed (the agent writes its status).
	OnChange func()

	client *http.Client

	mu        sync.Mutex
	connected bool
	since     time.Time
	reason    string
}

// NewMonitor checks the health URL (--tunnel-health) and starts disconnected, since start.
func NewMonitor(healthURL, tokenPath string, start time.Time) (*Monitor, error) {
	u, err := url.Parse(healthURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("--tunnel-health: %q is not an http(s)://HOST:PORT/PATH URL", healthURL)
	}
	return &Monitor{
		url: u.String(), host: u.Host, TokenPath: tokenPath,
		Interval: ProbeInterval, Timeout: ProbeTimeout, Now: time.Now,
		client: &http.Client{Transport: &http.Transport{
			// The tunnel agent listens on loopback: never through the datacenter's proxy, and a
			// fresh connection each time, so that a restarted agent is seen as it is.
			Proxy:             nil,
			DisableKeepAlives: true,
		}},
		since:  start.UTC(),
		reason: notChecked,
	}, nil
}

// Run probes at once, then every Interval until ctx ends.
func (m *Monitor) Run(ctx context.Context) {
	tick := time.NewTicker(m.Interval)
	defer tick.Stop()
	for {
		m.Probe(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Report is status.tunnel now.
func (m *Monitor) Report() model.LinkStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := model.LinkStatus{State: model.LinkDisconnected, Since: stamp(m.since), Reason: m.reason}
	if m.connected {
		st.State = model.LinkConnected
	}
	return st
}

// Probe asks the tunnel agent once and records the answer.
func (m *Monitor) Probe(ctx context.Context) {
	connected, reason := m.ask(ctx)
	if ctx.Err() != nil {
		return // stopping: a cancelled probe says nothing about the tunnel
	}
	if !connected {
		reason += m.tokenHint()
	}
	m.mu.Lock()
	changed := connected != m.connected || reason != m.reason
	if connected != m.connected {
		m.since = m.Now().UTC()
	}
	m.connected, m.reason = connected, reason
	m.mu.Unlock()
	if changed && m.OnChange != nil {
		m.OnChange()
	}
}

// ask is one readiness request: connected, or why not.
func (m *Monitor) ask(ctx context.Context) (bool, string) {
	ctx, cancel := context.WithTimeout(ctx, m.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.url, nil)
	if err != nil {
		return false, err.Error()
	}
	resp, err := m.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return false, fmt.Sprintf("the tunnel agent does not answer on %s within %s (hung?)", m.host, m.Timeout)
		}
		return false, fmt.Sprintf("the tunnel agent does not answer on %s (not running?)", m.host)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch resp.StatusCode {
	case http.StatusOK:
		return true, ""
	case http.StatusServiceUnavailable:
		return false, fmt.Sprintf("the tunnel agent is not connected to the tunnel server (%s)", failedChecks(body, resp.Status))
	default:
		return false, fmt.Sprintf("the tunnel agent's health endpoint %s answered %s (%s)", m.url, resp.Status, failedChecks(body, resp.Status))
	}
}

// failedChecks is what a readiness body says went wrong: the messages of its failed checks
// ("[-]server-connected failed: no servers connected"), else its text on one line.
func failedChecks(body []byte, status string) string {
	var failed []string
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "[-]"); ok {
			if _, msg, ok := strings.Cut(rest, " failed: "); ok {
				rest = msg
			}
			failed = append(failed, strings.TrimSpace(rest))
		}
	}
	text := strings.Join(failed, "; ")
	if text == "" {
		text = strings.Join(strings.Fields(string(body)), " ")
	}
	if text == "" {
		return status
	}
	if r := []rune(text); len(r) > 200 {
		text = string(r[:200]) + "..."
	}
	return text
}

// tokenHint names the token when it is the likely cause of a disconnection.
func (m *Monitor) tokenHint() string {
	if m.TokenPath == "" {
		return ""
	}
	_, tok, present, err := readToken(m.TokenPath)
	switch {
	case err != nil:
		return "; the tunnel token cannot be read (" + err.Error() + ")"
	case !present:
		return "; no tunnel token yet"
	case tok.Expired(m.Now()):
		return "; the tunnel token expired at " + stamp(tok.Expires)
	}
	return ""
}
