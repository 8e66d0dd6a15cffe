package podnet

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/testkit"
)

func TestFramesCarryPacketsAndKeepalives(t *testing.T) {
	var wire bytes.Buffer
	w := bufio.NewWriter(&wire)
	p := packet("10.244.3.5", "10.244.7.9", 1000, 53, "hello")
	for _, f := range [][]byte{p, nil, make([]byte, maxFrame)} {
		if err := writeFrame(w, f); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if got := wire.Bytes()[:2]; got[0] != 0 || int(got[1]) != len(p) {
		t.Errorf("the length is 2 bytes big-endian: % x", got)
	}
	buf := make([]byte, maxFrame)
	for i, want := range []int{len(p), 0, maxFrame} {
		got, err := readFrame(&wire, buf)
		if err != nil || len(got) != want {
			t.Errorf("frame %d: %d bytes, %v; want %d", i, len(got), err, want)
		}
	}
	if _, err := readFrame(&wire, buf); err != io.EOF {
		t.Errorf("after the last frame: %v, want EOF", err)
	}
	if err := writeFrame(w, make([]byte, maxFrame+1)); err == nil {
		t.Error("a packet over 65535 bytes was framed")
	}
	if _, err := readFrame(bytes.NewReader([]byte{0, 9, 1, 2}), buf); err != io.ErrUnexpectedEOF {
		t.Errorf("a frame cut short: %v", err)
	}
}

func TestOnlyWholeIPv4PacketsPass(t *testing.T) {
	good := packet("10.244.3.5", "10.244.7.9", 1000, 53, "hello")
	if !ipv4(good) || source(good) != netip.MustParseAddr("10.244.3.5") || destination(good) != netip.MustParseAddr("10.244.7.9") {
		t.Fatalf("a good packet: %v %s %s", ipv4(good), source(good), destination(good))
	}
	v6 := append([]byte(nil), good...)
	v6[0] = 0x65
	shortHeader := append([]byte(nil), good...)
	shortHeader[0] = 0x44
	longer := append(append([]byte(nil), good...), 0)
	for name, p := range map[string][]byte{"IPv6": v6, "IHL 4": shortHeader, "total length short of the frame": longer,
		"cut short": good[:len(good)-1], "tiny": good[:19], "empty": nil} {
		if ipv4(p) {
			t.Errorf("%s passed", name)
		}
	}
}

// sessionRig is one session between a relay end (a pipe) and a TUN end (a pipe).
type sessionRig struct {
	relay, kernel net.Conn
	out           chan []byte
	counters      *counters
	heard         chan struct{}
	done          chan error
	cancel        context.CancelFunc
}

func newSessionRig(t *testing.T, keepalive, silence time.Duration) *sessionRig {
	agentEnd, relay := net.Pipe()
	tunEnd, kernel := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r := &sessionRig{relay: relay, kernel: kernel, out: make(chan []byte, 8), counters: &counters{},
		heard: make(chan struct{}, 100), done: make(chan error, 1), cancel: cancel}
	s := &session{conn: agentEnd, tun: tunEnd, out: r.out, podRange: testConfig().PodRange,
		keepalive: keepalive, silence: silence, counters: r.counters,
		heard: func() {
			select {
			case r.heard <- struct{}{}:
			default:
			}
		}}
	go func() { r.done <- s.run(ctx) }()
	t.Cleanup(func() { cancel(); relay.Close(); kernel.Close() })
	return r
}

// sendFrame is the relay sending one frame (from any goroutine: it fails with Error).
func (r *sessionRig) sendFrame(t *testing.T, p []byte) {
	t.Helper()
	w := bufio.NewWriter(r.relay)
	writeFrame(w, p)
	if err := w.Flush(); err != nil {
		t.Error(err)
	}
}

func TestASessionSendsKeepalivesWhenIdleAndForwardsBothWays(t *testing.T) {
	r := newSessionRig(t, 30*time.Millisecond, time.Second)
	buf := make([]byte, maxFrame)
	start := time.Now()
	if p, err := readFrame(r.relay, buf); err != nil || len(p) != 0 {
		t.Fatalf("an idle session sends a keepalive: %d bytes, %v", len(p), err)
	}
	if waited := time.Since(start); waited < 25*time.Millisecond {
		t.Errorf("the keepalive came after %s, before the idle time", waited)
	}
	out := packet("10.244.3.5", "10.244.7.9", 1000, 53, "to another device")
	r.out <- out
	if p, err := readFrame(r.relay, buf); err != nil || !bytes.Equal(p, out) {
		t.Fatalf("the queued packet as a frame: % x, %v", p, err)
	}
	in := packet("10.244.7.9", "10.244.3.5", 53, 1000, "answer")
	go r.sendFrame(t, in)
	got := make([]byte, 2000)
	n, err := r.kernel.Read(got)
	if err != nil || !bytes.Equal(got[:n], in) {
		t.Fatalf("the relay's packet on the TUN: % x, %v", got[:n], err)
	}
	// Counted once the write returned, just after the read above.
	testkit.WaitFor(t, time.Second, "the counts", func() bool { return r.counters.sent.Load() == 1 && r.counters.received.Load() == 1 })
	select {
	case <-r.heard:
	default:
		t.Error("a frame from the relay was not noted")
	}
}

func TestASessionDropsMalformedAndMisroutedFramesAndStays(t *testing.T) {
	r := newSessionRig(t, time.Hour, time.Second)
	go func() {
		r.sendFrame(t, []byte{0x60, 0, 0, 0})                                      // not IPv4
		r.sendFrame(t, packet("10.244.7.9", "192.168.1.1", 53, 1000, "elsewhere")) // not for this device's pods
		r.sendFrame(t, nil)                                                        // keepalive
		r.sendFrame(t, packet("10.244.7.9", "10.244.3.5", 53, 1000, "ok"))
	}()
	got := make([]byte, 2000)
	n, err := r.kernel.Read(got)
	if err != nil || destination(got[:n]) != netip.MustParseAddr("10.244.3.5") {
		t.Fatalf("only the good packet reaches the TUN: % x %v", got[:n], err)
	}
	testkit.WaitFor(t, time.Second, "one malformed, one misrouted, one received", func() bool {
		return r.counters.malformed.Load() == 1 && r.counters.misrouted.Load() == 1 && r.counters.received.Load() == 1
	})
	select {
	case err := <-r.done:
		t.Fatalf("the session ended: %v", err)
	default:
	}
}

func TestASessionEndsAfterTheRelaysSilence(t *testing.T) {
	r := newSessionRig(t, time.Hour, 60*time.Millisecond)
	go func() { // the relay reads (so that nothing blocks) but says nothing
		io.Copy(io.Discard, r.relay)
	}()
	start := time.Now()
	select {
	case err := <-r.done:
		if !errors.Is(err, errSilent) {
			t.Errorf("ended by %v, want silence", err)
		}
		if waited := time.Since(start); waited < 50*time.Millisecond {
			t.Errorf("ended after %s already", waited)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a silent relay kept the session")
	}
}

func TestKeepalivesKeepASessionWithAQuietRelay(t *testing.T) {
	r := newSessionRig(t, time.Hour, 80*time.Millisecond)
	stop := time.After(300 * time.Millisecond)
	go io.Copy(io.Discard, r.relay)
loop:
	for {
		select {
		case <-stop:
			break loop
		case err := <-r.done:
			t.Fatalf("the session ended though the relay sent keepalives: %v", err)
		case <-time.After(30 * time.Millisecond):
			r.sendFrame(t, nil)
		}
	}
}
