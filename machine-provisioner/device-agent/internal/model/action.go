package model

import "time"

// ActionKind is what the person on the device did.
type ActionKind string

const (
	ActionApply  ActionKind = "apply"
	ActionStart  ActionKind = "start"
	ActionStop   ActionKind = "stop"
	ActionDelete ActionKind = "delete"
	ActionImport ActionKind = "import"
)

// Action is one local action, kept until the seed acknowledges its seq.
type Action struct {
	Seq               int64      `json:"seq"`
	Workload          string     `json:"workload"`
	Action            ActionKind `json:"action"`
	At                time.Time  `json:"at"`
	Cause             string     `json:"cause"`
	BasedOnGeneration int64      `json:"basedOnGeneration"`
	SpecHash          string     `json:"specHash,omitempty"`
	Version           string     `json:"version,omitempty"`
	// Runs is the whole version an apply or import made live. Kept on disk so that replaying
	// the action gives the same pod whatever the seed says meanwhile; never reported.
	Runs *Version `json:"runs,omitempty"`
	// HostPorts says the imported pod binds host ports (a bundle does not say it; its pod does).
	HostPorts bool `json:"hostPorts,omitempty"`
}

// Reported is the action as status.actions[] shows it.
func (a Action) Reported() StatusAction {
	return StatusAction{
		Seq: a.Seq, Workload: a.Workload, Action: a.Action, At: a.At.UTC().Format(time.RFC3339),
		Cause: a.Cause, BasedOnGeneration: a.BasedOnGeneration, SpecHash: a.SpecHash, Version: a.Version,
	}
}
