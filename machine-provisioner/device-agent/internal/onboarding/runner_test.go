package onboarding

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/testkit"
)

// fakeRuntime pulls as told and "runs" the check's pod once its file has been in the static pod
// directory for runAfter polls.
type fakeRuntime struct {
	mu         sync.Mutex
	staticPods string
	pullErr    error
	pulls      []string
	runAfter   int // polls with the file present before the container runs; <0: never
	polls      int
	podsSeen   []string
}

func (f *fakeRuntime) PullImage(_ context.Context, image string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pulls = append(f.pulls, image)
	return f.pullErr
}

func (f *fakeRuntime) CheckPod(context.Context) (bool, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pod, err := os.ReadFile(filepath.Join(f.staticPods, PodFileName))
	if err != nil {
		return false, "the kubelet has started no pod of it yet", nil
	}
	f.podsSeen = append(f.podsSeen, string(pod))
	f.polls++
	if f.runAfter >= 0 && f.polls > f.runAfter {
		return true, "", nil
	}
	return false, "its container exited with code 1", nil
}

func (f *fakeRuntime) set(pullErr error, runAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pullErr, f.runAfter, f.polls = pullErr, runAfter, 0
}

func (f *fakeRuntime) pullCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pulls)
}

type fixture struct {
	runtime *fakeRuntime
	runner  *Runner
	log     *testkit.SyncBuffer
	changes chan struct{}
	dir     string
}

func newFixture(t *testing.T, retry time.Duration) *fixture {
	dir := t.TempDir()
	meminfo := filepath.Join(dir, "meminfo")
	write(t, meminfo, "MemAvailable:     524288 kB\n")
	rt := &fakeRuntime{staticPods: dir}
	log, buf := testkit.NewLog()
	r := NewRunner(Config{
		Runtime: rt, StaticPods: dir, DiskPath: dir, MemInfo: meminfo, Log: log,
		Clock:      func() *kube.ClockReading { return &kube.ClockReading{Offset: time.Second, Uncertainty: time.Second} },
		RetryEvery: retry, RunWithin: 200 * time.Millisecond, Poll: 5 * time.Millisecond,
	})
	changes := make(chan struct{}, 100)
	r.OnChange = func() { changes <- struct{}{} }
	return &fixture{runtime: rt, runner: r, log: buf, changes: changes, dir: dir}
}

func (f *fixture) start(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.runner.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

func spec(request int64) *model.OnboardingSpec {
	return &model.OnboardingSpec{Request: request, Image: "registry.lab:5000/edgeplane/pause:3.10", MinFreeDiskMiB: 0,
		MinFreeMemoryMiB: 128, MaxClockSkewSeconds: 30}
}

func (f *fixture) awaitChecked(t *testing.T, request int64) *model.OnboardingStatus {
	t.Helper()
	var got *model.OnboardingStatus
	testkit.WaitFor(t, 5*time.Second, "request checked", func() bool {
		got = f.runner.Report()
		return got != nil && got.Request == request && got.CheckedAt != ""
	})
	return got
}

func result(st *model.OnboardingStatus, name string) model.CheckResult {
	for _, c := range st.Checks {
		if c.Name == name {
			return c
		}
	}
	return model.CheckResult{}
}

func TestAPassingCheckRunsTheImageAsAStaticPodRemovesItAndIsNotRepeated(t *testing.T) {
	f := newFixture(t, 10*time.Millisecond)
	f.runtime.set(nil, 2)
	f.start(t)
	if f.runner.Report() != nil {
		t.Fatal("a status before the seed asked for a check")
	}
	f.runner.Want(spec(1))
	st := f.awaitChecked(t, 1)
	if !passed(st.Checks) || len(st.Checks) != 4 {
		t.Fatalf("got %+v", st)
	}
	img := result(st, "image")
	if !strings.HasPrefix(img.Message, "pulled registry.lab:5000/edgeplane/pause:3.10 in ") || !strings.Contains(img.Message, "and ran it") {
		t.Fatalf("image: %+v", img)
	}
	if pod := f.runtime.podsSeen[0]; !strings.Contains(pod, `image: "registry.lab:5000/edgeplane/pause:3.10"`) ||
		!strings.Contains(pod, "imagePullPolicy: Never") || !strings.Contains(pod, "edgeplane.io/check: onboarding") {
		t.Fatalf("the check's static pod:\n%s", pod)
	}
	if _, err := os.Stat(filepath.Join(f.dir, PodFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the check's pod file stays: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := f.runtime.pullCount(); n != 1 {
		t.Fatalf("a passed request was checked %d times", n)
	}
	if f.log.Count("the onboarding check passed") != 1 {
		t.Fatalf("log:\n%s", f.log)
	}
}

func TestAFailedCheckSaysWhyAndRunsAgainUntilItPasses(t *testing.T) {
	f := newFixture(t, 30*time.Millisecond)
	f.runtime.set(errors.New("dial tcp 10.0.0.9:5000: connect: connection refused"), 0)
	f.start(t)
	f.runner.Want(spec(1))
	st := f.awaitChecked(t, 1)
	img := result(st, "image")
	if img.Passed || img.Message != "the container runtime cannot pull registry.lab:5000/edgeplane/pause:3.10: dial tcp 10.0.0.9:5000: connect: connection refused" {
		t.Fatalf("image: %+v", img)
	}
	if !result(st, "clock").Passed || !result(st, "disk").Passed || !result(st, "memory").Passed {
		t.Fatalf("the other checks: %+v", st.Checks)
	}
	testkit.WaitFor(t, 5*time.Second, "a second try", func() bool { return f.runtime.pullCount() >= 2 })
	if n := f.log.Count("an onboarding check failed"); n != 1 {
		t.Fatalf("the same failure logged %d times:\n%s", n, f.log)
	}

	// Fixed on site: the next try passes, and then nothing runs again.
	f.runtime.set(nil, 0)
	testkit.WaitFor(t, 5*time.Second, "passed", func() bool { st := f.runner.Report(); return passed(st.Checks) })
	pulls := f.runtime.pullCount()
	time.Sleep(100 * time.Millisecond)
	if f.runtime.pullCount() != pulls {
		t.Fatal("checked again after passing")
	}
}

func TestAPodThatNeverRunsFailsWithWhatTheRuntimeShowed(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.runtime.set(nil, -1)
	f.start(t)
	f.runner.Want(spec(1))
	img := result(f.awaitChecked(t, 1), "image")
	if img.Passed || !strings.Contains(img.Message, "but the kubelet ran no container of it within 200ms (its container exited with code 1)") {
		t.Fatalf("image: %+v", img)
	}
	if _, err := os.Stat(filepath.Join(f.dir, PodFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the check's pod file stays after a failure: %v", err)
	}
}

func TestANewRequestChecksAgainAndNoRequestClearsTheStatus(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.runtime.set(nil, 0)
	f.start(t)
	f.runner.Want(spec(1))
	f.awaitChecked(t, 1)
	f.runner.Want(spec(1)) // the same spec again (a resync): nothing to do
	time.Sleep(50 * time.Millisecond)
	if n := f.runtime.pullCount(); n != 1 {
		t.Fatalf("pulled %d times for one request", n)
	}
	f.runner.Want(spec(2))
	if st := f.awaitChecked(t, 2); !passed(st.Checks) {
		t.Fatalf("got %+v", st)
	}
	f.runner.Want(nil)
	testkit.WaitFor(t, time.Second, "no status", func() bool { return f.runner.Report() == nil })
}

func TestAPodFileAStoppedAgentLeftIsRemovedAtStart(t *testing.T) {
	f := newFixture(t, time.Hour)
	write(t, filepath.Join(f.dir, PodFileName), checkPod("registry.lab:5000/edgeplane/pause:3.10"))
	f.start(t)
	testkit.WaitFor(t, time.Second, "the leftover removed", func() bool {
		_, err := os.Stat(filepath.Join(f.dir, PodFileName))
		return errors.Is(err, os.ErrNotExist)
	})
}

func TestTheFirstRunOfARequestShowsAsChecking(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.runtime.set(nil, -1) // the image check takes its whole RunWithin
	f.start(t)
	f.runner.Want(spec(3))
	testkit.WaitFor(t, time.Second, "checking", func() bool {
		st := f.runner.Report()
		return st != nil && st.Request == 3 && st.CheckedAt == "" && len(st.Checks) == 0
	})
	<-f.changes
}

func TestTheClockCheckWaitsForTheApiserversFirstAnswer(t *testing.T) {
	f := newFixture(t, time.Hour)
	var mu sync.Mutex
	var reading *kube.ClockReading
	f.runner.cfg.Clock = func() *kube.ClockReading {
		mu.Lock()
		defer mu.Unlock()
		return reading
	}
	f.runner.cfg.ClockWait = 5 * time.Second
	f.runtime.set(nil, 0)
	f.start(t)
	f.runner.Want(spec(1))
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	reading = &kube.ClockReading{Offset: 300 * time.Millisecond, Uncertainty: 500 * time.Millisecond}
	mu.Unlock()
	if c := result(f.awaitChecked(t, 1), "clock"); !c.Passed {
		t.Fatalf("clock: %+v", c)
	}
}

func TestWithoutAnyAnswerTheClockCheckFailsAfterItsWait(t *testing.T) {
	f := newFixture(t, time.Hour)
	f.runner.cfg.Clock = func() *kube.ClockReading { return nil }
	f.runner.cfg.ClockWait = 50 * time.Millisecond
	f.runtime.set(nil, 0)
	f.start(t)
	f.runner.Want(spec(1))
	if c := result(f.awaitChecked(t, 1), "clock"); c.Passed || !strings.Contains(c.Message, "no answer from the apiserver yet") {
		t.Fatalf("clock: %+v", c)
	}
}
