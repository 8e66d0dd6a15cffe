package podnet

import (
	"context"
	"time"
)

// keepHost converges the host setup every convergeEvery, and logs the drops meanwhile.
func (n *Network) keepHost(ctx context.Context) {
	tick := time.NewTicker(n.convergeEvery)
	defer tick.Stop()
	var last drops
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n.converge(ctx)
		now := n.counters.drops()
		if d := now.minus(last); d != (drops{}) {
			n.log.Info("the pod network dropped packets", "step", "pod-network", "seconds", int(n.convergeEvery.Seconds()),
				"notIPv4", d.notIPv4, "foreignSource", d.foreignSource, "unsent", d.unsent,
				"malformed", d.malformed, "misrouted", d.misrouted, "tunWriteFailed", d.tunWriteFailed)
		}
		last = now
	}
}

// converge runs the host setup once (one at a time) and logs its outcome when it changed.
func (n *Network) converge(ctx context.Context) error {
	n.hostMu.Lock()
	defer n.hostMu.Unlock()
	err := n.host.Converge(ctx)
	if ctx.Err() != nil {
		return err // stopping: says nothing about the host
	}
	switch {
	case err != nil && (!n.hostRan || n.hostErr == nil || n.hostErr.Error() != err.Error()):
		n.log.Error("the pod network's host setup failed; trying again", "step", "pod-network-host", "device", n.cfg.Interface, "error", err)
	case err == nil && n.hostErr != nil:
		n.log.Info("the pod network's host setup is right again", "step", "pod-network-host", "device", n.cfg.Interface)
	}
	n.hostErr, n.hostRan = err, true
	return err
}

func (n *Network) hostError() error {
	n.hostMu.Lock()
	defer n.hostMu.Unlock()
	return n.hostErr
}

// drops are the counters of dropped packets at one time.
type drops struct {
	notIPv4, foreignSource, unsent, malformed, misrouted, tunWriteFailed uint64
}

func (c *counters) drops() drops {
	return drops{c.notIPv4.Load(), c.foreignSource.Load(), c.unsent.Load(), c.malformed.Load(), c.misrouted.Load(), c.tunWriteFailed.Load()}
}

func (d drops) minus(e drops) drops {
	return drops{d.notIPv4 - e.notIPv4, d.foreignSource - e.foreignSource, d.unsent - e.unsent,
		d.malformed - e.malformed, d.misrouted - e.misrouted, d.tunWriteFailed - e.tunWriteFailed}
}
