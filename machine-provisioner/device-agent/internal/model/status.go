package model

// State is what a workload is doing on the device, as status.workloads[].state reports it.
type State string

const (
	StateRunning   State = "running"
	StateDeploying State = "deploying"
	StateStopping  State = "stopping"
	StateStopped   State = "stopped"
	StateFailed    State = "failed"
)

// Where a workload's effective state comes from.
const (
	SourceSeed  = "seed"
	SourceLocal = "local"
)

// The status is always written whole as a JSON merge patch, where an absent field would keep
// its old value: so no field of these types is omitted when empty.

// Status is the whole status of the DeviceWorkloads object.
type Status struct {
	AgentVersion            string           `json:"agentVersion"`
	HeartbeatTime           string           `json:"heartbeatTime"`
	ObservedResourceVersion string           `json:"observedResourceVersion"`
	Workloads               []WorkloadStatus `json:"workloads"`
	Actions                 []StatusAction   `json:"actions"`
	// Tunnel is nil when tunnel reporting is off (--tunnel-health=). It is then written as
	// null, which in a merge patch removes the key: the object has no tunnel key, and one left
	// from before reporting was turned off does not linger.
	Tunnel *LinkStatus `json:"tunnel"`
	// PodNetwork is nil when the pod network is off (no --pod-network); written as null then,
	// like Tunnel, so that no key lingers.
	PodNetwork *LinkStatus `json:"podNetwork"`
	// Onboarding is the onboarding check's outcome; nil (written as null) while the seed asks
	// for none.
	Onboarding *OnboardingStatus `json:"onboarding"`
}

// OnboardingStatus is status.onboarding: the request the checks ran for, and each check's outcome.
type OnboardingStatus struct {
	Request int64 `json:"request"`
	// CheckedAt is when the last check of this request ended ("" while the first still runs).
	CheckedAt string        `json:"checkedAt"`
	Checks    []CheckResult `json:"checks"`
}

// The checks of the onboarding check, as status.onboarding.checks[].name names them.
const (
	CheckImage  = "image"
	CheckClock  = "clock"
	CheckDisk   = "disk"
	CheckMemory = "memory"
)

// CheckResult is one check: passed or not, and what it found in words for an operator.
type CheckResult struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Message string `json:"message"`
}

// The states of a link: status.tunnel.state and status.podNetwork.state.
const (
	LinkConnected    = "connected"
	LinkDisconnected = "disconnected"
)

// LinkStatus is one of the device's links that dial out, as status.tunnel (the device's end of
// the cluster's reverse tunnel) and status.podNetwork (its connection to the pod network relay)
// report them.
type LinkStatus struct {
	State string `json:"state"`
	// Since is the time of the last change of state (RFC 3339, UTC).
	Since string `json:"since"`
	// Reason says why the link is down, in words for an operator; empty while connected (and
	// then written as "", which a merge patch needs to clear an old reason).
	Reason string `json:"reason"`
}

// WorkloadStatus is one entry of status.workloads.
type WorkloadStatus struct {
	Name                string `json:"name"`
	Generation          int64  `json:"generation"`
	SpecHash            string `json:"specHash"`
	Version             string `json:"version"`
	Run                 bool   `json:"run"`
	State               State  `json:"state"`
	Message             string `json:"message"`
	Source              string `json:"source"`
	StagedSpecHash      string `json:"stagedSpecHash"`
	StagedImagesPresent bool   `json:"stagedImagesPresent"`
}

// StatusAction is one entry of status.actions (a pending local action).
type StatusAction struct {
	Seq               int64      `json:"seq"`
	Workload          string     `json:"workload"`
	Action            ActionKind `json:"action"`
	At                string     `json:"at"`
	Cause             string     `json:"cause"`
	BasedOnGeneration int64      `json:"basedOnGeneration"`
	SpecHash          string     `json:"specHash,omitempty"`
	Version           string     `json:"version,omitempty"`
}
