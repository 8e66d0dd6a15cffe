package link

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/testkit"
	"edgeplane.io/device-agent/internal/tunnel"
)

// agentRecorder is the agent side of the link: it records what the link hands it.
type agentRecorder struct {
	mu      sync.Mutex
	specs   []model.Spec
	rvs     []string
	ups     []time.Time
	downs   []time.Time
	changes chan struct{}
}

func (r *agentRecorder) AdoptSpec(spec model.Spec, rv string, _ bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.specs = append(r.specs, spec)
	r.rvs = append(r.rvs, rv)
}

func (r *agentRecorder) StatusForWrite(now time.Time) model.Status {
	return model.Status{AgentVersion: "test", HeartbeatTime: now.UTC().Format(time.RFC3339), Workloads: []model.WorkloadStatus{}, Actions: []model.StatusAction{}}
}

func (r *agentRecorder) StatusChanges() <-chan struct{} { return r.changes }

func (r *agentRecorder) LinkUp(at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ups = append(r.ups, at)
}

func (r *agentRecorder) LinkDown(at time.Time, _ error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.downs = append(r.downs, at)
}

func (r *agentRecorder) StatusWritten(time.Time) {}

func (r *agentRecorder) count() (specs, ups, downs int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.specs), len(r.ups), len(r.downs)
}

func (r *agentRecorder) lastSpec() model.Spec {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.specs[len(r.specs)-1]
}

type setup struct {
	api      *apiserverStandIn
	proxy    *proxy
	agent    *agentRecorder
	ca       *testkit.CA
	certFile string
	client   *kube.Client
	link     *Link
}

func run(t *testing.T, configure func(*setup)) *setup {
	t.Helper()
	dir := t.TempDir()
	s := &setup{ca: testkit.NewCA(t, "client-ca"), agent: &agentRecorder{changes: make(chan struct{}, 1)}, certFile: filepath.Join(dir, "kubelet-client-current.pem")}
	s.api = newAPIServer(t, s.ca.Cert)
	s.api.spec = model.Spec{ActionsAcknowledged: 3, Workloads: []model.SeedWorkload{{Name: "pumps", Generation: 1, Run: true}}}
	s.proxy = newProxy(t, s.api.srv.Listener.Addr().String())
	caFile := testkit.WriteCAFile(t, dir, s.api.srv.Certificate())
	writeNodeCert(t, s.ca, s.certFile)
	client, err := kube.NewClient(s.proxy.url(), "dev1", caFile, s.certFile)
	if err != nil {
		t.Fatal(err)
	}
	s.client = client
	s.link = New(client, s.agent, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	if configure != nil {
		configure(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.link.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

func TestConnectReadsWritesTheStatusAndWatches(t *testing.T) {
	s := run(t, nil)
	testkit.WaitFor(t, 5*time.Second, "a watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 1 })
	if s.api.patchCount() != 1 {
		t.Fatalf("%d status writes on connection, want 1", s.api.patchCount())
	}
	p := s.api.lastPatch()
	if p.contentType != "application/merge-patch+json" || p.query != "fieldManager=edgeplane-device" || p.status["heartbeatTime"] == nil {
		t.Errorf("status write %+v", p)
	}
	if got := s.api.watches[0]; got != "allowWatchBookmarks=true&fieldSelector=metadata.name%3Ddev1&resourceVersion=100&watch=1" {
		t.Errorf("watch query %s", got)
	}
	if specs, ups, _ := s.agent.count(); specs != 1 || ups != 1 || s.agent.lastSpec().ActionsAcknowledged != 3 {
		t.Errorf("specs %d ups %d", specs, ups)
	}
	next := s.api.spec
	next.ActionsAcknowledged = 4
	s.api.setSpec(next, "MODIFIED")
	testkit.WaitFor(t, 5*time.Second, "the watched spec", func() bool { return s.agent.lastSpec().ActionsAcknowledged == 4 })
}

func TestStatusChangesAreWrittenDebounced(t *testing.T) {
	s := run(t, func(s *setup) { s.link.Debounce = 50 * time.Millisecond })
	testkit.WaitFor(t, 5*time.Second, "the first status", func() bool { return s.api.patchCount() == 1 })
	s.agent.changes <- struct{}{}
	testkit.WaitFor(t, 5*time.Second, "a status after a change", func() bool { return s.api.patchCount() == 2 })
}

func TestHeartbeats(t *testing.T) {
	s := run(t, func(s *setup) { s.link.Heartbeat = 100 * time.Millisecond })
	testkit.WaitFor(t, 5*time.Second, "three heartbeats", func() bool { return s.api.patchCount() >= 3 })
}

func TestReconnectsWithinTwoSecondsOfTheLinkReturning(t *testing.T) {
	s := run(t, nil)
	testkit.WaitFor(t, 5*time.Second, "connected", func() bool { _, ups, _ := s.agent.count(); return ups == 1 })
	s.proxy.cut()
	testkit.WaitFor(t, 5*time.Second, "the outage noticed", func() bool { _, _, downs := s.agent.count(); return downs == 1 })
	time.Sleep(2500 * time.Millisecond) // retries meanwhile are refused
	before := s.api.patchCount()
	back := time.Now()
	s.proxy.restore()
	testkit.WaitFor(t, 5*time.Second, "a status write after the link returned", func() bool { return s.api.patchCount() > before })
	took := s.api.lastPatch().at.Sub(back)
	t.Logf("status written %s after the link returned", took)
	if took > 2100*time.Millisecond {
		t.Errorf("the seed learnt the device is back after %s, want within ~2 s", took)
	}
}

func TestAFailedHeartbeatRestartsTheConnection(t *testing.T) {
	s := run(t, func(s *setup) { s.link.Heartbeat = 100 * time.Millisecond })
	testkit.WaitFor(t, 5*time.Second, "connected", func() bool { _, ups, _ := s.agent.count(); return ups == 1 })
	s.api.mu.Lock()
	s.api.failing = true
	s.api.mu.Unlock()
	testkit.WaitFor(t, 5*time.Second, "down", func() bool { _, _, downs := s.agent.count(); return downs == 1 })
	s.api.mu.Lock()
	s.api.failing = false
	s.api.mu.Unlock()
	testkit.WaitFor(t, 5*time.Second, "up again", func() bool { _, ups, _ := s.agent.count(); return ups == 2 })
}

func TestAMissingObjectIsNoNews(t *testing.T) {
	s := run(t, func(s *setup) { s.api.exists = false })
	testkit.WaitFor(t, 5*time.Second, "a watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 1 })
	if specs, ups, _ := s.agent.count(); specs != 0 || ups != 1 || s.api.patchCount() != 0 {
		t.Fatalf("specs %d ups %d patches %d: a 404 must change nothing and write nothing", specs, ups, s.api.patchCount())
	}
	if q := s.api.watches[0]; q != "allowWatchBookmarks=true&fieldSelector=metadata.name%3Ddev1&watch=1" {
		t.Errorf("watch query %s", q)
	}
	s.api.setSpec(model.Spec{}, "ADDED")
	testkit.WaitFor(t, 5*time.Second, "a status write once the object exists", func() bool { return s.api.patchCount() == 1 })
}

func TestAGoneWatchReadsTheObjectAgain(t *testing.T) {
	s := run(t, nil)
	testkit.WaitFor(t, 5*time.Second, "a watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 1 })
	s.api.sendRaw(`{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}`)
	testkit.WaitFor(t, 5*time.Second, "a second read", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return s.api.gets == 2 })
	if _, _, downs := s.agent.count(); downs != 0 {
		t.Error("a 410 is not an outage")
	}
}

func TestBookmarksMoveTheResumeVersion(t *testing.T) {
	s := run(t, nil)
	testkit.WaitFor(t, 5*time.Second, "a watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 1 })
	s.api.sendRaw(`{"type":"BOOKMARK","object":{"kind":"DeviceWorkloads","metadata":{"resourceVersion":"555"}}}`)
	time.Sleep(100 * time.Millisecond)
	s.api.mu.Lock()
	w := s.api.watchers[0]
	s.api.mu.Unlock()
	close(w) // the apiserver ends the watch cleanly
	testkit.WaitFor(t, 5*time.Second, "a resumed watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 2 })
	if q := s.api.watches[1]; q != "allowWatchBookmarks=true&fieldSelector=metadata.name%3Ddev1&resourceVersion=555&watch=1" {
		t.Errorf("resumed watch %s", q)
	}
	if specs, _, _ := s.agent.count(); specs != 1 {
		t.Errorf("a bookmark is not a spec (%d adopted)", specs)
	}
}

func TestARotatedClientCertificateIsUsedOnTheNextConnection(t *testing.T) {
	s := run(t, nil)
	testkit.WaitFor(t, 5*time.Second, "connected", func() bool { _, ups, _ := s.agent.count(); return ups == 1 })
	rotated := writeNodeCert(t, s.ca, s.certFile)
	s.proxy.cut()
	s.proxy.restore()
	testkit.WaitFor(t, 10*time.Second, "a request with the new certificate", func() bool {
		s.api.mu.Lock()
		defer s.api.mu.Unlock()
		return s.api.serials[len(s.api.serials)-1] == rotated
	})
}

func TestEachSessionStartDeliversTheTunnelTokenAsTheNode(t *testing.T) {
	token := "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(`{"iat":1796554800,"exp":1796558400}`)) + ".c2ln"
	var tokenFile string
	s := run(t, func(s *setup) {
		s.api.tunnelToken = token
		tokenFile = filepath.Join(filepath.Dir(s.certFile), "tunnel", "token")
		keeper := tunnel.NewKeeper(s.client, "dev1", tokenFile, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
		// Issued at 2026-12-06T10:00:00Z for an hour: fresh, so only session starts read it.
		keeper.Now = func() time.Time { return time.Date(2026, 12, 6, 10, 5, 0, 0, time.UTC) }
		s.link.Workers = []SessionWorker{keeper}
	})
	testkit.WaitFor(t, 5*time.Second, "the token file", func() bool { got, _ := os.ReadFile(tokenFile); return string(got) == token })
	s.api.mu.Lock()
	serials, node := append([]string(nil), s.api.secretSerials...), s.api.serials[0]
	s.api.mu.Unlock()
	if len(serials) != 1 || serials[0] != node {
		t.Errorf("Secret read %d times with certificates %v, want once with the node's (%s)", len(serials), serials, node)
	}
	// A refused read of the Secret is not the link's business.
	s.api.mu.Lock()
	s.api.secretCode = 503
	s.api.mu.Unlock()
	testkit.WaitFor(t, 5*time.Second, "a watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 1 })
	s.api.sendRaw(`{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version"}}`)
	testkit.WaitFor(t, 5*time.Second, "a read of the Secret in the next session", func() bool {
		s.api.mu.Lock()
		defer s.api.mu.Unlock()
		return len(s.api.secretSerials) == 2
	})
	testkit.WaitFor(t, 5*time.Second, "the next session's watch", func() bool { s.api.mu.Lock(); defer s.api.mu.Unlock(); return len(s.api.watches) == 2 })
	if _, ups, downs := s.agent.count(); ups != 2 || downs != 0 {
		t.Errorf("ups %d downs %d: a new session, and no outage for a refused Secret", ups, downs)
	}
	if got, _ := os.ReadFile(tokenFile); string(got) != token {
		t.Errorf("a failed read changed the token file: %q", got)
	}
}
