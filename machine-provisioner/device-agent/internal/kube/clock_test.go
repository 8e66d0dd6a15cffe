package kube

import (
	"testing"
	"time"
)

func TestTheClockIsReadFromAnAnswersDateHeader(t *testing.T) {
	c := &Client{}
	if c.Clock() != nil {
		t.Fatal("a clock reading before any answer")
	}
	sent := time.Date(2026, 12, 6, 11, 20, 0, 0, time.UTC)
	// The apiserver answered at 11:19:50.x by its clock; the answer took 200 ms here.
	c.noteClock(sent, sent.Add(200*time.Millisecond), "Sun, 06 Dec 2026 11:19:50 GMT")
	r := c.Clock()
	if r == nil || r.Offset != 9600*time.Millisecond || r.Uncertainty != 600*time.Millisecond || !r.At.Equal(sent.Add(200*time.Millisecond)) {
		t.Fatalf("got %+v", r)
	}
	c.noteClock(sent, sent, "not a date")
	if c.Clock().Offset != 9600*time.Millisecond {
		t.Fatal("a bad Date header replaced the reading")
	}
}
