package link

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/testkit"
)

// apiserverStandIn answers the agent's three requests the way kube-apiserver does for a
// DeviceWorkloads object with a status subresource, and requires the node's client certificate.
type apiserverStandIn struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	rv       int
	exists   bool
	spec     model.Spec
	failing  bool // answer 503 (an apiserver restarting)
	patches  []patch
	gets     int
	watches  []string // the query of each watch
	serials  []string // client certificate serial of each request
	watchers []chan string
	changed  chan struct{}
	// The node's tunnel Secret: its token ("" = not issued, 404), or secretCode instead.
	tunnelToken   string
	secretCode    int
	secretSerials []string // client certificate serial of each read of the Secret
}

const tunnelSecretPath = "/api/v1/namespaces/edgeplane-workloads/secrets/edgeplane-tunnel-dev1"

type patch struct {
	at          time.Time
	contentType string
	query       string
	status      map[string]any
}

const objectPath = "/apis/edgeplane.io/v1alpha1/namespaces/edgeplane-workloads/deviceworkloads"

func newAPIServer(t *testing.T, clientCA *x509.Certificate) *apiserverStandIn {
	a := &apiserverStandIn{t: t, rv: 100, exists: true, changed: make(chan struct{}, 100)}
	a.srv = httptest.NewUnstartedServer(http.HandlerFunc(a.serve))
	pool := x509.NewCertPool()
	pool.AddCert(clientCA)
	a.srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	a.srv.StartTLS()
	t.Cleanup(a.srv.Close)
	return a
}

func (a *apiserverStandIn) object() map[string]any {
	return map[string]any{
		"apiVersion": "edgeplane.io/v1alpha1", "kind": "DeviceWorkloads",
		"metadata": map[string]any{"name": "dev1", "namespace": "edgeplane-workloads", "resourceVersion": fmt.Sprint(a.rv)},
		"spec":     a.spec,
	}
}

func (a *apiserverStandIn) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.serials = append(a.serials, r.TLS.PeerCertificates[0].SerialNumber.String())
	if a.failing {
		a.mu.Unlock()
		http.Error(w, `{"message":"starting"}`, http.StatusServiceUnavailable)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == tunnelSecretPath:
		a.secretSerials = append(a.secretSerials, a.serials[len(a.serials)-1])
		code, token := a.secretCode, a.tunnelToken
		a.mu.Unlock()
		switch {
		case code != 0:
			http.Error(w, `{"message":"failing"}`, code)
		case token == "":
			http.Error(w, `{"kind":"Status","code":404,"message":"secrets \"edgeplane-tunnel-dev1\" not found"}`, http.StatusNotFound)
		default:
			json.NewEncoder(w).Encode(map[string]any{"kind": "Secret", "data": map[string][]byte{"token": []byte(token)}})
		}
	case r.Method == http.MethodGet && r.URL.Path == objectPath+"/dev1":
		a.gets++
		if !a.exists {
			a.mu.Unlock()
			http.Error(w, `{"kind":"Status","code":404,"message":"deviceworkloads \"dev1\" not found"}`, http.StatusNotFound)
			return
		}
		body := a.object()
		a.mu.Unlock()
		json.NewEncoder(w).Encode(body)
	case r.Method == http.MethodPatch && r.URL.Path == objectPath+"/dev1/status":
		if !a.exists {
			a.mu.Unlock()
			http.Error(w, `{"message":"not found"}`, http.StatusNotFound)
			return
		}
		var body map[string]map[string]any
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &body); err != nil {
			a.t.Errorf("status patch body %s: %v", raw, err)
		}
		a.patches = append(a.patches, patch{time.Now(), r.Header.Get("Content-Type"), r.URL.RawQuery, body["status"]})
		a.rv++
		a.broadcast("MODIFIED")
		obj := a.object()
		a.mu.Unlock()
		json.NewEncoder(w).Encode(obj)
		a.changed <- struct{}{}
	case r.Method == http.MethodGet && r.URL.Path == objectPath && r.URL.Query().Get("watch") == "1":
		a.watches = append(a.watches, r.URL.RawQuery)
		events := make(chan string, 100)
		a.watchers = append(a.watchers, events)
		a.mu.Unlock()
		a.changed <- struct{}{}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case line, ok := <-events:
				if !ok {
					return
				}
				io.WriteString(w, line+"\n")
				w.(http.Flusher).Flush()
			}
		}
	default:
		a.mu.Unlock()
		a.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	}
}

// broadcast sends an event with the current object to every open watch (a.mu held).
func (a *apiserverStandIn) broadcast(kind string) {
	ev, _ := json.Marshal(map[string]any{"type": kind, "object": a.object()})
	for _, ch := range a.watchers {
		select {
		case ch <- string(ev):
		default:
		}
	}
}

func (a *apiserverStandIn) sendRaw(line string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ch := range a.watchers {
		ch <- line
	}
}

func (a *apiserverStandIn) setSpec(spec model.Spec, kind string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.spec = spec
	a.exists = true
	a.rv++
	a.broadcast(kind)
}

func (a *apiserverStandIn) patchCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.patches)
}

func (a *apiserverStandIn) lastPatch() patch {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.patches[len(a.patches)-1]
}

// writeNodeCert writes a new node certificate the way the kubelet does: a new file, then the
// link swapped to it, so that a connection never reads half a certificate. It returns the
// new serial.
func writeNodeCert(t *testing.T, ca *testkit.CA, path string) string {
	t.Helper()
	staged := path + ".new"
	serial := ca.WriteNodeCert(t, staged, "dev1")
	target := fmt.Sprintf("%s-%d", path, serial)
	if err := os.Rename(staged, target); err != nil {
		t.Fatal(err)
	}
	tmpLink := filepath.Join(filepath.Dir(path), ".link")
	os.Remove(tmpLink)
	if err := os.Symlink(target, tmpLink); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmpLink, path); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(serial)
}

// proxy is the WAN between device and apiserver: it can be cut and restored.
type proxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: target}
	go p.accept()
	t.Cleanup(func() { l.Close(); p.cut() })
	return p
}

func (p *proxy) accept() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go func() { io.Copy(up, c); up.Close() }()
		go func() { io.Copy(c, up); c.Close() }()
	}
}

// cut drops every connection and refuses new ones until restore.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

func (p *proxy) url() string { return "https://" + p.l.Addr().String() }
