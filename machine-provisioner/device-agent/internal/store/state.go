// Package store keeps the agent's memory on disk: the last seed spec seen, the next action seq
// and the pending local actions. A device that reboots without WAN runs from this file.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"edgeplane.io/device-agent/internal/fsatomic"
	"edgeplane.io/device-agent/internal/model"
)

// FileName is the state file inside --state-dir.
const FileName = "state.json"

// State is the content of state.json.
type State struct {
	// Node is the node the state belongs to: a device provisioned again under another name starts afresh.
	Node string `json:"node,omitempty"`
	// Spec is nil until the agent has read the object once: only then may it remove files.
	Spec *model.Spec `json:"spec,omitempty"`
	// ResourceVersion is the object's resourceVersion when Spec was read.
	ResourceVersion string         `json:"resourceVersion,omitempty"`
	NextSeq         int64          `json:"nextSeq"`
	Actions         []model.Action `json:"actions"`
}

// Fresh is the state of an agent that never ran here.
func Fresh() State { return State{NextSeq: 1, Actions: []model.Action{}} }

// For is st when it belongs to node (or to no node yet), else a fresh state: another node's
// desired workloads and local actions are not this node's to report.
func (st State) For(node string) (State, bool) {
	if st.Node != "" && st.Node != node {
		fresh := Fresh()
		fresh.Node = node
		return fresh, false
	}
	st.Node = node
	return st, true
}

// Load reads dir/state.json; a missing file is a fresh state, an unreadable one an error (the
// agent then refuses to start rather than forget what the device runs).
func Load(dir string) (State, error) {
	path := filepath.Join(dir, FileName)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Fresh(), nil
	}
	if err != nil {
		return State{}, err
	}
	st := Fresh()
	if err := json.Unmarshal(raw, &st); err != nil {
		return State{}, fmt.Errorf("%s: %w", path, err)
	}
	if st.NextSeq < 1 {
		st.NextSeq = 1
	}
	if st.Actions == nil {
		st.Actions = []model.Action{}
	}
	return st, nil
}

// Save writes dir/state.json atomically (0600: causes may name people).
func Save(dir string, st State) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	_, err = fsatomic.Write(filepath.Join(dir, FileName), append(raw, '\n'), 0o600)
	return err
}

// Acknowledge drops the actions the seed has decided (seq <= ack). It reports whether any went.
func (st *State) Acknowledge(ack int64) bool {
	kept := st.Actions[:0:0]
	for _, a := range st.Actions {
		if a.Seq > ack {
			kept = append(kept, a)
		}
	}
	dropped := len(kept) != len(st.Actions)
	st.Actions = kept
	return dropped
}

// NewSeq hands out the next action seq. It never reuses one: not one of this file, and not one
// the seed has acknowledged (a device whose state was lost must not reuse an acknowledged seq).
func (st *State) NewSeq() int64 {
	if ack := st.Spec.Acknowledged(); st.NextSeq <= ack {
		st.NextSeq = ack + 1
	}
	seq := st.NextSeq
	st.NextSeq++
	return seq
}
