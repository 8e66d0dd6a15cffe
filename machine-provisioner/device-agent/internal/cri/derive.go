package cri

import (
	"fmt"
	"sort"

	"edgeplane.io/device-agent/internal/model"
)

// crashLoopAttempts: a container whose attempt number reaches this has been restarted twice.
const crashLoopAttempts = 2

// Want is what the derivation compares CRI with: the effective desired state of one workload.
type Want struct {
	Run bool
	// LiveHash is the spec hash of the version that should run ("" when there is none).
	LiveHash string
	// Containers names every container the live pod has (from its manifest).
	Containers []string
}

// Derive is the state of one workload from its sandboxes (PROTOCOL.md, status.workloads[].state).
func Derive(want Want, pods []Pod) (model.State, string) {
	if !want.Run || want.LiveHash == "" {
		for _, p := range pods {
			if p.Ready {
				return model.StateStopping, ""
			}
		}
		if want.Run {
			return model.StateStopped, "no live version (only a staged one)"
		}
		return model.StateStopped, ""
	}
	current := newestReady(pods, want.LiveHash)
	if current == nil {
		return model.StateDeploying, ""
	}
	latest := latestAttempts(current.Containers)
	names := want.Containers
	if len(names) == 0 {
		for name := range latest {
			names = append(names, name)
		}
		sort.Strings(names)
	}
	for _, name := range names {
		c, ok := latest[name]
		if ok && c.State == ContainerExited && c.ExitCode != 0 && c.Attempt >= crashLoopAttempts {
			return model.StateFailed, fmt.Sprintf("container %s exited with code %d (restarted %d times)", name, c.ExitCode, c.Attempt)
		}
	}
	if len(names) == 0 {
		return model.StateDeploying, ""
	}
	for _, name := range names {
		if c, ok := latest[name]; !ok || c.State != ContainerRunning {
			return model.StateDeploying, ""
		}
	}
	return model.StateRunning, ""
}

// FromFiles is the state when CRI does not answer: what the files say is all there is to say.
func FromFiles(want Want, podFileWritten bool) (model.State, string) {
	const msg = "container runtime not answering"
	switch {
	case want.Run && want.LiveHash != "" && podFileWritten:
		return model.StateRunning, msg
	case want.Run && want.LiveHash != "":
		return model.StateDeploying, msg
	case podFileWritten:
		return model.StateStopping, msg
	default:
		return model.StateStopped, msg
	}
}

// Running reports whether every container of the pod of that hash runs: the moment an update
// hands over from the old pod to the new one.
func Running(pods []Pod, hash string, containers []string) bool {
	state, _ := Derive(Want{Run: true, LiveHash: hash, Containers: containers}, pods)
	return state == model.StateRunning
}

func newestReady(pods []Pod, hash string) *Pod {
	var best *Pod
	for i := range pods {
		p := &pods[i]
		if p.SpecHash == hash && p.Ready && (best == nil || p.CreatedAt > best.CreatedAt) {
			best = p
		}
	}
	return best
}

func latestAttempts(cs []Container) map[string]Container {
	latest := map[string]Container{}
	for _, c := range cs {
		if have, ok := latest[c.Name]; !ok || c.Attempt >= have.Attempt {
			latest[c.Name] = c
		}
	}
	return latest
}
