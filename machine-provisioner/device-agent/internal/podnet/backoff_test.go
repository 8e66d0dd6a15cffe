package podnet

import (
	"testing"
	"time"
)

func TestBackoffDoublesFromOneSecondToThirtyAndStartsAgainAfterReset(t *testing.T) {
	b := newBackoff(BackoffMin, BackoffMax)
	b.jitter = func() float64 { return 0.5 } // the middle: no jitter
	var got []time.Duration
	for range 7 {
		got = append(got, b.delay())
	}
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("delays %v, want %v seconds", got, want)
		}
	}
	b.reset()
	if d := b.delay(); d != time.Second {
		t.Errorf("after reset %s, want 1s", d)
	}
}

func TestBackoffIsJitteredByAQuarter(t *testing.T) {
	for _, c := range []struct {
		r    float64
		want time.Duration
	}{{0, 750 * time.Millisecond}, {0.999999, 1250 * time.Millisecond}} {
		b := newBackoff(BackoffMin, BackoffMax)
		b.jitter = func() float64 { return c.r }
		if d := b.delay(); d < c.want-time.Millisecond || d > c.want+time.Millisecond {
			t.Errorf("jitter %v: %s, want about %s", c.r, d, c.want)
		}
	}
	b := newBackoff(BackoffMin, BackoffMax) // the real jitter stays within the bounds
	for range 100 {
		if d := b.delay(); d < 750*time.Millisecond || d > 37500*time.Millisecond {
			t.Fatalf("delay %s out of bounds", d)
		}
	}
}
