// Package desired computes what the device should run: the seed's entries with the pending
// local actions replayed on top (PROTOCOL.md, "The agent's effective desired state").
package desired

import (
	"sort"

	"edgeplane.io/device-agent/internal/model"
)

// Workload is one workload of the effective desired state.
type Workload struct {
	Name string
	// Generation is the seed entry's generation, 0 when the seed has no entry.
	Generation int64
	Run        bool
	HostPorts  bool
	Live       *model.Version
	Staged     *model.Version
	// Source is model.SourceLocal when a pending local action decides the workload.
	Source string
}

// Pending returns the actions the seed has not acknowledged yet, in seq order.
func Pending(spec *model.Spec, actions []model.Action) []model.Action {
	ack := spec.Acknowledged()
	var out []model.Action
	for _, a := range actions {
		if a.Seq > ack {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// Effective replays the pending actions on the seed's entries; the result is sorted by name.
// A nil spec (never seen) counts as no seed workloads.
func Effective(spec *model.Spec, actions []model.Action) []Workload {
	byName := map[string]*Workload{}
	if spec != nil {
		for _, e := range spec.Workloads {
			byName[e.Name] = &Workload{
				Name: e.Name, Generation: e.Generation, Run: e.Run, HostPorts: e.HostPorts,
				Live: e.Live, Staged: e.Staged, Source: model.SourceSeed,
			}
		}
	}
	for _, a := range Pending(spec, actions) {
		replay(byName, spec, a)
	}
	out := make([]Workload, 0, len(byName))
	for _, w := range byName {
		out = append(out, *w)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Find returns the workload of that name, or nil.
func Find(ws []Workload, name string) *Workload {
	for i := range ws {
		if ws[i].Name == name {
			return &ws[i]
		}
	}
	return nil
}

func replay(byName map[string]*Workload, spec *model.Spec, a model.Action) {
	w := byName[a.Workload]
	switch a.Action {
	case model.ActionStop, model.ActionStart:
		// Without a workload there is nothing to start or stop (the seed removed it meanwhile).
		if w != nil {
			w.Run = a.Action == model.ActionStart
			w.Source = model.SourceLocal
		}
	case model.ActionDelete:
		delete(byName, a.Workload)
	case model.ActionApply, model.ActionImport:
		if a.Runs == nil {
			return
		}
		if w == nil {
			// The version the person chose keeps running until the seed decides: a workload
			// the seed removed meanwhile, or one that only exists on this device.
			w = &Workload{Name: a.Workload, Run: true}
			if e := spec.Entry(a.Workload); e != nil {
				w.Generation = e.Generation
			}
			byName[a.Workload] = w
		}
		w.Live = a.Runs
		if w.Staged != nil && w.Staged.SpecHash == a.Runs.SpecHash {
			w.Staged = nil
		}
		if a.Action == model.ActionImport {
			w.Run = true
			w.HostPorts = w.HostPorts || a.HostPorts
		}
		w.Source = model.SourceLocal
	}
}
