package agent

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/manifests"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/store"
)

// runtimeStandIn stands in for containerd: what CRI shows, set by the test.
type runtimeStandIn struct {
	mu     sync.Mutex
	pods   []cri.Pod
	images map[string]bool
	down   bool
}

func (r *runtimeStandIn) Observe(context.Context) (cri.Observation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return cri.Observation{}, errors.New("connection refused")
	}
	return cri.Observation{Pods: append([]cri.Pod(nil), r.pods...)}, nil
}

func (r *runtimeStandIn) ImagePresent(_ context.Context, image string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return false, errors.New("connection refused")
	}
	return r.images[image], nil
}

func pod(hash string) string {
	return "kind: Pod\nmetadata:\n  namespace: edgeplane-workloads\n  labels:\n    edgeplane.io/workload: pumps\nspec:\n  containers:\n  - name: app\n    image: reg/app:" + hash + "\n"
}

func version(hash, v string) *model.Version {
	return &model.Version{SpecHash: hash, Version: v, Pod: pod(hash), Config: "c: " + hash, Images: []string{"reg/app:" + hash}}
}

func seedSpec() model.Spec {
	return model.Spec{ActionsAcknowledged: 12, Workloads: []model.SeedWorkload{
		{Name: "pumps", Generation: 7, Run: true, Live: version("aaa", "1.2.0"), Staged: version("bbb", "1.3.0")},
	}}
}

type harness struct {
	agent   *Agent
	runtime *runtimeStandIn
	dir     string
	cancel  context.CancelFunc
}

func start(t *testing.T, st store.State) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{runtime: &runtimeStandIn{images: map[string]bool{}}, dir: dir}
	h.agent = New(Config{
		Version: "0.1.0", Node: "dev1", StateDir: filepath.Join(dir, "state"),
		Layout:  manifests.Layout{StaticPods: filepath.Join(dir, "manifests"), Configs: filepath.Join(dir, "workloads")},
		Runtime: h.runtime, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:      func() time.Time { return time.Date(2026, 12, 6, 11, 19, 58, 0, time.UTC) },
		FastPoll: 20 * time.Millisecond, SlowPoll: 50 * time.Millisecond,
	}, st)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	done := make(chan struct{})
	go func() { defer close(done); h.agent.RunReconciler(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// adopt takes a spec and waits until the files follow it.
func (h *harness) adopt(spec model.Spec, rv string) {
	h.agent.AdoptSpec(spec, rv, true)
	h.agent.reconcileAndWait(context.Background())
}

func (h *harness) podFile(w, hash string) string {
	return filepath.Join(h.dir, "manifests", "edgeplane-workload-"+w+"."+hash+".yaml")
}

func (h *harness) has(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func kindOf(err error) localapi.ErrorKind {
	var e *localapi.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func TestPersistedStateIsActedOnBeforeAnyConnection(t *testing.T) {
	st := store.Fresh()
	spec := seedSpec()
	st.Spec = &spec
	h := start(t, st)
	h.agent.reconcileAndWait(context.Background())
	if !h.has(h.podFile("pumps", "aaa")) {
		t.Fatal("a device that boots without WAN must bring its workloads back from state.json")
	}
}

func TestStopThenStartWithStateChecks(t *testing.T) {
	h := start(t, store.Fresh())
	h.adopt(seedSpec(), "100")
	ctx := context.Background()
	if _, err := h.agent.Act(ctx, model.ActionStart, "pumps", "test"); kindOf(err) != localapi.KindRefused {
		t.Errorf("start of a running workload: %v", err)
	}
	res, err := h.agent.Act(ctx, model.ActionStop, "pumps", "maintenance")
	if err != nil {
		t.Fatal(err)
	}
	if res.Action.Seq != 13 || res.Action.BasedOnGeneration != 7 || res.Action.Cause != "maintenance" || res.Action.At != "2026-12-06T11:19:58Z" {
		t.Errorf("action %+v", res.Action)
	}
	if h.has(h.podFile("pumps", "aaa")) {
		t.Error("the action answered before the pod file was removed")
	}
	if _, err := h.agent.Act(ctx, model.ActionStop, "pumps", "test"); kindOf(err) != localapi.KindRefused {
		t.Errorf("stop of a stopped workload: %v", err)
	}
	if _, err := h.agent.Act(ctx, model.ActionStart, "pumps", "test"); err != nil {
		t.Fatal(err)
	}
	if !h.has(h.podFile("pumps", "aaa")) {
		t.Error("start did not write the pod file")
	}
	if _, err := h.agent.Act(ctx, model.ActionDelete, "nothing", "test"); kindOf(err) != localapi.KindNotFound {
		t.Errorf("delete of an unknown workload: %v", err)
	}
}

func TestApplyNeedsEveryStagedImage(t *testing.T) {
	h := start(t, store.Fresh())
	h.adopt(seedSpec(), "100")
	ctx := context.Background()
	_, err := h.agent.Act(ctx, model.ActionApply, "pumps", "test")
	if kindOf(err) != localapi.KindRefused || err.Error() != "image reg/app:bbb is not on this device" {
		t.Fatalf("apply without the image: %v", err)
	}
	h.runtime.mu.Lock()
	h.runtime.images["reg/app:bbb"] = true
	h.runtime.mu.Unlock()
	res, err := h.agent.Act(ctx, model.ActionApply, "pumps", "shift")
	if err != nil {
		t.Fatal(err)
	}
	if res.Action.SpecHash != "bbb" || res.Action.Version != "1.3.0" || res.Workload.Version != "1.3.0" || res.Workload.Staged != nil {
		t.Errorf("apply result %+v %+v", res.Action, res.Workload)
	}
	if !h.has(h.podFile("pumps", "bbb")) || !h.has(h.podFile("pumps", "aaa")) {
		t.Error("side by side: the new pod is written, the old one serves until the new runs")
	}
	if _, err := h.agent.Act(ctx, model.ActionApply, "pumps", "again"); kindOf(err) != localapi.KindRefused {
		t.Errorf("apply without a staged version: %v", err)
	}
}

func TestAcknowledgementDropsActionsAndTheSeedDecides(t *testing.T) {
	h := start(t, store.Fresh())
	h.adopt(seedSpec(), "100")
	ctx := context.Background()
	if _, err := h.agent.Act(ctx, model.ActionStop, "pumps", "offline"); err != nil {
		t.Fatal(err)
	}
	if got := h.agent.StatusForWrite(time.Now()); len(got.Actions) != 1 || got.Workloads[0].Source != model.SourceLocal || got.Workloads[0].Run {
		t.Fatalf("pending stop: %+v", got)
	}
	// Meanwhile the operator changed the workload; the seed reports a conflict, keeps its own
	// state (running, a new generation) and acknowledges the action.
	conflict := seedSpec()
	conflict.ActionsAcknowledged = 13
	conflict.Workloads[0].Generation = 8
	h.agent.AdoptSpec(conflict, "101", false)
	got := h.agent.StatusForWrite(time.Now())
	if len(got.Actions) != 0 || !got.Workloads[0].Run || got.Workloads[0].Source != model.SourceSeed || got.Workloads[0].Generation != 8 {
		t.Errorf("after the acknowledgement: %+v", got)
	}
	back, _ := store.Load(filepath.Join(h.dir, "state"))
	if len(back.Actions) != 0 || back.NextSeq != 14 {
		t.Errorf("persisted %+v", back)
	}
	h.agent.reconcileAndWait(ctx)
	if !h.has(h.podFile("pumps", "aaa")) {
		t.Error("the seed's state (running) must be back on disk")
	}
}

func TestOwnStatusWritesComingBackDoNotMoveTheObservedVersion(t *testing.T) {
	h := start(t, store.Fresh())
	h.agent.AdoptSpec(seedSpec(), "100", true)
	h.agent.AdoptSpec(seedSpec(), "101", false)
	if got := h.agent.StatusForWrite(time.Now()).ObservedResourceVersion; got != "100" {
		t.Errorf("observedResourceVersion = %s", got)
	}
	select {
	case <-h.agent.StatusChanges():
	default:
	}
	h.agent.AdoptSpec(seedSpec(), "102", false)
	select {
	case <-h.agent.StatusChanges():
		t.Error("a status-only event asked for a status write: the agent would write forever")
	default:
	}
}

func TestImportIsRecordedOnceAndWritten(t *testing.T) {
	h := start(t, store.Fresh())
	req := localapi.ImportRequest{Workload: "pumps", SpecHash: "eee", Version: "0.9.0", Pod: pod("eee"), Config: "c", Cause: "bundle"}
	res, err := h.agent.Import(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Action.Action != model.ActionImport || res.Action.BasedOnGeneration != 0 || res.Workload.Generation != 0 {
		t.Errorf("import %+v %+v", res.Action, res.Workload)
	}
	if !h.has(h.podFile("pumps", "eee")) {
		t.Error("import did not write the pod")
	}
	again, err := h.agent.Import(context.Background(), req)
	if err != nil || again.Action != nil {
		t.Errorf("a second import of the same version: %+v %v", again, err)
	}
	bad := req
	bad.Pod = "kind: Pod\nmetadata:\n  namespace: default\n"
	if _, err := h.agent.Import(context.Background(), bad); kindOf(err) != localapi.KindUsage {
		t.Errorf("a pod the agent cannot observe: %v", err)
	}
}

func TestStateWithoutRuntimeComesFromFiles(t *testing.T) {
	st := store.Fresh()
	spec := seedSpec()
	st.Spec = &spec
	h := start(t, st)
	h.runtime.mu.Lock()
	h.runtime.down = true
	h.runtime.mu.Unlock()
	h.agent.reconcileAndWait(context.Background())
	ws := h.agent.StatusForWrite(time.Now()).Workloads[0]
	if ws.State != model.StateRunning || ws.Message != "container runtime not answering" {
		t.Errorf("workload %+v", ws)
	}
}

func TestStatusShape(t *testing.T) {
	spec := seedSpec()
	pending := []model.Action{{Seq: 13, Workload: "pumps", Action: model.ActionApply, At: time.Date(2026, 12, 6, 11, 19, 58, 0, time.UTC),
		Cause: "edgeplane-device workloads apply by root: maintenance shift", BasedOnGeneration: 7, SpecHash: "abcdef0123", Version: "1.3.0",
		Runs: version("abcdef0123", "1.3.0")}}
	eff := desired.Effective(&spec, nil)
	eff[0].Live = &model.Version{SpecHash: "0123456789", Version: "1.2.0"}
	eff[0].Staged = &model.Version{SpecHash: "abcdef0123"}
	view := map[string]observed{"pumps": {State: model.StateRunning, StagedImagesPresent: true}}
	got, _ := json.Marshal(BuildStatus("0.1.0", time.Date(2026, 12, 6, 11, 20, 0, 0, time.UTC), "1234", eff, view, pending))
	want := `{"agentVersion":"0.1.0","heartbeatTime":"2026-12-06T11:20:00Z","observedResourceVersion":"1234",` +
		`"workloads":[{"name":"pumps","generation":7,"specHash":"0123456789","version":"1.2.0","run":true,"state":"running","message":"",` +
		`"source":"seed","stagedSpecHash":"abcdef0123","stagedImagesPresent":true}],` +
		`"actions":[{"seq":13,"workload":"pumps","action":"apply","at":"2026-12-06T11:19:58Z",` +
		`"cause":"edgeplane-device workloads apply by root: maintenance shift","basedOnGeneration":7,"specHash":"abcdef0123","version":"1.3.0"}],` +
		`"tunnel":null,"podNetwork":null,"onboarding":null}`
	if string(got) != want {
		t.Errorf("status\n got %s\nwant %s", got, want)
	}
	empty, _ := json.Marshal(BuildStatus("0.1.0", time.Unix(0, 0), "", nil, nil, nil))
	if string(empty) != `{"agentVersion":"0.1.0","heartbeatTime":"1970-01-01T00:00:00Z","observedResourceVersion":"","workloads":[],"actions":[],"tunnel":null,"podNetwork":null,"onboarding":null}` {
		t.Errorf("empty status %s: a merge patch needs every field, lists as [] not null", empty)
	}
}

// tunnelAt stands in for tunnel.Monitor: a fixed state.
type tunnelAt model.LinkStatus

func (t tunnelAt) Report() model.LinkStatus { return model.LinkStatus(t) }

func TestStatusCarriesTheTunnelOnlyWhenReported(t *testing.T) {
	cfg := Config{Version: "0.1.0", Node: "dev1", StateDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cfg.Tunnel = tunnelAt{State: model.LinkDisconnected, Since: "2026-12-06T11:20:00Z",
		Reason: "the tunnel agent does not answer on 127.0.0.1:8093 (not running?); no tunnel token yet"}
	reported := New(cfg, store.Fresh())
	got, _ := json.Marshal(reported.StatusForWrite(time.Date(2026, 12, 6, 11, 21, 0, 0, time.UTC)))
	want := `{"agentVersion":"0.1.0","heartbeatTime":"2026-12-06T11:21:00Z","observedResourceVersion":"","workloads":[],"actions":[],` +
		`"tunnel":{"state":"disconnected","since":"2026-12-06T11:20:00Z","reason":"the tunnel agent does not answer on 127.0.0.1:8093 (not running?); no tunnel token yet"},"podNetwork":null,"onboarding":null}`
	if string(got) != want {
		t.Errorf("status\n got %s\nwant %s", got, want)
	}
	if st := reported.Status(); st.Tunnel == nil || st.Tunnel.State != model.LinkDisconnected {
		t.Errorf("the local status shows no tunnel: %+v", st.Tunnel)
	}

	cfg.Tunnel = nil
	off := New(cfg, store.Fresh())
	// null in a merge patch removes the key: the object then has no tunnel at all.
	if got, _ := json.Marshal(off.StatusForWrite(time.Now())); !strings.HasSuffix(string(got), `"actions":[],"tunnel":null,"podNetwork":null,"onboarding":null}`) {
		t.Errorf("status without tunnel reporting %s", got)
	}
	if local, _ := json.Marshal(off.Status()); strings.Contains(string(local), "tunnel") {
		t.Errorf("the local status of an agent without tunnel reporting: %s", local)
	}
}

// podNetworkAt stands in for podnet.State: a fixed state.
type podNetworkAt model.LinkStatus

func (p podNetworkAt) Report() model.LinkStatus { return model.LinkStatus(p) }

func TestStatusCarriesThePodNetworkOnlyWhenItIsOn(t *testing.T) {
	cfg := Config{Version: "0.1.0", Node: "dev1", StateDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cfg.PodNetwork = podNetworkAt{State: model.LinkConnected, Since: "2026-12-06T11:20:00Z"}
	on := New(cfg, store.Fresh())
	got, _ := json.Marshal(on.StatusForWrite(time.Date(2026, 12, 6, 11, 21, 0, 0, time.UTC)))
	// reason "" while connected: a merge patch keeps a key it is not given.
	if !strings.HasSuffix(string(got), `"tunnel":null,"podNetwork":{"state":"connected","since":"2026-12-06T11:20:00Z","reason":""},"onboarding":null}`) {
		t.Errorf("status %s", got)
	}
	if st := on.Status(); st.PodNetwork == nil || st.PodNetwork.State != model.LinkConnected {
		t.Errorf("the local status shows no pod network: %+v", st.PodNetwork)
	}
	cfg.PodNetwork = nil
	off := New(cfg, store.Fresh())
	if local, _ := json.Marshal(off.Status()); strings.Contains(string(local), "podNetwork") {
		t.Errorf("the local status of an agent without pod network: %s", local)
	}
}

func TestNoteStatusChangeAsksForAWrite(t *testing.T) {
	a := New(Config{StateDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, store.Fresh())
	a.NoteStatusChange()
	select {
	case <-a.StatusChanges():
	default:
		t.Error("a change of the tunnel's state must lead to a status write")
	}
}

// onboardingAt stands in for onboarding.Runner: it keeps what it is asked for and reports a fixed outcome.
type onboardingAt struct {
	wanted []*model.OnboardingSpec
	report *model.OnboardingStatus
}

func (o *onboardingAt) Want(spec *model.OnboardingSpec) { o.wanted = append(o.wanted, spec) }

func (o *onboardingAt) Report() *model.OnboardingStatus { return o.report }

func TestTheSeedsOnboardingRequestReachesTheCheckAndItsOutcomeTheStatus(t *testing.T) {
	checks := &onboardingAt{report: &model.OnboardingStatus{Request: 2, CheckedAt: "2026-12-06T11:20:30Z",
		Checks: []model.CheckResult{{Name: model.CheckDisk, Passed: false, Message: "12 MiB free on /var/lib/containerd (at least 1024 MiB needed)"}}}}
	cfg := Config{Version: "0.1.0", Node: "dev1", StateDir: t.TempDir(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Onboarding: checks}
	a := New(cfg, store.Fresh())
	spec := seedSpec()
	spec.Onboarding = &model.OnboardingSpec{Request: 2, Image: "registry.lab/pause:3.10", MinFreeDiskMiB: 1024, MaxClockSkewSeconds: 30}
	a.AdoptSpec(spec, "41", true)
	if len(checks.wanted) != 1 || checks.wanted[0] == nil || checks.wanted[0].Request != 2 {
		t.Fatalf("the runner was asked for %+v", checks.wanted)
	}
	got, _ := json.Marshal(a.StatusForWrite(time.Date(2026, 12, 6, 11, 21, 0, 0, time.UTC)))
	if !strings.HasSuffix(string(got), `"onboarding":{"request":2,"checkedAt":"2026-12-06T11:20:30Z",`+
		`"checks":[{"name":"disk","passed":false,"message":"12 MiB free on /var/lib/containerd (at least 1024 MiB needed)"}]}}`) {
		t.Errorf("status %s", got)
	}
	if st := a.Status(); st.Onboarding == nil || st.Onboarding.Request != 2 {
		t.Errorf("the local status shows no onboarding check: %+v", st.Onboarding)
	}
}
