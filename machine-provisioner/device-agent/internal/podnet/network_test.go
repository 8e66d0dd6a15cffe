package podnet

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/testkit"
)

// pipeHost stands in for the TUN: the agent reads and writes one end of a pipe, the test (the
// kernel) the other.
type pipeHost struct {
	net.Conn
	kernel    net.Conn
	converges atomic.Int32
	mu        sync.Mutex
	err       error
}

func newPipeHost(t *testing.T) *pipeHost {
	agentEnd, kernel := net.Pipe()
	t.Cleanup(func() { kernel.Close() })
	return &pipeHost{Conn: agentEnd, kernel: kernel}
}

func (h *pipeHost) Converge(context.Context) error {
	h.converges.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

func (h *pipeHost) failing(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.err = err
}

// plainRelay accepts TCP connections (the TLS is dialer's business, tested on its own).
type plainRelay struct {
	l       net.Listener
	conns   chan net.Conn
	mu      sync.Mutex
	accepts []time.Time
}

func newPlainRelay(t *testing.T) *plainRelay {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &plainRelay{l: l, conns: make(chan net.Conn, 64)}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			r.mu.Lock()
			r.accepts = append(r.accepts, time.Now())
			r.mu.Unlock()
			r.conns <- c
		}
	}()
	t.Cleanup(func() { l.Close() })
	return r
}

func (r *plainRelay) next(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-r.conns:
		t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("the device did not connect")
		return nil
	}
}

func (r *plainRelay) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", r.l.Addr().String())
}

// rig is a Network between a pipe TUN and a relay, with short timings.
type rig struct {
	n       *Network
	host    *pipeHost
	log     *testkit.SyncBuffer
	changes atomic.Int32
	stop    func()
}

func startNetwork(t *testing.T, dial func(context.Context) (net.Conn, error), tune func(*Network)) *rig {
	t.Helper()
	log, buf := testkit.NewLog()
	r := &rig{host: newPipeHost(t), log: buf}
	cfg := testConfig()
	r.n = newNetwork(cfg, r.host, dial, log)
	r.n.keepalive, r.n.silence, r.n.settle = 50*time.Millisecond, 300*time.Millisecond, 200*time.Millisecond
	r.n.backoff = newBackoff(10*time.Millisecond, 80*time.Millisecond)
	r.n.backoff.jitter = func() float64 { return 0.5 }
	r.n.State.OnChange = func() { r.changes.Add(1) }
	if tune != nil {
		tune(r.n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.n.Run(ctx) }()
	r.stop = func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the network did not stop")
		}
	}
	t.Cleanup(r.stop)
	return r
}

func frameTo(t *testing.T, c net.Conn, p []byte) {
	t.Helper()
	w := bufio.NewWriter(c)
	writeFrame(w, p)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// nextPacket is the relay's next frame that is not a keepalive.
func nextPacket(t *testing.T, c net.Conn) []byte {
	t.Helper()
	buf := make([]byte, maxFrame)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		p, err := readFrame(c, buf)
		if err != nil {
			t.Fatalf("reading the device's frames: %v", err)
		}
		if len(p) > 0 {
			return append([]byte(nil), p...)
		}
	}
}

func TestPacketsOfThisDevicesPodsFlowToTheRelayAndBack(t *testing.T) {
	relay := newPlainRelay(t)
	r := startNetwork(t, relay.dial, func(n *Network) { n.settle = time.Hour })
	c := relay.next(t)
	if st := r.n.State.Report(); st.State != "disconnected" {
		t.Errorf("connected before the relay said anything: %+v", st)
	}
	frameTo(t, c, nil) // the relay's first keepalive: admitted
	testkit.WaitFor(t, time.Second, "connected", func() bool { return r.n.State.Report().State == "connected" })
	if st := r.n.State.Report(); st.Reason != "" || st.Since == "" {
		t.Errorf("connected state %+v", st)
	}

	spoofed := packet("192.168.1.5", "10.244.7.9", 1000, 53, "not a pod of this device")
	v6 := []byte{0x60, 0, 0, 0, 0, 0, 17, 64}
	good := packet("10.244.3.5", "10.244.7.9", 1000, 53, "from a pod")
	for _, p := range [][]byte{spoofed, v6, good} {
		if _, err := r.host.kernel.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if got := nextPacket(t, c); !bytes.Equal(got, good) {
		t.Fatalf("the relay got % x, want the pod's packet", got)
	}
	if r.n.counters.foreignSource.Load() != 1 || r.n.counters.notIPv4.Load() != 1 {
		t.Errorf("foreign source %d, not IPv4 %d", r.n.counters.foreignSource.Load(), r.n.counters.notIPv4.Load())
	}

	back := packet("10.244.7.9", "10.244.3.5", 53, 1000, "answer")
	frameTo(t, c, back)
	buf := make([]byte, 2000)
	r.host.kernel.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := r.host.kernel.Read(buf)
	if err != nil || !bytes.Equal(buf[:n], back) {
		t.Fatalf("the TUN got % x %v, want the answer", buf[:n], err)
	}
	if got := r.log.Count("the pod network is connected"); got != 1 {
		t.Errorf("%d log lines for one connection:\n%s", got, r.log)
	}
}

func TestWhileDisconnectedPacketsAreDroppedNotQueued(t *testing.T) {
	r := startNetwork(t, func(context.Context) (net.Conn, error) {
		return nil, errors.New("cannot reach the relay x: no route to host")
	}, nil)
	testkit.WaitFor(t, time.Second, "the failed dial in the state", func() bool {
		return r.n.State.Report().Reason == "cannot reach the relay x: no route to host"
	})
	r.host.kernel.Write(packet("10.244.3.5", "10.244.7.9", 1000, 53, "lost"))
	testkit.WaitFor(t, time.Second, "the drop", func() bool { return r.n.counters.unsent.Load() == 1 })
}

func TestARefusedDeviceStaysDisconnectedSaysWhyOnceAndBacksOff(t *testing.T) {
	relay := newPlainRelay(t)
	go func() {
		for c := range relay.conns {
			c.Close() // as the relay does with a device it does not admit
		}
	}()
	r := startNetwork(t, relay.dial, nil)
	testkit.WaitFor(t, 3*time.Second, "five attempts", func() bool {
		relay.mu.Lock()
		defer relay.mu.Unlock()
		return len(relay.accepts) >= 5
	})
	st := r.n.State.Report()
	if st.State != "disconnected" || !strings.Contains(st.Reason, "closed the connection right after the handshake (refused") {
		t.Errorf("state %+v", st)
	}
	if r.log.Count("the pod network is connected") != 0 || r.log.Count("the pod network is disconnected") != 1 || r.changes.Load() != 1 {
		t.Errorf("%d changes, log:\n%s", r.changes.Load(), r.log)
	}
	relay.mu.Lock()
	a := append([]time.Time(nil), relay.accepts...)
	relay.mu.Unlock()
	// 10, 20, 40, 80 ms apart (plus the time of each attempt): the gaps grow.
	if a[3].Sub(a[2]) < 35*time.Millisecond || a[4].Sub(a[3]) < 70*time.Millisecond {
		t.Errorf("attempts at %v: no backoff", a)
	}
}

func TestAConnectionThatHeldStartsTheBackoffAgain(t *testing.T) {
	relay := newPlainRelay(t)
	startNetwork(t, relay.dial, func(n *Network) {
		n.backoff = newBackoff(10*time.Millisecond, 5*time.Second)
		n.backoff.jitter = func() float64 { return 0.5 }
		n.resetAfter = 150 * time.Millisecond
	})
	for range 6 { // 10, 20, 40, 80, 160 ms: the next wait would be 320 ms
		relay.next(t).Close()
	}
	c := relay.next(t)
	frameTo(t, c, nil)
	time.Sleep(200 * time.Millisecond) // held longer than resetAfter
	c.Close()
	closed := time.Now()
	relay.next(t)
	if gap := time.Since(closed); gap > 150*time.Millisecond {
		t.Errorf("the next attempt came %s after a connection that held, want about 10ms", gap)
	}
}

func TestASilentRelayIsLeftAndTheReasonSaysSo(t *testing.T) {
	relay := newPlainRelay(t)
	r := startNetwork(t, relay.dial, nil)
	c := relay.next(t)
	frameTo(t, c, nil)
	go func() { // reads the keepalives, says nothing more
		buf := make([]byte, maxFrame)
		for {
			if _, err := readFrame(c, buf); err != nil {
				return
			}
		}
	}()
	testkit.WaitFor(t, 2*time.Second, "silence noticed", func() bool {
		return r.n.State.Report().Reason == "the relay seed.example:8134 sent nothing for 300ms"
	})
}

func TestAFailedHostSetupKeepsTheDeviceOffUntilItIsRight(t *testing.T) {
	relay := newPlainRelay(t)
	var dials atomic.Int32
	host := func(n *Network) {
		n.host.(*pipeHost).failing(errors.New("iptables -w 5 -t nat -C ...: exit status 4: resource problem"))
	}
	r := startNetwork(t, func(ctx context.Context) (net.Conn, error) { dials.Add(1); return relay.dial(ctx) }, host)
	testkit.WaitFor(t, time.Second, "the host's failure in the state", func() bool {
		return r.n.State.Report().Reason == "the host setup failed: iptables -w 5 -t nat -C ...: exit status 4: resource problem"
	})
	if dials.Load() != 0 {
		t.Error("dialled the relay without a host set up")
	}
	r.host.failing(nil)
	frameTo(t, relay.next(t), nil)
	testkit.WaitFor(t, time.Second, "connected", func() bool { return r.n.State.Report().State == "connected" })
	if r.log.Count("the pod network's host setup failed") != 1 || r.log.Count("host setup is right again") != 1 {
		t.Errorf("log:\n%s", r.log)
	}
}

func TestARelayThatRefusesTheClientCertificateIsNamedInTheReason(t *testing.T) {
	ca := testkit.NewCA(t, "kubernetes")
	other := testkit.NewCA(t, "kubernetes")
	relay := newRelay(t, ca, testConfig().ServerName, func(c *tls.Config) {
		pool := x509.NewCertPool()
		pool.AddCert(other.Cert) // it trusts another cluster's kubelets only
		c.ClientCAs = pool
	})
	cfg, _ := deviceFiles(t, ca, relay.addr())
	r := startNetwork(t, dialer{cfg: cfg, timeout: 5 * time.Second}.dial, nil)
	testkit.WaitFor(t, 3*time.Second, "the refusal in the state", func() bool {
		return r.n.State.Report().Reason == "the relay seed.example:8134 refused the connection: tls: unknown certificate authority"
	})
}
