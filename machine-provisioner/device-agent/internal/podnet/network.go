package podnet

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// The contract's timings (PROTOCOL.md, "The pod network").
const (
	KeepaliveAfter = 15 * time.Second // a keepalive after this long without sending
	SilenceLimit   = 45 * time.Second // give up a connection after this long without receiving
	ConvergeEvery  = 30 * time.Second // the host setup is checked this often
	BackoffMin     = time.Second
	BackoffMax     = 30 * time.Second
	BackoffReset   = time.Minute // a connection that held this long starts the backoff again
	DialTimeout    = 10 * time.Second
	// SettleTime: a connection is reported connected once the relay sent something or kept it
	// this long. The relay admits a device only after the handshake and closes a refused one at
	// once; without this, a refused device would flap between connected and disconnected.
	SettleTime = 3 * time.Second
)

// queueLength bounds the packets waiting for the connection; beyond it they are dropped, as a
// router drops: TCP in the pods backs off, nothing blocks.
const queueLength = 512

// Host is this machine's side of the pod network: the TUN device (one packet per Read and
// Write) and the routing around it.
type Host interface {
	io.ReadWriter
	// Converge makes the host setup right; idempotent.
	Converge(ctx context.Context) error
	// Close lets go of the device; what Converge set up stays.
	Close() error
}

// Network is the device's end of the pod network.
type Network struct {
	// State is the connection as status.podNetwork reports it.
	State *State

	cfg  Config
	host Host
	dial func(ctx context.Context) (net.Conn, error)
	log  *slog.Logger
	now  func() time.Time

	keepalive, silence, settle, convergeEvery, resetAfter time.Duration
	backoff                                               *backoff
	counters                                              counters

	hostMu  sync.Mutex
	hostErr error
	hostRan bool

	outMu sync.Mutex
	out   chan []byte // the current session's queue; nil while disconnected
}

// New returns the pod network of cfg on this host.
func New(cfg Config, log *slog.Logger) *Network {
	return newNetwork(cfg, newHost(cfg, log), dialer{cfg: cfg, timeout: DialTimeout}.dial, log)
}

func newNetwork(cfg Config, host Host, dial func(context.Context) (net.Conn, error), log *slog.Logger) *Network {
	return &Network{
		State: newState(cfg.Relay, time.Now, log),
		cfg:   cfg, host: host, dial: dial, log: log, now: time.Now,
		keepalive: KeepaliveAfter, silence: SilenceLimit, settle: SettleTime,
		convergeEvery: ConvergeEvery, resetAfter: BackoffReset,
		backoff: newBackoff(BackoffMin, BackoffMax),
	}
}

// Run sets the host up and keeps a connection to the relay until ctx ends. The TUN device, its
// address, route and iptables rule stay after it returns (see Host).
func (n *Network) Run(ctx context.Context) {
	n.converge(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { n.keepHost(ctx) })
	wg.Go(func() { n.readTun(ctx) })
	n.connect(ctx)
	n.host.Close() // ends the pending read
	wg.Wait()
}

// connect keeps one session to the relay, one attempt after another.
func (n *Network) connect(ctx context.Context) {
	for ctx.Err() == nil {
		lasted, why := n.attempt(ctx)
		if ctx.Err() != nil {
			return
		}
		if lasted >= n.resetAfter {
			n.backoff.reset()
		}
		n.State.down(why)
		select {
		case <-ctx.Done():
		case <-time.After(n.backoff.delay()):
		}
	}
}

// attempt is one connection, from the dial to its end: how long it lasted and why it ended.
func (n *Network) attempt(ctx context.Context) (time.Duration, string) {
	if err := n.hostError(); err != nil {
		if err = n.converge(ctx); err != nil {
			return 0, "the host setup failed: " + err.Error()
		}
	}
	conn, err := n.dial(ctx)
	if err != nil {
		return 0, err.Error()
	}
	start := n.now()
	out := make(chan []byte, queueLength)
	var mu sync.Mutex
	up, ended := false, false
	markUp := func() {
		mu.Lock()
		defer mu.Unlock()
		if !up && !ended {
			up = true
			n.State.up()
		}
	}
	settled := time.AfterFunc(n.settle, markUp)
	s := &session{
		conn: conn, tun: n.host, out: out, podRange: n.cfg.PodRange,
		keepalive: n.keepalive, silence: n.silence, counters: &n.counters, heard: markUp,
	}
	n.setOutlet(out)
	err = s.run(ctx)
	n.setOutlet(nil)
	settled.Stop()
	mu.Lock()
	ended = true
	wasUp := up
	mu.Unlock()
	return n.now().Sub(start), n.ended(err, wasUp)
}

// ended words why a session ended.
func (n *Network) ended(err error, wasUp bool) string {
	switch {
	case errors.Is(err, errSilent):
		return "the relay " + n.cfg.Relay + " sent nothing for " + n.silence.String()
	case errors.Is(err, io.EOF) && !wasUp:
		return "the relay " + n.cfg.Relay + " closed the connection right after the handshake (refused: the seed manager's log says why)"
	case errors.Is(err, io.EOF):
		return "the relay " + n.cfg.Relay + " closed the connection"
	case !wasUp:
		// With TLS 1.3 the relay judges the client certificate after the client's handshake
		// ended: its refusal arrives as the first thing read.
		return "the relay " + n.cfg.Relay + " refused the connection: " + brief(err)
	default:
		return "the connection to the relay " + n.cfg.Relay + " broke: " + brief(err)
	}
}

func (n *Network) setOutlet(out chan []byte) {
	n.outMu.Lock()
	n.out = out
	n.outMu.Unlock()
}

// readTun reads the TUN for as long as the network runs, and queues each packet from this
// device's pods for the current session.
func (n *Network) readTun(ctx context.Context) {
	buf := make([]byte, maxFrame)
	failing := ""
	for {
		k, err := n.host.Read(buf)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if err.Error() != failing {
				failing = err.Error()
				n.log.Error("cannot read the pod network's TUN device; the host setup will open it anew", "step", "pod-network", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		failing = ""
		n.forward(buf[:k])
	}
}

// forward queues one packet read from the TUN, or drops it.
func (n *Network) forward(p []byte) {
	switch {
	case !ipv4(p):
		n.counters.notIPv4.Add(1)
		return
	case !n.cfg.PodRange.Contains(source(p)):
		// Only this device's pods may send: the relay would drop it as spoofed anyway.
		n.counters.foreignSource.Add(1)
		return
	}
	n.outMu.Lock()
	out := n.out
	n.outMu.Unlock()
	if out == nil {
		n.counters.unsent.Add(1)
		return
	}
	select {
	case out <- append([]byte(nil), p...):
	default: // the session's queue is full
		n.counters.unsent.Add(1)
	}
}
