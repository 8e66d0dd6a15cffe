// Package localapi is the agent's local API for the edgeplane-device command: HTTP over a unix
// socket only root can open. The agent works the same with the WAN up or down.
package localapi

import (
	"context"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

// Sync values of a listed workload.
const (
	Synced             = "synced"
	LocalChangePending = "local change pending"
)

// WorkloadView is one workload as `workloads list` shows it.
type WorkloadView struct {
	Name       string      `json:"name"`
	Version    string      `json:"version"`
	SpecHash   string      `json:"specHash"`
	Generation int64       `json:"generation"`
	Run        bool        `json:"run"`
	State      model.State `json:"state"`
	Message    string      `json:"message"`
	Source     string      `json:"source"`
	Staged     *StagedView `json:"staged"`
	Sync       string      `json:"sync"`
}

// StagedView is a workload's staged version.
type StagedView struct {
	Version       string `json:"version"`
	SpecHash      string `json:"specHash"`
	ImagesPresent bool   `json:"imagesPresent"`
}

// AgentStatus is what `status` shows.
type AgentStatus struct {
	AgentVersion string `json:"agentVersion"`
	Node         string `json:"node"`
	Apiserver    string `json:"apiserver"`
	Connected    bool   `json:"connected"`
	// Since: connected since, or disconnected since (agent start when never connected).
	Since                   time.Time            `json:"since"`
	LastHeartbeat           *time.Time           `json:"lastHeartbeat"`
	LastError               string               `json:"lastError"`
	ContainerRuntime        string               `json:"containerRuntime"`
	ObservedResourceVersion string               `json:"observedResourceVersion"`
	ActionsAcknowledged     int64                `json:"actionsAcknowledged"`
	PendingActions          []model.StatusAction `json:"pendingActions"`
	// Tunnel is the tunnel's state as the status reports it; absent when reporting is off.
	Tunnel *model.LinkStatus `json:"tunnel,omitempty"`
	// PodNetwork is the pod network's connection; absent when the pod network is off.
	PodNetwork *model.LinkStatus `json:"podNetwork,omitempty"`
	// Onboarding is the onboarding check's outcome; absent while the seed asks for none.
	Onboarding *model.OnboardingStatus `json:"onboarding,omitempty"`
}

// ActionRequest is the body of a workload action.
type ActionRequest struct {
	Cause string `json:"cause"`
}

// ImportRequest hands the agent a verified bundle's version (from edgeplane-import-bundle).
type ImportRequest struct {
	Workload string `json:"workload"`
	SpecHash string `json:"specHash"`
	Version  string `json:"version"`
	Pod      string `json:"pod"`
	Config   string `json:"config"`
	Cause    string `json:"cause"`
}

// ActionResult is the answer to an action: the recorded action (nil when nothing had to
// change) and the workload after the agent acted on it (nil once deleted).
type ActionResult struct {
	Action   *model.StatusAction `json:"action"`
	Message  string              `json:"message"`
	Workload *WorkloadView       `json:"workload"`
}

// ErrorKind sorts the errors the command maps to exit codes.
type ErrorKind string

const (
	KindUsage    ErrorKind = "usage"
	KindRefused  ErrorKind = "refused"
	KindNotFound ErrorKind = "not-found"
	KindInternal ErrorKind = "internal"
)

// Error is a refusal with its reason; it travels as the body of a non-2xx answer.
type Error struct {
	Kind    ErrorKind `json:"kind"`
	Message string    `json:"message"`
}

func (e *Error) Error() string { return e.Message }

// Backend is the agent as the local API sees it.
type Backend interface {
	Workloads() []WorkloadView
	Status() AgentStatus
	Act(ctx context.Context, verb model.ActionKind, workload, cause string) (ActionResult, error)
	Import(ctx context.Context, req ImportRequest) (ActionResult, error)
}
