package podnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/testkit"
)

// relayStandIn is the seed's relay as far as TLS goes: a crypto/tls listener that serves the
// cluster's name with a certificate from the cluster's CA and requires a client certificate
// from the same CA. It notes what each handshake showed.
type relayStandIn struct {
	l     net.Listener
	conns chan *tls.Conn

	mu        sync.Mutex
	hellos    []string // SNI of each handshake
	versions  []uint16
	clientCNs []string
	serials   []int64
}

func newRelay(t *testing.T, ca *testkit.CA, name string, tweak func(*tls.Config)) *relayStandIn {
	t.Helper()
	serving := ca.ServingCert(t, name)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	r := &relayStandIn{conns: make(chan *tls.Conn, 16)}
	cfg := &tls.Config{
		ClientAuth: tls.RequireAndVerifyClientCert,
		ClientCAs:  pool,
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			r.mu.Lock()
			r.hellos = append(r.hellos, hello.ServerName)
			r.mu.Unlock()
			return &serving, nil
		},
		VerifyConnection: func(cs tls.ConnectionState) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.versions = append(r.versions, cs.Version)
			if len(cs.PeerCertificates) > 0 {
				r.clientCNs = append(r.clientCNs, cs.PeerCertificates[0].Subject.CommonName)
				r.serials = append(r.serials, cs.PeerCertificates[0].SerialNumber.Int64())
			}
			return nil
		},
	}
	if tweak != nil {
		tweak(cfg)
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	r.l = l
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			tc := c.(*tls.Conn)
			go func() {
				if tc.Handshake() != nil {
					tc.Close()
					return
				}
				r.conns <- tc
			}()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return r
}

func (r *relayStandIn) addr() string { return r.l.Addr().String() }

// accepted is the next connection whose handshake succeeded.
func (r *relayStandIn) accepted(t *testing.T) *tls.Conn {
	t.Helper()
	select {
	case c := <-r.conns:
		t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no connection reached the relay")
		return nil
	}
}

// deviceFiles writes the device's CA and kubelet certificate and returns a config for them.
func deviceFiles(t *testing.T, ca *testkit.CA, relay string) (Config, string) {
	dir := t.TempDir()
	cfg := testConfig()
	cfg.Relay = relay
	cfg.CAFile = testkit.WriteCAFile(t, dir, ca.Cert)
	cfg.CertFile = filepath.Join(dir, "kubelet-client-current.pem")
	ca.WriteNodeCert(t, cfg.CertFile, "dev1")
	return cfg, dir
}

func TestTheDeviceDialsAsTheNodeWithTheClustersNameOverTLS13(t *testing.T) {
	ca := testkit.NewCA(t, "kubernetes")
	relay := newRelay(t, ca, testConfig().ServerName, nil)
	cfg, _ := deviceFiles(t, ca, relay.addr())
	d := dialer{cfg: cfg, timeout: 5 * time.Second}

	conn, err := d.dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	relay.accepted(t)
	if v := conn.(*tls.Conn).ConnectionState().Version; v != tls.VersionTLS13 {
		t.Errorf("TLS version %x, want 1.3", v)
	}
	// The kubelet rotates its certificate: the next dial shows the new one.
	rotated := ca.WriteNodeCert(t, cfg.CertFile, "dev1")
	conn2, err := d.dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	relay.accepted(t)
	relay.mu.Lock()
	defer relay.mu.Unlock()
	if len(relay.hellos) != 2 || relay.hellos[0] != cfg.ServerName || relay.hellos[1] != cfg.ServerName {
		t.Errorf("SNI %q, want %q", relay.hellos, cfg.ServerName)
	}
	if len(relay.clientCNs) != 2 || relay.clientCNs[0] != "system:node:dev1" {
		t.Errorf("client certificates %q", relay.clientCNs)
	}
	if len(relay.serials) != 2 || relay.serials[1] != rotated || relay.serials[0] == rotated {
		t.Errorf("client certificate serials %v, want the rotated %d second", relay.serials, rotated)
	}
}

func TestTheDeviceRefusesARelayItCannotVerify(t *testing.T) {
	ca := testkit.NewCA(t, "kubernetes")
	cases := map[string]struct {
		relay *relayStandIn
		want  string
	}{
		"another cluster's CA": {newRelay(t, testkit.NewCA(t, "kubernetes"), testConfig().ServerName, nil), "certificate signed by unknown authority"},
		"another name":         {newRelay(t, ca, "cother00000.pod-network.edgeplane.invalid", nil), "certificate is valid for cother00000.pod-network.edgeplane.invalid, not cabcdefghij.pod-network.edgeplane.invalid"},
		"TLS 1.2 only": {newRelay(t, ca, testConfig().ServerName, func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 }),
			"protocol version not supported"},
	}
	for name, c := range cases {
		cfg, _ := deviceFiles(t, ca, c.relay.addr())
		_, err := dialer{cfg: cfg, timeout: 5 * time.Second}.dial(context.Background())
		want := "TLS handshake with the relay " + cfg.Relay + " (" + cfg.ServerName + ") failed: "
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q ... %q", name, err, want, c.want)
		}
	}
}

func TestADialFailureSaysWhatIsMissing(t *testing.T) {
	ca := testkit.NewCA(t, "kubernetes")
	relay := newRelay(t, ca, testConfig().ServerName, nil)
	cfg, dir := deviceFiles(t, ca, relay.addr())

	noCert := cfg
	noCert.CertFile = filepath.Join(dir, "none.pem")
	noCA := cfg
	noCA.CAFile = filepath.Join(dir, "none.crt")
	refused := cfg
	refused.Relay = testkit.RefusingAddress(t)
	for c, want := range map[*Config]string{
		&noCert:  "cannot read the kubelet's client certificate: " + noCert.CertFile + ": no such file or directory",
		&noCA:    "cannot read the cluster CA: " + noCA.CAFile + ": no such file or directory",
		&refused: "cannot reach the relay " + refused.Relay + ": connection refused",
	} {
		if _, err := (dialer{cfg: *c, timeout: 5 * time.Second}).dial(context.Background()); err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// connectProxy is an HTTP CONNECT proxy like the datacenter's: it notes each request and
// tunnels to the target, or refuses with refuse.
type connectProxy struct {
	srv    *httptest.Server
	mu     sync.Mutex
	asked  []string // "METHOD target auth"
	refuse int
}

func newConnectProxy(t *testing.T) *connectProxy {
	p := &connectProxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.asked = append(p.asked, r.Method+" "+r.RequestURI+" "+r.Header.Get("Proxy-Authorization"))
		refuse := p.refuse
		p.mu.Unlock()
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		if refuse != 0 {
			http.Error(w, "not allowed", refuse)
			return
		}
		up, err := net.Dial("tcp", r.RequestURI)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		down, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			up.Close()
			t.Errorf("hijack: %v", err)
			return
		}
		io.WriteString(down, "HTTP/1.1 200 Connection established\r\n\r\n")
		go func() { io.Copy(up, down); up.Close() }()
		io.Copy(down, up)
		down.Close()
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func TestTheDeviceReachesTheRelayThroughAnHTTPConnectProxy(t *testing.T) {
	ca := testkit.NewCA(t, "kubernetes")
	relay := newRelay(t, ca, testConfig().ServerName, nil)
	proxy := newConnectProxy(t)
	cfg, _ := deviceFiles(t, ca, relay.addr())
	var err error
	if cfg.Proxy, err = url.Parse(strings.Replace(proxy.srv.URL, "http://", "http://squid:pw@", 1)); err != nil {
		t.Fatal(err)
	}
	conn, err := dialer{cfg: cfg, timeout: 5 * time.Second}.dial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	relay.accepted(t)
	proxy.mu.Lock()
	asked := append([]string(nil), proxy.asked...)
	proxy.mu.Unlock()
	want := "CONNECT " + relay.addr() + " Basic " + base64.StdEncoding.EncodeToString([]byte("squid:pw"))
	if len(asked) != 1 || asked[0] != want {
		t.Errorf("the proxy was asked %q, want %q", asked, want)
	}
	if relay.hellos[0] != cfg.ServerName {
		t.Errorf("SNI through the proxy: %q", relay.hellos)
	}

	proxy.mu.Lock()
	proxy.refuse = http.StatusForbidden
	proxy.mu.Unlock()
	_, err = dialer{cfg: cfg, timeout: 5 * time.Second}.dial(context.Background())
	wantErr := "the proxy http://squid:xxxxx@" + cfg.Proxy.Host + " answered 403 Forbidden to CONNECT " + relay.addr()
	if err == nil || err.Error() != wantErr {
		t.Errorf("a refusing proxy: %v, want %q", err, wantErr)
	}
}
