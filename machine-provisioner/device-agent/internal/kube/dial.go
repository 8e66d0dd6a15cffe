package kube

import (
	"context"
	"errors"
	"net"
	"time"
)

// A new TCP connect is started every dialEvery while earlier ones are pending, within
// dialBudget: when the link comes back, a fresh SYN leaves within a second instead of waiting
// for the kernel's retransmission of an earlier one (1 s, then 3 s, 7 s ...).
const (
	dialEvery  = time.Second
	dialBudget = 3 * time.Second
)

type dialResult struct {
	conn net.Conn
	err  error
}

func raceDial(ctx context.Context, network, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialBudget)
	defer cancel()
	d := net.Dialer{KeepAlive: 15 * time.Second}
	results := make(chan dialResult, int(dialBudget/dialEvery)+2)
	launch := func() {
		go func() {
			conn, err := d.DialContext(ctx, network, addr)
			results <- dialResult{conn, err}
		}()
	}
	launched, finished := 1, 0
	launch()
	ticker := time.NewTicker(dialEvery)
	defer ticker.Stop()
	var failure dialFailure
	for {
		select {
		case r := <-results:
			finished++
			if r.err == nil {
				go closeLosers(results, launched-finished)
				return r.conn, nil
			}
			failure.add(r.err)
		case <-ticker.C:
			if ctx.Err() == nil {
				launched++
				launch()
			}
		case <-ctx.Done():
			for ; finished < launched; finished++ {
				r := <-results
				if r.err == nil {
					// Connected at the very last moment: still a win.
					go closeLosers(results, launched-finished-1)
					return r.conn, nil
				}
				failure.add(r.err)
			}
			return nil, failure.err
		}
	}
}

// dialFailure keeps the most telling error: "connection refused" or "no route to host" says
// more than the timeout of an attempt cut short by the budget.
type dialFailure struct {
	err     error
	telling bool
}

func (f *dialFailure) add(err error) {
	var ne net.Error
	timeout := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	if !timeout || !f.telling {
		f.err, f.telling = err, !timeout
	}
}

// closeLosers closes the connections of attempts that finished after the winner.
func closeLosers(results <-chan dialResult, pending int) {
	for ; pending > 0; pending-- {
		if r := <-results; r.conn != nil {
			r.conn.Close()
		}
	}
}
