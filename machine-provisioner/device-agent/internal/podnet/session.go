package podnet

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync/atomic"
	"time"
)

// session moves packets over one connection to the relay: frames from the relay to the TUN,
// packets from out (filled by the TUN reader) to the relay, and keepalives both ways.
type session struct {
	conn     net.Conn
	tun      io.Writer
	out      <-chan []byte
	podRange netip.Prefix
	// keepalive: a keepalive frame after this long without sending; silence: the connection
	// is given up after this long without receiving anything.
	keepalive, silence time.Duration
	counters           *counters
	// heard is called at each frame received (the relay accepted the device).
	heard func()
}

// errSilent ends a session whose relay sent nothing, not even a keepalive, for too long.
var errSilent = errors.New("silent relay")

// run pumps until the connection fails or ctx ends, and says why it ended.
func (s *session) run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	errs := make(chan error, 2)
	done := make(chan struct{})
	go func() { errs <- s.receive() }()
	go func() { errs <- s.send(done) }()
	err := <-errs
	close(done)
	s.conn.Close()
	<-errs
	return err
}

// receive writes the relay's packets to the TUN.
func (s *session) receive() error {
	r := bufio.NewReaderSize(s.conn, 64<<10)
	buf := make([]byte, maxFrame)
	for {
		s.conn.SetReadDeadline(time.Now().Add(s.silence))
		p, err := readFrame(r, buf)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return errSilent
			}
			return err
		}
		s.heard()
		switch {
		case len(p) == 0: // keepalive
		case !ipv4(p):
			s.counters.malformed.Add(1)
		case !s.podRange.Contains(destination(p)):
			// The relay routes by destination: anything else is its mistake, and the TUN must
			// not become a way into the host's other networks.
			s.counters.misrouted.Add(1)
		default:
			if _, err := s.tun.Write(p); err != nil {
				s.counters.tunWriteFailed.Add(1) // the TUN is re-created by the host setup
				continue
			}
			s.counters.received.Add(1)
		}
	}
}

// send frames the TUN's packets, a keepalive when idle, until done.
func (s *session) send(done <-chan struct{}) error {
	w := bufio.NewWriterSize(s.conn, 64<<10)
	idle := time.NewTimer(s.keepalive)
	defer idle.Stop()
	for {
		// A relay that stops reading must not hold the writer forever: the same bound as
		// for a relay that stops sending.
		var err error
		select {
		case <-done:
			return nil
		case p := <-s.out:
			s.conn.SetWriteDeadline(time.Now().Add(s.silence))
			err = s.frame(w, p)
			// Whatever queued meanwhile goes out with the same flush.
			for more := err == nil; more; {
				select {
				case p := <-s.out:
					err = s.frame(w, p)
					more = err == nil
				default:
					more = false
				}
			}
		case <-idle.C:
			s.conn.SetWriteDeadline(time.Now().Add(s.silence))
			err = writeFrame(w, nil)
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return fmt.Errorf("sending: %w", err)
		}
		idle.Reset(s.keepalive)
	}
}

func (s *session) frame(w *bufio.Writer, p []byte) error {
	if err := writeFrame(w, p); err != nil {
		return err
	}
	s.counters.sent.Add(1)
	return nil
}

// counters count packets per outcome; the agent logs the drops.
type counters struct {
	// From the TUN: sent to the relay, or dropped: not IPv4, a source outside the pod range,
	// or no connection to send on (none, or its queue full).
	sent, notIPv4, foreignSource, unsent atomic.Uint64
	// From the relay: written to the TUN, or dropped: not one IPv4 packet, a destination
	// outside the pod range, or the TUN refused it.
	received, malformed, misrouted, tunWriteFailed atomic.Uint64
}
