// Package link keeps the agent connected to the tenant cluster: read the device's object, write
// the status, watch the object, and when anything breaks, try again within a second or two.
// The agent's reconnection is how the seed learns that a device is back, so the retry pace is
// a product property, not a detail.
package link

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/model"
)

// Agent is what the link feeds and reports for.
type Agent interface {
	// AdoptSpec takes the object's spec; fromGet says it comes from a full read of the object
	// (every event counts as news then), not from a watch event.
	AdoptSpec(spec model.Spec, resourceVersion string, fromGet bool)
	// StatusForWrite is the whole status to write now.
	StatusForWrite(now time.Time) model.Status
	// StatusChanges signals that the status changed and should be written soon.
	StatusChanges() <-chan struct{}
	LinkUp(at time.Time)
	LinkDown(at time.Time, err error)
	StatusWritten(at time.Time)
}

// Client is the apiserver side (kube.Client).
type Client interface {
	Reset() error
	Get(ctx context.Context) (*kube.Object, error)
	PatchStatus(ctx context.Context, status model.Status) error
	Watch(ctx context.Context, resourceVersion string) (*kube.Watch, error)
}

// SessionWorker is work done through the connection besides the device's object (the tunnel
// token's delivery): RunSession runs from the start of each connected session until it ends.
// It must not break the link: its failures are its own.
type SessionWorker interface {
	RunSession(ctx context.Context)
}

// Link runs the connection loop.
type Link struct {
	Client Client
	Agent  Agent
	Log    *slog.Logger
	Now    func() time.Time
	// Heartbeat: how often the status is written while connected (--heartbeat).
	Heartbeat time.Duration
	// RetryDelay, MaxRetryDelay: the pace of reconnection attempts, counted from the start of
	// the previous attempt.
	RetryDelay, MaxRetryDelay time.Duration
	// WatchIdle: a watch without any event (bookmarks included) for this long is presumed dead.
	WatchIdle time.Duration
	// Debounce: how long a status change waits for more changes before it is written.
	Debounce time.Duration
	// Workers run beside each connected session.
	Workers []SessionWorker
}

// New returns a link with the product's timings.
func New(client Client, agent Agent, log *slog.Logger, heartbeat time.Duration) *Link {
	return &Link{
		Client: client, Agent: agent, Log: log, Now: time.Now, Heartbeat: heartbeat,
		RetryDelay: time.Second, MaxRetryDelay: 2 * time.Second,
		WatchIdle: 75 * time.Second, Debounce: 200 * time.Millisecond,
	}
}

var (
	// errResync: the watch cannot resume (410 Gone, a silent watch): read the object again now.
	errResync = errors.New("watch must start over")
	// errWatchEnded: the apiserver closed the watch cleanly (its request timeout).
	errWatchEnded = errors.New("watch ended")
)

// Run connects and stays connected until ctx ends.
func (l *Link) Run(ctx context.Context) {
	delay := l.RetryDelay
	failures := 0
	for ctx.Err() == nil {
		started := l.Now()
		wasUp, err := l.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if wasUp {
			delay, failures = l.RetryDelay, 0
		}
		if errors.Is(err, errResync) {
			l.Log.Info("reading the object again", "step", "watch", "reason", err)
		} else {
			failures++
			switch {
			case failures == 1:
				l.Log.Warn("not connected to the apiserver; retrying", "step", "connect", "error", err)
				l.Agent.LinkDown(l.Now(), err)
			case failures%60 == 0:
				l.Log.Warn("still not connected to the apiserver", "step", "connect", "attempts", failures, "error", err)
			}
		}
		// Attempts are paced from their start: a dial that timed out has waited already.
		if wait := delay - l.Now().Sub(started); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		if failures > 0 {
			delay = min(delay*2, l.MaxRetryDelay)
		}
	}
}

// conn is the state of one session shared by the watch and the reporter.
type conn struct {
	// missing: the object does not exist (yet); there is no status to write.
	missing atomic.Bool
	// writeSoon asks the reporter for a status write now (the object just appeared).
	writeSoon chan struct{}
}

// session is one connection: read, report, watch. It reports whether it got connected.
func (l *Link) session(ctx context.Context) (bool, error) {
	if err := l.Client.Reset(); err != nil {
		return false, err
	}
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c := &conn{writeSoon: make(chan struct{}, 1)}
	rv := ""
	obj, err := l.Client.Get(sctx)
	switch {
	case kube.IsNotFound(err):
		// No news: keep running what runs; the watch shows the object when the seed creates it.
		c.missing.Store(true)
		l.Log.Warn("the device's DeviceWorkloads object does not exist (yet); keeping what runs", "step", "read")
	case err != nil:
		return false, fmt.Errorf("read the object: %w", err)
	default:
		rv = obj.Metadata.ResourceVersion
		l.Agent.AdoptSpec(obj.Spec, rv, true)
		// The first status write of a connection is how the seed notices the device is back.
		if err := l.writeStatus(sctx); kube.IsLinkFailure(err) {
			return false, fmt.Errorf("write the status: %w", err)
		}
	}
	l.Agent.LinkUp(l.Now())
	l.Log.Info("connected to the apiserver", "step", "connect", "resourceVersion", rv)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		l.report(sctx, c, cancel)
	}()
	for _, w := range l.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.RunSession(sctx)
		}()
	}
	defer wg.Wait()
	defer cancel(nil)
	for {
		rv, err = l.watch(sctx, c, rv)
		if errors.Is(err, errWatchEnded) {
			continue
		}
		if cause := context.Cause(sctx); cause != nil && !errors.Is(cause, context.Canceled) {
			err = cause
		}
		return true, err
	}
}

// report writes the status on every heartbeat and shortly after every change. A write that
// fails for the link ends the session (the watch may look alive on a dead link for a while).
func (l *Link) report(ctx context.Context, c *conn, fail context.CancelCauseFunc) {
	heartbeat := time.NewTicker(l.Heartbeat)
	defer heartbeat.Stop()
	var debounce <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.Agent.StatusChanges():
			if debounce == nil {
				debounce = time.After(l.Debounce)
			}
			continue
		case <-debounce:
			debounce = nil
		case <-c.writeSoon:
		case <-heartbeat.C:
		}
		if c.missing.Load() {
			continue
		}
		if err := l.writeStatus(ctx); kube.IsLinkFailure(err) && ctx.Err() == nil {
			fail(fmt.Errorf("write the status: %w", err))
			return
		}
	}
}

func (l *Link) writeStatus(ctx context.Context) error {
	now := l.Now()
	err := l.Client.PatchStatus(ctx, l.Agent.StatusForWrite(now))
	switch {
	case err == nil:
		l.Agent.StatusWritten(now)
	case !kube.IsLinkFailure(err):
		// 404 before the seed created the object, 403 before it granted the Role: not the link.
		l.Log.Warn("the apiserver refused the status", "step", "write-status", "error", err)
	}
	return err
}

type watchResult struct {
	ev  kube.Event
	err error
}

// watch follows the object from rv until the watch fails; it returns the last resourceVersion.
func (l *Link) watch(ctx context.Context, c *conn, rv string) (string, error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := l.Client.Watch(wctx, rv)
	var se *kube.StatusError
	if errors.As(err, &se) && se.Code == http.StatusGone {
		return rv, fmt.Errorf("%w: %v", errResync, err)
	}
	if err != nil {
		return rv, fmt.Errorf("watch the object: %w", err)
	}
	defer w.Close()
	events := make(chan watchResult)
	go func() {
		for {
			ev, err := w.Next()
			select {
			case events <- watchResult{ev, err}:
			case <-wctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	idle := time.NewTimer(l.WatchIdle)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return rv, ctx.Err()
		case <-idle.C:
			return rv, fmt.Errorf("%w: no event for %s", errResync, l.WatchIdle)
		case r := <-events:
			if errors.Is(r.err, io.EOF) {
				return rv, errWatchEnded
			}
			if r.err != nil {
				return rv, fmt.Errorf("watch the object: %w", r.err)
			}
			idle.Reset(l.WatchIdle)
			next, err := l.event(c, r.ev, rv)
			if err != nil {
				return rv, err
			}
			rv = next
		}
	}
}

func (l *Link) event(c *conn, ev kube.Event, rv string) (string, error) {
	if ev.Type == kube.Error {
		st := ev.StatusOf()
		if st.Code == http.StatusGone {
			return rv, fmt.Errorf("%w: %v", errResync, st)
		}
		return rv, fmt.Errorf("watch the object: %w", st)
	}
	obj, err := ev.ObjectOf()
	if err != nil {
		return rv, err
	}
	if obj.Metadata.ResourceVersion != "" {
		rv = obj.Metadata.ResourceVersion
	}
	switch ev.Type {
	case kube.Added, kube.Modified:
		l.Agent.AdoptSpec(obj.Spec, rv, ev.Type == kube.Added)
		if c.missing.Swap(false) {
			select {
			case c.writeSoon <- struct{}{}:
			default:
			}
		}
	case kube.Deleted:
		c.missing.Store(true)
		// No news: the device keeps what it runs; a deprovision removes the agent itself.
		l.Log.Warn("the object was deleted; keeping the last spec", "step", "watch")
	}
	return rv, nil
}
