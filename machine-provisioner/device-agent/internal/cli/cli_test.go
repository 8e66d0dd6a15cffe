package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/agent"
	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/manifests"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/store"
)

// containerdStandIn answers like a containerd that holds some images and runs nothing.
type containerdStandIn struct{ images map[string]bool }

func (c containerdStandIn) Observe(context.Context) (cri.Observation, error) {
	return cri.Observation{}, nil
}

func (c containerdStandIn) ImagePresent(_ context.Context, image string) (bool, error) {
	return c.images[image], nil
}

const podYAML = `kind: Pod
metadata:
  name: meter-eee
  namespace: edgeplane-workloads
  labels:
    edgeplane.io/workload: meter
spec:
  containers:
  - name: app
    image: reg/meter:0.9.0
`

// startAgent runs an agent with one seed workload (pumps: running 1.2.0, 1.3.0 staged without
// its image) and returns its socket.
func startAgent(t *testing.T) string {
	t.Helper()
	return startAgentWith(t, nil)
}

// startAgentWith is startAgent with the tunnel's state reported by tunnel (nil: not reported).
func startAgentWith(t *testing.T, tunnel agent.TunnelReporter) string {
	t.Helper()
	return startAgentTuned(t, func(c *agent.Config) { c.Tunnel = tunnel })
}

// startAgentTuned is startAgent with its configuration changed by tune.
func startAgentTuned(t *testing.T, tune func(*agent.Config)) string {
	t.Helper()
	dir := t.TempDir()
	st := store.Fresh()
	st.Spec = &model.Spec{ActionsAcknowledged: 0, Workloads: []model.SeedWorkload{{
		Name: "pumps", Generation: 7, Run: true,
		Live:   &model.Version{SpecHash: "aaa", Version: "1.2.0", Pod: "kind: Pod\n", Images: []string{"reg/app:1.2.0"}},
		Staged: &model.Version{SpecHash: "bbb", Version: "1.3.0", Pod: "kind: Pod\n", Images: []string{"reg/app:1.3.0"}},
	}}}
	cfg := agent.Config{
		Version: "test", Node: "dev1", Apiserver: "https://seed:6443", StateDir: filepath.Join(dir, "state"),
		Layout:  manifests.Layout{StaticPods: filepath.Join(dir, "manifests"), Configs: filepath.Join(dir, "configs")},
		Runtime: containerdStandIn{images: map[string]bool{"reg/app:1.2.0": true}},
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)), FastPoll: 20 * time.Millisecond, SlowPoll: 50 * time.Millisecond,
	}
	tune(&cfg)
	ag := agent.New(cfg, st)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); ag.RunReconciler(ctx) }()
	socket := filepath.Join(dir, "agent.sock")
	srv, err := localapi.Listen(socket, ag, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); cancel(); <-done })
	if info, err := os.Stat(socket); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v %v: must be 0600", info, err)
	}
	return socket
}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main("9.9.9", args, IO{Stdout: &out, Stderr: &errOut, Env: func(k string) string { return env[k] }})
	return result{code, out.String(), errOut.String()}
}

func expect(t *testing.T, r result, code int, stream, contains string) {
	t.Helper()
	text := r.stderr
	if stream == "stdout" {
		text = r.stdout
	}
	if r.code != code || !strings.Contains(text, contains) {
		t.Errorf("exit %d (want %d), %s %q does not contain %q (stderr %q)", r.code, code, stream, text, contains, r.stderr)
	}
}

func TestUsageErrorsNameTheArgument(t *testing.T) {
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": filepath.Join(t.TempDir(), "none.sock")}
	cases := []struct {
		args     []string
		contains string
	}{
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"workloads"}, "workloads needs a verb"},
		{[]string{"workloads", "restart", "pumps"}, `unknown workloads verb "restart"`},
		{[]string{"workloads", "stop"}, "exactly one NAME"},
		{[]string{"workloads", "stop", "a", "b"}, "exactly one NAME"},
		{[]string{"workloads", "stop", "Pumps_1"}, "NAME: workload name \"Pumps_1\" is not a DNS label"},
		{[]string{"workloads", "stop", "pumps", "--reason"}, "flag --reason needs a value"},
		{[]string{"workloads", "stop", "pumps", "--reason", ""}, "--reason: empty"},
		{[]string{"workloads", "stop", "pumps", "--force", "x"}, "unknown flag --force"},
		{[]string{"workloads", "list", "-o", "yaml"}, `-o: "yaml" is not table or json`},
		{[]string{"workloads", "list", "extra"}, "list takes no arguments"},
		{[]string{"status", "-o", "wide"}, `-o: "wide" is not table or json`},
		{[]string{"workloads", "import"}, "exactly one BUNDLE.tar"},
		{[]string{"workloads", "import", "/nonexistent.tar"}, "BUNDLE: /nonexistent.tar is not a readable file"},
		{[]string{"workloads", "import-verified", "--workload", "meter"}, "--spec-hash is required"},
		{[]string{"workloads", "import-verified", "--workload", "meter", "--spec-hash", "eee", "--config", "c"}, "--pod is required"},
		{[]string{"workloads", "import-verified", "--workload", "meter", "--spec-hash", "e-e", "--version", "1", "--pod", "p", "--config", "c"}, "--spec-hash: spec hash \"e-e\""},
		{[]string{"workloads", "import-verified", "--workload", "meter", "--spec-hash", "eee", "--version", "1", "--pod", "/nonexistent", "--config", "c"}, "--pod: open /nonexistent"},
		{[]string{"version", "extra"}, "version takes no arguments"},
		{[]string{"agent"}, "--apiserver is required"},
		{[]string{"agent", "--apiserver", "http://seed:6443", "--node", "dev1"}, `--apiserver: "http://seed:6443" is not https://HOST:PORT`},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "Dev_1"}, `--node: "Dev_1" is not a node name`},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1", "--heartbeat", "10ms"}, "--heartbeat: 10ms is below 1s"},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1", "extra"}, `agent takes flags only (got "extra")`},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1", "--tunnel-token", "token"}, `--tunnel-token: "token" is not an absolute file path`},
		{[]string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1", "--tunnel-health", "127.0.0.1:8093"}, `--tunnel-health: "127.0.0.1:8093" is not an http(s)://HOST:PORT/PATH URL`},
		{podNetwork("--pod-network-name", ""), "--pod-network-name is required with --pod-network"},
		{podNetwork("--cluster-pod-cidr", ""), "--cluster-pod-cidr is required with --pod-network"},
		{podNetwork("--pod-range", ""), "--pod-range is required with --pod-network"},
		{podNetwork("--pod-network", "seed.example"), `--pod-network: "seed.example" is not HOST:PORT`},
		{podNetwork("--cluster-pod-cidr", "10.244.0.0/33"), `--cluster-pod-cidr: "10.244.0.0/33" is not an IPv4 CIDR`},
		{podNetwork("--pod-range", "10.245.3.0/24"), "--pod-range: 10.245.3.0/24 is not a part of --cluster-pod-cidr 10.244.0.0/16"},
		{podNetwork("--pod-network-proxy", "https://proxy:3128"), `--pod-network-proxy: "https://proxy:3128" is not http://HOST:PORT`},
		{podNetwork("--pod-network-interface", "a/b"), `--pod-network-interface: "a/b" is not an interface name`},
	}
	for _, c := range cases {
		expect(t, run(t, env, c.args...), ExitUsage, "stderr", c.contains)
	}
	expect(t, run(t, env), ExitUsage, "stderr", "usage:")
}

// podNetwork is an agent command line with the pod network on, flag set to value.
func podNetwork(flag, value string) []string {
	args := []string{"agent", "--apiserver", "https://seed:6443", "--node", "dev1",
		"--pod-network", "seed.example:8134", "--pod-network-name", "cabcdefghij.pod-network.edgeplane.invalid",
		"--cluster-pod-cidr", "10.244.0.0/16", "--pod-range", "10.244.3.0/24"}
	for i := range args {
		if args[i] == flag {
			args[i+1] = value
			return args
		}
	}
	return append(args, flag, value)
}

func TestThePodNetworkIsOffByDefaultAndOnWithItsFlags(t *testing.T) {
	f, err := parseAgentFlags([]string{"--apiserver", "https://seed:6443", "--node", "dev1"}, IO{Stderr: io.Discard})
	if err != nil || f.podNetFlags.Enabled() {
		t.Fatalf("default: on=%v %v", f.podNetFlags.Enabled(), err)
	}
	f, err = parseAgentFlags(podNetwork("--pod-network-proxy", "http://proxy.dc:3128")[1:], IO{Stderr: io.Discard})
	if err != nil || !f.podNetFlags.Enabled() {
		t.Fatalf("on: %v", err)
	}
	c := f.podNet
	if c.Relay != "seed.example:8134" || c.ServerName != "cabcdefghij.pod-network.edgeplane.invalid" || c.PodRange.String() != "10.244.3.0/24" ||
		c.ClusterCIDR.String() != "10.244.0.0/16" || c.Proxy.Host != "proxy.dc:3128" || c.Interface != "edgeplane0" ||
		c.CAFile != "/etc/kubernetes/pki/ca.crt" || c.CertFile != "/var/lib/kubelet/pki/kubelet-client-current.pem" {
		t.Errorf("config %+v", c)
	}
}

func TestVersion(t *testing.T) {
	expect(t, run(t, nil, "version"), ExitOK, "stdout", "edgeplane-device 9.9.9")
}

func TestWithoutTheAgentTheCommandSaysHowToStartIt(t *testing.T) {
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": filepath.Join(t.TempDir(), "none.sock")}
	bundle := filepath.Join(t.TempDir(), "b.tar")
	os.WriteFile(bundle, []byte("x"), 0o600)
	for _, args := range [][]string{{"workloads", "list"}, {"workloads", "stop", "pumps"}, {"status"}, {"workloads", "import", bundle}} {
		expect(t, run(t, env, args...), ExitNoAgent, "stderr", "systemctl start edgeplane-device")
	}
}

func TestListStopStartAndTheirRefusals(t *testing.T) {
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgent(t), "SUDO_USER": "alice"}
	r := run(t, env, "workloads", "list")
	expect(t, r, ExitOK, "stdout", "NAME   VERSION  STATE      STAGED                  SYNC")
	expect(t, r, ExitOK, "stdout", "pumps  1.2.0    deploying  1.3.0 (missing images)  synced")

	expect(t, run(t, env, "workloads", "start", "pumps"), ExitRefused, "stderr", "workload pumps is not stopped (it is deploying)")
	expect(t, run(t, env, "workloads", "apply", "pumps"), ExitRefused, "stderr", "image reg/app:1.3.0 is not on this device")
	expect(t, run(t, env, "workloads", "stop", "nothing"), ExitNotFound, "stderr", "workload nothing is not on this device")
	expect(t, run(t, env, "workloads", "stop", "pumps"), ExitOK, "stdout", "stop of workload pumps recorded as local action 1")
	expect(t, run(t, env, "workloads", "stop", "pumps"), ExitRefused, "stderr", "workload pumps is already stopped")
	expect(t, run(t, env, "workloads", "list"), ExitOK, "stdout", "pumps  1.2.0    stopped  1.3.0 (missing images)  local change pending")

	var list []localapi.WorkloadView
	r = run(t, env, "workloads", "list", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || list[0].Run || list[0].Sync != localapi.LocalChangePending {
		t.Errorf("list -o json: %s %v", r.stdout, err)
	}
	var st localapi.AgentStatus
	r = run(t, env, "status", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || len(st.PendingActions) != 1 ||
		st.PendingActions[0].Cause != "edgeplane-device workloads stop by alice" {
		t.Errorf("status -o json: %s %v", r.stdout, err)
	}
	expect(t, run(t, env, "status"), ExitOK, "stdout", "pending actions:    1")
	expect(t, run(t, env, "workloads", "start", "pumps", "--reason", "back on"), ExitOK, "stdout", "start of workload pumps recorded as local action 2")
	expect(t, run(t, env, "workloads", "delete", "--reason=gone", "pumps"), ExitOK, "stdout", "workload pumps: gone from this device")
	expect(t, run(t, env, "workloads", "start", "pumps"), ExitNotFound, "stderr", "workload pumps is not on this device")
}

func TestImportRunsTheImportProgramWithTheReason(t *testing.T) {
	socket := startAgent(t)
	dir := t.TempDir()
	bundle := filepath.Join(dir, "meter.tar")
	os.WriteFile(bundle, []byte("bundle"), 0o600)
	podFile, configFile := filepath.Join(dir, "pod.yaml"), filepath.Join(dir, "app.yaml")
	os.WriteFile(podFile, []byte(podYAML), 0o600)
	os.WriteFile(configFile, []byte("k: v\n"), 0o600)
	// The import program verifies the bundle, then hands the pod back with import-verified;
	// here it records how it was called.
	calls := filepath.Join(dir, "calls")
	program := filepath.Join(dir, "import-bundle")
	os.WriteFile(program, []byte("#!/bin/sh\necho \"$1|$EDGEPLANE_IMPORT_REASON|$EDGEPLANE_DEVICE_SOCKET\" >>"+calls+"\nexit ${EXIT:-0}\n"), 0o755)
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": socket, "EDGEPLANE_IMPORT_PROGRAM": program}

	expect(t, run(t, env, "workloads", "import", bundle, "--reason", "truck delivery"), ExitOK, "stderr", "")
	got, _ := os.ReadFile(calls)
	if string(got) != bundle+"|truck delivery|"+socket+"\n" {
		t.Errorf("import program called as %q", got)
	}
	os.Setenv("EXIT", "7")
	defer os.Unsetenv("EXIT")
	if r := run(t, env, "workloads", "import", bundle); r.code != 7 {
		t.Errorf("the import program's failure must be the command's exit code, got %d", r.code)
	}

	env["EDGEPLANE_IMPORT_REASON"] = "truck delivery"
	verified := []string{"workloads", "import-verified", "--workload", "meter", "--spec-hash", "eee", "--version", "0.9.0", "--pod", podFile, "--config", configFile}
	expect(t, run(t, env, verified...), ExitOK, "stdout", "import of workload meter recorded as local action 1")
	expect(t, run(t, env, verified...), ExitOK, "stdout", "already runs version 0.9.0 (eee); nothing changed")
	r := run(t, env, "status", "-o", "json")
	var st localapi.AgentStatus
	json.Unmarshal([]byte(r.stdout), &st)
	if len(st.PendingActions) != 1 || st.PendingActions[0].Cause != "truck delivery" || st.PendingActions[0].Version != "0.9.0" {
		t.Errorf("pending %+v", st.PendingActions)
	}
	expect(t, run(t, env, "workloads", "list"), ExitOK, "stdout", "meter  0.9.0    deploying  -")
	// A bundle made before versions were recorded has none.
	unversioned := []string{"workloads", "import-verified", "--workload", "meter", "--spec-hash", "fff", "--pod", podFile, "--config", configFile}
	expect(t, run(t, env, unversioned...), ExitOK, "stdout", "import of workload meter recorded as local action 2")

	wrong := append([]string(nil), verified...)
	wrong[3] = "pumps"
	expect(t, run(t, env, wrong...), ExitUsage, "stderr", `--pod: label edgeplane.io/workload is "meter", not "pumps"`)
}

// tunnelAt stands in for tunnel.Monitor: a fixed state.
type tunnelAt model.LinkStatus

func (t tunnelAt) Report() model.LinkStatus { return model.LinkStatus(t) }

func TestStatusShowsTheTunnel(t *testing.T) {
	down := tunnelAt{State: "disconnected", Since: "2026-12-06T11:20:00Z",
		Reason: "the tunnel agent is not connected to the tunnel server (no servers connected); no tunnel token yet"}
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgentWith(t, down)}
	r := run(t, env, "status")
	expect(t, r, ExitOK, "stdout", "tunnel:             disconnected since 2026-12-06T11:20:00Z\n")
	expect(t, r, ExitOK, "stdout", "tunnel reason:      the tunnel agent is not connected to the tunnel server (no servers connected); no tunnel token yet\n")
	r = run(t, env, "status", "-o", "json")
	expect(t, r, ExitOK, "stdout", `"tunnel": {
    "state": "disconnected",
    "since": "2026-12-06T11:20:00Z",
    "reason": "the tunnel agent is not connected to the tunnel server (no servers connected); no tunnel token yet"
  }`)

	up := tunnelAt{State: "connected", Since: "2026-12-06T11:25:00Z"}
	r = run(t, map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgentWith(t, up)}, "status")
	expect(t, r, ExitOK, "stdout", "tunnel:             connected since 2026-12-06T11:25:00Z\n")
	if strings.Contains(r.stdout, "tunnel reason") {
		t.Errorf("a connected tunnel has no reason: %s", r.stdout)
	}

	off := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgent(t)}
	for _, args := range [][]string{{"status"}, {"status", "-o", "json"}} {
		if r := run(t, off, args...); r.code != ExitOK || strings.Contains(r.stdout, "tunnel") {
			t.Errorf("%v without tunnel reporting: %s", args, r.stdout)
		}
	}
}

// podNetworkAt stands in for podnet.State: a fixed state.
type podNetworkAt model.LinkStatus

func (p podNetworkAt) Report() model.LinkStatus { return model.LinkStatus(p) }

func TestStatusShowsThePodNetwork(t *testing.T) {
	down := podNetworkAt{State: "disconnected", Since: "2026-12-06T11:20:00Z",
		Reason: "cannot reach the relay seed.example:8134: connection refused"}
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgentTuned(t, func(c *agent.Config) { c.PodNetwork = down })}
	r := run(t, env, "status")
	expect(t, r, ExitOK, "stdout", "pod network:         disconnected since 2026-12-06T11:20:00Z\n")
	expect(t, r, ExitOK, "stdout", "pod network reason:  cannot reach the relay seed.example:8134: connection refused\n")
	r = run(t, env, "status", "-o", "json")
	expect(t, r, ExitOK, "stdout", `"podNetwork": {
    "state": "disconnected",
    "since": "2026-12-06T11:20:00Z",
    "reason": "cannot reach the relay seed.example:8134: connection refused"
  }`)
	off := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgent(t)}
	for _, args := range [][]string{{"status"}, {"status", "-o", "json"}} {
		if r := run(t, off, args...); r.code != ExitOK || strings.Contains(strings.ToLower(r.stdout), "pod network") || strings.Contains(r.stdout, "podNetwork") {
			t.Errorf("%v without the pod network: %s", args, r.stdout)
		}
	}
}

// checksAt stands in for onboarding.Runner: a fixed outcome.
type checksAt model.OnboardingStatus

func (c checksAt) Want(*model.OnboardingSpec) {}

func (c checksAt) Report() *model.OnboardingStatus { s := model.OnboardingStatus(c); return &s }

func TestStatusShowsTheOnboardingCheck(t *testing.T) {
	failed := checksAt{Request: 3, CheckedAt: "2026-12-06T11:20:30Z", Checks: []model.CheckResult{
		{Name: "image", Message: "the container runtime cannot pull reg.lab/pause:3.10: connection refused"},
		{Name: "clock", Passed: true, Message: "within 800ms of the apiserver's clock (at most 30s allowed)"}}}
	env := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgentTuned(t, func(c *agent.Config) { c.Onboarding = failed })}
	r := run(t, env, "status")
	expect(t, r, ExitOK, "stdout", "onboarding check:   failed at 2026-12-06T11:20:30Z (request 3)\n")
	expect(t, r, ExitOK, "stdout", "  image:            FAILED: the container runtime cannot pull reg.lab/pause:3.10: connection refused\n")
	expect(t, r, ExitOK, "stdout", "  clock:            passed: within 800ms")
	checking := map[string]string{"EDGEPLANE_DEVICE_SOCKET": startAgentTuned(t, func(c *agent.Config) {
		c.Onboarding = checksAt{Request: 4, Checks: []model.CheckResult{}}
	})}
	expect(t, run(t, checking, "status"), ExitOK, "stdout", "onboarding check:   checking (request 4)\n")
}
