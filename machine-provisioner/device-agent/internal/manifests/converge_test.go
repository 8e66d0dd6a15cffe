package manifests

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/model"
)

const podYAML = "kind: Pod\nspec:\n  containers:\n  - name: app\n"

type fixture struct {
	t     *testing.T
	c     *Converger
	clock time.Time
}

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	f := &fixture{t: t, clock: time.Unix(1000, 0)}
	f.c = NewConverger(Layout{StaticPods: filepath.Join(dir, "manifests"), Configs: filepath.Join(dir, "workloads")},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.c.Now = func() time.Time { return f.clock }
	return f
}

func workload(name, hash string, run bool) desired.Workload {
	return desired.Workload{Name: name, Run: run, Live: &model.Version{SpecHash: hash, Version: "v-" + hash, Pod: podYAML + "# " + hash, Config: "config " + hash}}
}

func (f *fixture) converge(obs *cri.Observation, ws ...desired.Workload) Result {
	f.t.Helper()
	res, err := f.c.Converge(Input{Workloads: ws, MayRemoveAbsent: true, Observed: obs})
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

func (f *fixture) pods() []string {
	entries, _ := os.ReadDir(f.c.Layout.StaticPods)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func (f *fixture) exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func assertPods(t *testing.T, f *fixture, want ...string) {
	t.Helper()
	got := f.pods()
	if len(got) != len(want) {
		t.Fatalf("pod files %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("pod files %v, want %v", got, want)
		}
	}
}

func runningPod(hash string) cri.Pod {
	return cri.Pod{Workload: "pumps", SpecHash: hash, Ready: true, Containers: []cri.Container{{Name: "app", State: cri.ContainerRunning}}}
}

func TestWritesConfigAndPodOfARunningWorkload(t *testing.T) {
	f := newFixture(t)
	res := f.converge(&cri.Observation{}, workload("pumps", "aaa", true))
	assertPods(t, f, "edgeplane-workload-pumps.aaa.yaml")
	raw, _ := os.ReadFile(f.c.Layout.ConfigFile("pumps", "aaa"))
	if string(raw) != "config aaa" || !res.PodWritten["pumps"] {
		t.Errorf("config %q, result %+v", raw, res)
	}
}

func TestASecondPassTouchesNothing(t *testing.T) {
	f := newFixture(t)
	w := workload("pumps", "aaa", true)
	f.converge(&cri.Observation{}, w)
	old := time.Now().Add(-time.Hour)
	pod := f.c.Layout.PodFile("pumps", "aaa")
	os.Chtimes(pod, old, old)
	f.converge(&cri.Observation{}, w)
	if info, _ := os.Stat(pod); !info.ModTime().Equal(old) {
		t.Error("an unchanged pod file was rewritten: the kubelet would restart the pod")
	}
}

func TestStopRemovesThePodAndKeepsTheConfig(t *testing.T) {
	f := newFixture(t)
	f.converge(&cri.Observation{}, workload("pumps", "aaa", true))
	f.converge(&cri.Observation{}, workload("pumps", "aaa", false))
	assertPods(t, f)
	if !f.exists(f.c.Layout.ConfigFile("pumps", "aaa")) {
		t.Error("the live version's configuration must stay while stopped")
	}
}

func TestAWorkloadGoneFromTheDesiredStateLosesPodAndThenConfig(t *testing.T) {
	f := newFixture(t)
	f.converge(&cri.Observation{}, workload("pumps", "aaa", true), workload("valves", "ccc", true))
	res := f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("aaa")}}, workload("valves", "ccc", true))
	assertPods(t, f, "edgeplane-workload-valves.ccc.yaml")
	if !res.Waiting || !f.exists(filepath.Join(f.c.Layout.Configs, "pumps")) {
		t.Error("the configuration goes after the pod, not while it may still read it")
	}
	f.converge(&cri.Observation{}, workload("valves", "ccc", true))
	if f.exists(filepath.Join(f.c.Layout.Configs, "pumps")) {
		t.Error("the configuration of a deleted workload stays")
	}
}

func TestNothingIsRemovedBeforeTheSpecWasEverRead(t *testing.T) {
	f := newFixture(t)
	f.converge(&cri.Observation{}, workload("pumps", "aaa", true))
	if _, err := f.c.Converge(Input{MayRemoveAbsent: false, Observed: &cri.Observation{}}); err != nil {
		t.Fatal(err)
	}
	assertPods(t, f, "edgeplane-workload-pumps.aaa.yaml")
}

func TestFilesTheAgentDoesNotOwnStay(t *testing.T) {
	f := newFixture(t)
	os.MkdirAll(f.c.Layout.StaticPods, 0o755)
	for _, name := range []string{"kube-proxy.yaml", "edgeplane-workload-meter.yaml", "edgeplane-workload-x.y.z.yaml"} {
		os.WriteFile(filepath.Join(f.c.Layout.StaticPods, name), []byte("x"), 0o644)
	}
	os.MkdirAll(f.c.Layout.ConfigDir("meter", "eee"), 0o755)
	os.WriteFile(filepath.Join(f.c.Layout.StaticPods, ".edgeplane-workload-pumps.aaa.yaml.tmp-123"), []byte("half"), 0o600)
	f.converge(&cri.Observation{})
	assertPods(t, f, "edgeplane-workload-meter.yaml", "edgeplane-workload-x.y.z.yaml", "kube-proxy.yaml")
	if !f.exists(f.c.Layout.ConfigDir("meter", "eee")) {
		t.Error("the configuration of a bundle imported before the agent must stay")
	}
}

func TestUpdateSideBySideKeepsTheOldPodUntilTheNewRuns(t *testing.T) {
	f := newFixture(t)
	f.converge(&cri.Observation{}, workload("pumps", "aaa", true))
	next := workload("pumps", "bbb", true)
	res := f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("aaa")}}, next)
	assertPods(t, f, "edgeplane-workload-pumps.aaa.yaml", "edgeplane-workload-pumps.bbb.yaml")
	if !res.Waiting {
		t.Error("a handover in progress must be reported (fast polling)")
	}
	f.converge(nil, next) // CRI not answering: the old pod keeps serving
	assertPods(t, f, "edgeplane-workload-pumps.aaa.yaml", "edgeplane-workload-pumps.bbb.yaml")
	res = f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("aaa"), runningPod("bbb")}}, next)
	assertPods(t, f, "edgeplane-workload-pumps.bbb.yaml")
	if !res.Waiting || !f.exists(f.c.Layout.ConfigDir("pumps", "aaa")) {
		t.Error("the old pod still runs: its configuration stays until it is gone")
	}
	res = f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("bbb")}}, next)
	if res.Waiting || f.exists(f.c.Layout.ConfigDir("pumps", "aaa")) || !f.exists(f.c.Layout.ConfigFile("pumps", "bbb")) {
		t.Error("the old version's configuration goes once its pod is gone; the new one's stays")
	}
}

func TestUpdateWithHostPortsRemovesTheOldPodFirst(t *testing.T) {
	f := newFixture(t)
	old := workload("pumps", "aaa", true)
	old.HostPorts = true
	f.converge(&cri.Observation{}, old)
	next := workload("pumps", "bbb", true)
	next.HostPorts = true
	res := f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("aaa")}}, next)
	assertPods(t, f)
	if !res.Waiting {
		t.Error("waiting for the old pod to go must be reported (fast polling)")
	}
	f.clock = f.clock.Add(10 * time.Second)
	f.converge(&cri.Observation{Pods: []cri.Pod{runningPod("aaa")}}, next)
	assertPods(t, f)
	f.converge(&cri.Observation{}, next)
	assertPods(t, f, "edgeplane-workload-pumps.bbb.yaml")
}

func TestHostPortUpdateWaitsBoundedWhenTheOldPodDoesNotGo(t *testing.T) {
	f := newFixture(t)
	next := workload("pumps", "bbb", true)
	next.HostPorts = true
	stuck := &cri.Observation{Pods: []cri.Pod{runningPod("aaa")}}
	f.converge(stuck, next)
	assertPods(t, f)
	f.clock = f.clock.Add(DefaultHostPortWait)
	f.converge(stuck, next)
	assertPods(t, f, "edgeplane-workload-pumps.bbb.yaml")
}

func TestParsePodFileName(t *testing.T) {
	for name, want := range map[string][2]string{
		"edgeplane-workload-pumps.abc123.yaml": {"pumps", "abc123"},
		"edgeplane-workload-pumps.yaml":        {},
		"edgeplane-workload-Pumps.abc.yaml":    {},
		"edgeplane-workload-a.b.c.yaml":        {},
		"edgeplane-workload-pumps.abc.yml":     {},
		"other-pumps.abc.yaml":                 {},
	} {
		w, h, ok := ParsePodFileName(name)
		if ok != (want[0] != "") || w != want[0] || h != want[1] {
			t.Errorf("ParsePodFileName(%q) = %q %q %v", name, w, h, ok)
		}
	}
}
