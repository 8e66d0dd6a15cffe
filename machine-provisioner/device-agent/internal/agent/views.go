package agent

import (
	"time"

	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/model"
)

// StatusForWrite is the whole status for the DeviceWorkloads object (link.Agent).
func (a *Agent) StatusForWrite(now time.Time) model.Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := BuildStatus(a.cfg.Version, now, a.observedRV,
		desired.Effective(a.st.Spec, a.st.Actions), a.view, desired.Pending(a.st.Spec, a.st.Actions))
	st.Tunnel = a.tunnel()
	st.PodNetwork = a.podNetwork()
	st.Onboarding = a.onboarding()
	return st
}

// onboarding is status.onboarding: nil when no check runs.
func (a *Agent) onboarding() *model.OnboardingStatus {
	if a.cfg.Onboarding == nil {
		return nil
	}
	return a.cfg.Onboarding.Report()
}

// podNetwork is status.podNetwork: nil when the pod network is off.
func (a *Agent) podNetwork() *model.LinkStatus {
	if a.cfg.PodNetwork == nil {
		return nil
	}
	p := a.cfg.PodNetwork.Report()
	return &p
}

// tunnel is status.tunnel: nil when tunnel reporting is off.
func (a *Agent) tunnel() *model.LinkStatus {
	if a.cfg.Tunnel == nil {
		return nil
	}
	t := a.cfg.Tunnel.Report()
	return &t
}

// BuildStatus assembles the status from the effective desired state, what the last pass saw of
// each workload and the pending actions.
func BuildStatus(agentVersion string, now time.Time, resourceVersion string, eff []desired.Workload, view map[string]observed, pending []model.Action) model.Status {
	st := model.Status{
		AgentVersion:            agentVersion,
		HeartbeatTime:           now.UTC().Format(time.RFC3339),
		ObservedResourceVersion: resourceVersion,
		Workloads:               make([]model.WorkloadStatus, 0, len(eff)),
		Actions:                 make([]model.StatusAction, 0, len(pending)),
	}
	for _, w := range eff {
		o := view[w.Name]
		ws := model.WorkloadStatus{
			Name: w.Name, Generation: w.Generation, Run: w.Run, Source: w.Source,
			State: stateOf(w, o), Message: o.Message, StagedImagesPresent: o.StagedImagesPresent,
		}
		if w.Live != nil {
			ws.SpecHash, ws.Version = w.Live.SpecHash, w.Live.Version
		}
		if w.Staged != nil {
			ws.StagedSpecHash = w.Staged.SpecHash
		}
		st.Workloads = append(st.Workloads, ws)
	}
	for _, act := range pending {
		st.Actions = append(st.Actions, act.Reported())
	}
	return st
}

// Workloads lists the device's workloads for the command (localapi.Backend).
func (a *Agent) Workloads() []localapi.WorkloadView {
	a.mu.Lock()
	defer a.mu.Unlock()
	pending := desired.Pending(a.st.Spec, a.st.Actions)
	local := map[string]bool{}
	for _, act := range pending {
		local[act.Workload] = true
	}
	eff := desired.Effective(a.st.Spec, a.st.Actions)
	status := BuildStatus(a.cfg.Version, a.cfg.Now(), a.observedRV, eff, a.view, pending)
	out := make([]localapi.WorkloadView, 0, len(status.Workloads))
	for i, ws := range status.Workloads {
		v := localapi.WorkloadView{
			Name: ws.Name, Version: ws.Version, SpecHash: ws.SpecHash, Generation: ws.Generation,
			Run: ws.Run, State: ws.State, Message: ws.Message, Source: ws.Source, Sync: localapi.Synced,
		}
		if staged := eff[i].Staged; staged != nil {
			v.Staged = &localapi.StagedView{Version: staged.Version, SpecHash: staged.SpecHash, ImagesPresent: ws.StagedImagesPresent}
		}
		if local[ws.Name] {
			v.Sync = localapi.LocalChangePending
		}
		out = append(out, v)
	}
	return out
}

// Status describes the agent for the command (localapi.Backend).
func (a *Agent) Status() localapi.AgentStatus {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := localapi.AgentStatus{
		AgentVersion: a.cfg.Version, Node: a.cfg.Node, Apiserver: a.cfg.Apiserver,
		Connected: a.link.connected, Since: a.link.since, LastHeartbeat: a.link.lastHeartbeat,
		LastError: a.link.lastError, ContainerRuntime: "answering",
		ObservedResourceVersion: a.observedRV, ActionsAcknowledged: a.st.Spec.Acknowledged(),
		PendingActions: []model.StatusAction{}, Tunnel: a.tunnel(), PodNetwork: a.podNetwork(),
		Onboarding: a.onboarding(),
	}
	if !a.criOK {
		s.ContainerRuntime = "not answering"
	}
	for _, act := range desired.Pending(a.st.Spec, a.st.Actions) {
		s.PendingActions = append(s.PendingActions, act.Reported())
	}
	return s
}

// stateOf is the observed state, or, before the first pass observed the workload, what its
// desired state implies.
func stateOf(w desired.Workload, o observed) model.State {
	switch {
	case o.State != "":
		return o.State
	case w.Run && w.Live != nil:
		return model.StateDeploying
	default:
		return model.StateStopped
	}
}
