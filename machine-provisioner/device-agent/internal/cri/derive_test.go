package cri

import (
	"testing"

	"edgeplane.io/device-agent/internal/model"
)

func running(name string, attempt uint32) Container {
	return Container{Name: name, Attempt: attempt, State: ContainerRunning}
}

func exited(name string, attempt uint32, code int32) Container {
	return Container{Name: name, Attempt: attempt, State: ContainerExited, ExitCode: code}
}

func pod(hash string, ready bool, created int64, cs ...Container) Pod {
	return Pod{Workload: "pumps", SpecHash: hash, Ready: ready, CreatedAt: created, Containers: cs}
}

var live = Want{Run: true, LiveHash: "aaa", Containers: []string{"app", "sidecar"}}

func TestDerive(t *testing.T) {
	cases := []struct {
		name    string
		want    Want
		pods    []Pod
		state   model.State
		message string
	}{
		{"no pod yet", live, nil, model.StateDeploying, ""},
		{"every container runs", live, []Pod{pod("aaa", true, 1, running("app", 0), running("sidecar", 0))}, model.StateRunning, ""},
		{"one container not created yet", live, []Pod{pod("aaa", true, 1, running("app", 0))}, model.StateDeploying, ""},
		{"a container created, not started", live, []Pod{pod("aaa", true, 1, running("app", 0), Container{Name: "sidecar", State: ContainerCreated})}, model.StateDeploying, ""},
		{"only the old version runs", live, []Pod{pod("old", true, 1, running("app", 0), running("sidecar", 0))}, model.StateDeploying, ""},
		{"the new sandbox is not ready", live, []Pod{pod("aaa", false, 1, running("app", 0), running("sidecar", 0))}, model.StateDeploying, ""},
		{"crash loop", live, []Pod{pod("aaa", true, 1, running("app", 0), exited("sidecar", 1, 1), exited("sidecar", 2, 137))},
			model.StateFailed, "container sidecar exited with code 137 (restarted 2 times)"},
		{"one restart is not a crash loop yet", live, []Pod{pod("aaa", true, 1, running("app", 0), exited("sidecar", 1, 1))}, model.StateDeploying, ""},
		{"restarted and running again", live, []Pod{pod("aaa", true, 1, running("app", 0), exited("sidecar", 2, 1), running("sidecar", 3))}, model.StateRunning, ""},
		{"a clean exit is not a failure", live, []Pod{pod("aaa", true, 1, running("app", 0), exited("sidecar", 2, 0))}, model.StateDeploying, ""},
		{"the newest ready sandbox counts", live, []Pod{
			pod("aaa", true, 1, exited("app", 2, 1), exited("sidecar", 2, 1)),
			pod("aaa", true, 2, running("app", 0), running("sidecar", 0))}, model.StateRunning, ""},
		{"stopped with the pod still there", Want{LiveHash: "aaa"}, []Pod{pod("aaa", true, 1, running("app", 0))}, model.StateStopping, ""},
		{"stopped and gone", Want{LiveHash: "aaa"}, []Pod{pod("aaa", false, 1, exited("app", 0, 0))}, model.StateStopped, ""},
		{"only staged", Want{Run: true}, nil, model.StateStopped, "no live version (only a staged one)"},
		{"container names unknown: what CRI shows", Want{Run: true, LiveHash: "aaa"}, []Pod{pod("aaa", true, 1, running("x", 0))}, model.StateRunning, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			state, message := Derive(c.want, c.pods)
			if state != c.state || message != c.message {
				t.Errorf("Derive = %s %q, want %s %q", state, message, c.state, c.message)
			}
		})
	}
}

func TestFromFilesSaysTheRuntimeDoesNotAnswer(t *testing.T) {
	cases := []struct {
		want    Want
		written bool
		state   model.State
	}{
		{live, true, model.StateRunning},
		{live, false, model.StateDeploying},
		{Want{LiveHash: "aaa"}, true, model.StateStopping},
		{Want{LiveHash: "aaa"}, false, model.StateStopped},
	}
	for _, c := range cases {
		state, message := FromFiles(c.want, c.written)
		if state != c.state || message != "container runtime not answering" {
			t.Errorf("FromFiles(%+v, %v) = %s %q", c.want, c.written, state, message)
		}
	}
}
