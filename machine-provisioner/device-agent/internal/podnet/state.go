package podnet

import (
	"log/slog"
	"sync"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

// notConnectedYet is the reason until the first attempt ended.
const notConnectedYet = "the agent has not connected to the relay yet"

// State is the connection to the relay as status.podNetwork reports it.
type State struct {
	// OnChange is called after the state or the reason changed (the agent writes its status).
	OnChange func()
	now      func() time.Time
	log      *slog.Logger
	relay    string

	mu        sync.Mutex
	connected bool
	since     time.Time
	reason    string
}

func newState(relay string, now func() time.Time, log *slog.Logger) *State {
	return &State{now: now, log: log, relay: relay, since: now().UTC(), reason: notConnectedYet}
}

// Report is status.podNetwork now.
func (s *State) Report() model.LinkStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := model.LinkStatus{State: model.LinkDisconnected, Since: s.since.Format(time.RFC3339), Reason: s.reason}
	if s.connected {
		st.State = model.LinkConnected
	}
	return st
}

func (s *State) up()             { s.set(true, "") }
func (s *State) down(why string) { s.set(false, why) }

// set records a state; a change is logged once and reported through OnChange.
func (s *State) set(connected bool, reason string) {
	s.mu.Lock()
	if connected == s.connected && reason == s.reason {
		s.mu.Unlock()
		return
	}
	if connected != s.connected {
		s.since = s.now().UTC()
	}
	s.connected, s.reason = connected, reason
	s.mu.Unlock()
	if connected {
		s.log.Info("the pod network is connected", "step", "pod-network", "relay", s.relay)
	} else {
		s.log.Warn("the pod network is disconnected", "step", "pod-network", "relay", s.relay, "reason", reason)
	}
	if s.OnChange != nil {
		s.OnChange()
	}
}
