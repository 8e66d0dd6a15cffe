package tunnel

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/testkit"
)

const secretPath = "/api/v1/namespaces/edgeplane-workloads/secrets/edgeplane-tunnel-dev1"

// seedStandIn answers GET of the node's tunnel Secret as kube-apiserver does.
type seedStandIn struct {
	t   *testing.T
	srv *httptest.Server

	mu    sync.Mutex
	token string // "" = the seed has not issued one (404)
	code  int    // answer this code instead (403 before the Role, 503 ...)
	gets  []time.Time
}

func newSeed(t *testing.T) *seedStandIn {
	s := &seedStandIn{t: t}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *seedStandIn) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != secretPath {
		s.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gets = append(s.gets, time.Now())
	switch {
	case s.code != 0:
		http.Error(w, `{"kind":"Status","message":"secrets \"edgeplane-tunnel-dev1\" is forbidden"}`, s.code)
	case s.token == "":
		http.Error(w, `{"kind":"Status","code":404,"message":"secrets \"edgeplane-tunnel-dev1\" not found"}`, http.StatusNotFound)
	default:
		json.NewEncoder(w).Encode(map[string]any{
			"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
			"metadata": map[string]any{"name": "edgeplane-tunnel-dev1", "namespace": "edgeplane-workloads"},
			"data":     map[string][]byte{"token": []byte(s.token)},
		})
	}
}

func (s *seedStandIn) set(token string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.code = token, code
}

func (s *seedStandIn) getCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.gets)
}

// keeperFor is a keeper of the stand-in's token, writing below a fresh directory, at a fixed time.
func keeperFor(t *testing.T, seed *seedStandIn, now time.Time) (*Keeper, *testkit.SyncBuffer) {
	t.Helper()
	dir := t.TempDir()
	caFile := testkit.WriteCAFile(t, dir, seed.srv.Certificate())
	client, err := kube.NewClient(seed.srv.URL, "dev1", caFile, filepath.Join(dir, "unused-client-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	logger, log := testkit.NewLog()
	k := NewKeeper(client, "dev1", filepath.Join(dir, "lib", "tunnel", "token"), time.Hour, logger)
	k.Now = func() time.Time { return now }
	return k, log
}

func runSession(t *testing.T, k *Keeper) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); k.RunSession(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func fileHolds(path, want string) bool {
	got, err := os.ReadFile(path)
	return err == nil && string(got) == want
}

func TestASessionStartDeliversTheTokenPrivately(t *testing.T) {
	seed := newSeed(t)
	token := tokenFor(t0, time.Hour)
	seed.set(token+"\n", 0) // the file gets the JWT alone: the tunnel agent sends its bytes as they are
	k, log := keeperFor(t, seed, t0.Add(time.Minute))
	runSession(t, k)
	// The log line follows the file's rename.
	testkit.WaitFor(t, 5*time.Second, "the token file and its log line", func() bool {
		return fileHolds(k.Path, token) && strings.Contains(log.String(), "delivered a new tunnel token")
	})
	info, _ := os.Stat(k.Path)
	dir, _ := os.Stat(filepath.Dir(k.Path))
	if info.Mode().Perm() != 0o600 || dir.Mode().Perm() != 0o700 {
		t.Errorf("token file %v in directory %v, want 0600 in 0700", info.Mode(), dir.Mode())
	}
	if !strings.Contains(log.String(), "step=tunnel-token") {
		t.Errorf("log %s", log)
	}
	if seed.getCount() != 1 {
		t.Errorf("%d reads of a fresh token's Secret within the first heartbeat, want 1", seed.getCount())
	}
}

func TestAnEqualTokenIsNotRewritten(t *testing.T) {
	seed := newSeed(t)
	token := tokenFor(t0, time.Hour)
	seed.set(token, 0)
	k, _ := keeperFor(t, seed, t0)
	k.Refresh(context.Background())
	old := time.Now().Add(-time.Hour)
	os.Chtimes(k.Path, old, old)
	before, _ := os.Stat(k.Path)
	k.Refresh(context.Background())
	after, _ := os.Stat(k.Path)
	if seed.getCount() != 2 || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("reads %d; the file was replaced or touched although it held the token", seed.getCount())
	}
}

func TestATokenPastHalfItsLifeIsRefreshedOncePerHeartbeat(t *testing.T) {
	seed := newSeed(t)
	now := t0.Add(40 * time.Minute)
	old := tokenFor(t0, time.Hour) // 40 of 60 minutes gone
	seed.set(old, 0)               // the seed has not re-minted it yet
	k, _ := keeperFor(t, seed, now)
	k.Every = 40 * time.Millisecond
	started := time.Now()
	runSession(t, k)
	testkit.WaitFor(t, 5*time.Second, "three reads of a token past half its life", func() bool { return seed.getCount() >= 3 })
	fresh := tokenFor(now, time.Hour)
	seed.set(fresh, 0)
	testkit.WaitFor(t, 5*time.Second, "the re-minted token", func() bool { return fileHolds(k.Path, fresh) })
	reads, elapsed := seed.getCount(), time.Since(started)
	// One read at the session start, then at most one per heartbeat (a tick delayed by a slow
	// read may come early, never an extra one).
	if most := 1 + int(elapsed/k.Every); reads > most {
		t.Errorf("%d reads in %s, at most %d with a heartbeat of %s", reads, elapsed, most, k.Every)
	}
	time.Sleep(5 * k.Every)
	if seed.getCount() != reads {
		t.Errorf("%d more reads with a fresh token in the file", seed.getCount()-reads)
	}
}

func TestNoTokenIssuedOrARefusalKeepsTheFile(t *testing.T) {
	seed := newSeed(t)
	k, log := keeperFor(t, seed, t0)
	held := tokenFor(t0, time.Hour)
	if _, err := writeToken(k.Path, []byte(held)); err != nil {
		t.Fatal(err)
	}
	for _, code := range []int{0, http.StatusForbidden, http.StatusServiceUnavailable} {
		seed.set("", code)
		k.Refresh(context.Background())
		k.Refresh(context.Background())
		if !fileHolds(k.Path, held) {
			t.Fatalf("answer %d changed the token file", code)
		}
	}
	for _, want := range []string{"no tunnel token issued yet", "cannot read the tunnel token"} {
		if log.Count(want) != 1 {
			t.Errorf("log %q: want %q once (a failure repeated every heartbeat is logged once)", log, want)
		}
	}
	seed.set("not-a-jwt", 0)
	k.Refresh(context.Background())
	if !fileHolds(k.Path, held) || !strings.Contains(log.String(), "the tunnel Secret holds no usable token") {
		t.Errorf("a Secret without a usable token replaced the file; log %s", log)
	}
}

func TestAMissingOrMalformedTokenIsDue(t *testing.T) {
	k, _ := keeperFor(t, newSeed(t), t0.Add(10*time.Minute))
	if !k.due() {
		t.Error("no token file: due")
	}
	os.MkdirAll(filepath.Dir(k.Path), 0o700)
	os.WriteFile(k.Path, []byte("garbage"), 0o600)
	if !k.due() {
		t.Error("a malformed token counts as absent: due")
	}
	os.WriteFile(k.Path, []byte(tokenFor(t0, time.Hour)), 0o600)
	if k.due() {
		t.Error("a token 10 of 60 minutes old is not due")
	}
}

func TestTheTokenDirectoryIsMadePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tunnel")
	os.Mkdir(dir, 0o755)
	path := filepath.Join(dir, "token")
	os.WriteFile(path, []byte("old"), 0o644)
	if written, err := writeToken(path, []byte("new")); err != nil || !written {
		t.Fatalf("writeToken = %v, %v", written, err)
	}
	info, _ := os.Stat(path)
	d, _ := os.Stat(dir)
	if info.Mode().Perm() != 0o600 || d.Mode().Perm() != 0o700 {
		t.Errorf("file %v dir %v", info.Mode(), d.Mode())
	}
}
