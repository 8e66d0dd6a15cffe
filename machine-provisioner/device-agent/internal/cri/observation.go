// Package cri observes the device's Edgeplane pods through the container runtime (CRI v1 over
// gRPC) and derives each workload's state from what it sees.
package cri

// ContainerState is a CRI container state.
type ContainerState int

const (
	ContainerCreated ContainerState = iota
	ContainerRunning
	ContainerExited
	ContainerUnknown
)

// Container is one container instance (one attempt) of a pod sandbox.
type Container struct {
	ID       string
	Name     string
	Attempt  uint32
	State    ContainerState
	ExitCode int32
}

// Pod is one pod sandbox of an Edgeplane workload.
type Pod struct {
	Workload   string
	SpecHash   string
	Ready      bool
	CreatedAt  int64
	Containers []Container
}

// Observation is every Edgeplane pod sandbox on the device.
type Observation struct {
	Pods []Pod
}

// Of returns the sandboxes of one workload.
func (o Observation) Of(workload string) []Pod {
	var out []Pod
	for _, p := range o.Pods {
		if p.Workload == workload {
			out = append(out, p)
		}
	}
	return out
}

// Ready reports whether a ready sandbox of that workload and spec hash exists.
func (o Observation) Ready(workload, hash string) bool {
	for _, p := range o.Pods {
		if p.Workload == workload && p.SpecHash == hash && p.Ready {
			return true
		}
	}
	return false
}

// ReadyOtherThan reports whether a ready sandbox of that workload with another spec hash exists.
func (o Observation) ReadyOtherThan(workload, hash string) bool {
	for _, p := range o.Pods {
		if p.Workload == workload && p.SpecHash != hash && p.Ready {
			return true
		}
	}
	return false
}

// ReadyAny reports whether a ready sandbox of that workload exists.
func (o Observation) ReadyAny(workload string) bool {
	for _, p := range o.Pods {
		if p.Workload == workload && p.Ready {
			return true
		}
	}
	return false
}
