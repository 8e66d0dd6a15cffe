package podnet

import (
	"math/rand/v2"
	"time"
)

// backoff spaces the attempts to reach the relay: min, doubling up to max, each delay jittered
// by ±25% so that the devices of a site that lost its uplink do not all return in step.
type backoff struct {
	min, max time.Duration
	// jitter returns a number in [0, 1); rand by default.
	jitter func() float64

	next time.Duration
}

func newBackoff(min, max time.Duration) *backoff {
	return &backoff{min: min, max: max, jitter: rand.Float64}
}

// delay is the wait before the next attempt; each call doubles the one after.
func (b *backoff) delay() time.Duration {
	if b.next < b.min {
		b.next = b.min
	}
	d := b.next
	b.next = min(2*b.next, b.max)
	return time.Duration(float64(d) * (0.75 + 0.5*b.jitter()))
}

// reset starts again from min (after a connection that held).
func (b *backoff) reset() { b.next = b.min }
