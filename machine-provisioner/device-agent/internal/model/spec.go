// Package model holds the shapes of the DeviceWorkloads object the seed and the agent share
// (PROTOCOL.md): the spec the seed writes, the status the agent writes, and the local actions.
package model

// Where every Edgeplane workload pod lives, and the marks the agent finds its pods by.
const (
	Namespace          = "edgeplane-workloads"
	LabelWorkload      = "edgeplane.io/workload"
	LabelNode          = "edgeplane.io/node"
	AnnotationSpecHash = "edgeplane.io/spec-hash"
)

// Version is one version of a workload: the static pod and the configuration file it mounts.
type Version struct {
	SpecHash string   `json:"specHash"`
	Version  string   `json:"version"`
	Pod      string   `json:"pod"`
	Config   string   `json:"config"`
	Images   []string `json:"images,omitempty"`
}

// SeedWorkload is one entry of spec.workloads.
type SeedWorkload struct {
	Name       string   `json:"name"`
	Generation int64    `json:"generation"`
	Run        bool     `json:"run"`
	HostPorts  bool     `json:"hostPorts"`
	Live       *Version `json:"live,omitempty"`
	Staged     *Version `json:"staged,omitempty"`
}

// Spec is what the seed wants this device to run.
type Spec struct {
	ActionsAcknowledged int64          `json:"actionsAcknowledged"`
	Workloads           []SeedWorkload `json:"workloads"`
	// Onboarding asks for the device's onboarding check; nil from a seed that asks for none.
	Onboarding *OnboardingSpec `json:"onboarding,omitempty"`
}

// OnboardingSpec is spec.onboarding: what the onboarding check checks, and which request of it
// this is (the seed counts up to have the check run again).
type OnboardingSpec struct {
	Request             int64  `json:"request"`
	Image               string `json:"image"`
	MinFreeDiskMiB      int64  `json:"minFreeDiskMiB"`
	MinFreeMemoryMiB    int64  `json:"minFreeMemoryMiB"`
	MaxClockSkewSeconds int64  `json:"maxClockSkewSeconds"`
}

// Entry returns the seed entry of a workload, or nil.
func (s *Spec) Entry(name string) *SeedWorkload {
	if s == nil {
		return nil
	}
	for i := range s.Workloads {
		if s.Workloads[i].Name == name {
			return &s.Workloads[i]
		}
	}
	return nil
}

// Acknowledged is spec.actionsAcknowledged, 0 when no spec was ever seen.
func (s *Spec) Acknowledged() int64 {
	if s == nil {
		return 0
	}
	return s.ActionsAcknowledged
}

// Sanitized keeps the entries the agent can act on safely: names and hashes end up in file
// paths, so an entry the seed should never have written is dropped (and reported) rather
// than trusted. Duplicates keep the first entry.
func (s Spec) Sanitized() (Spec, []string) {
	out := Spec{ActionsAcknowledged: s.ActionsAcknowledged, Workloads: []SeedWorkload{}}
	var problems []string
	if s.Onboarding != nil {
		if err := s.Onboarding.check(); err != nil {
			problems = append(problems, "spec.onboarding: "+err.Error())
		} else {
			o := *s.Onboarding
			out.Onboarding = &o
		}
	}
	seen := map[string]bool{}
	for _, w := range s.Workloads {
		if err := CheckWorkloadName(w.Name); err != nil {
			problems = append(problems, "spec.workloads: "+err.Error())
			continue
		}
		if seen[w.Name] {
			problems = append(problems, "spec.workloads: duplicate entry "+w.Name)
			continue
		}
		if err := checkVersion(w.Live); err != nil {
			problems = append(problems, "spec.workloads["+w.Name+"].live: "+err.Error())
			continue
		}
		if err := checkVersion(w.Staged); err != nil {
			problems = append(problems, "spec.workloads["+w.Name+"].staged: "+err.Error())
			continue
		}
		seen[w.Name] = true
		out.Workloads = append(out.Workloads, w)
	}
	return out, problems
}

// check refuses what the agent cannot check with: the image ends up in a static pod file.
func (o OnboardingSpec) check() error {
	switch {
	case o.Request < 1:
		return errorf("request %d is below 1", o.Request)
	case !imageReference.MatchString(o.Image):
		return errorf("image %q is not an image reference", o.Image)
	case o.MinFreeDiskMiB < 0 || o.MinFreeMemoryMiB < 0:
		return errorf("a minimum below 0")
	case o.MaxClockSkewSeconds < 1:
		return errorf("maxClockSkewSeconds %d is below 1", o.MaxClockSkewSeconds)
	}
	return nil
}

func checkVersion(v *Version) error {
	if v == nil {
		return nil
	}
	if err := CheckSpecHash(v.SpecHash); err != nil {
		return err
	}
	if v.Pod == "" {
		return errorf("pod is empty")
	}
	return nil
}
