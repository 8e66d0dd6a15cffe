package onboarding

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/model"
)

// Defaults of Config.
const (
	PullWithin = 3 * time.Minute
	RunWithin  = 2 * time.Minute
	RetryEvery = 30 * time.Second
	ClockWait  = 30 * time.Second
)

// Config is what the runner is made of.
type Config struct {
	Runtime    Runtime
	StaticPods string
	// DiskPath is the file system the runtime keeps images on (containerd's root).
	DiskPath string
	MemInfo  string // /proc/meminfo
	// Clock is the latest comparison with the apiserver's clock; nil while there is none.
	Clock func() *kube.ClockReading
	Log   *slog.Logger
	Now   func() time.Time
	// RetryEvery: a request with a failed check runs again this often, so that a device whose
	// problem is fixed on site gets its work without anyone asking.
	RetryEvery, PullWithin, RunWithin, Poll time.Duration
	// ClockWait: how long the clock check waits for the apiserver's first answer.
	ClockWait time.Duration
}

// Runner runs the checks the seed asks for (Want) and keeps their outcome (Report). The outcome
// lives in memory only: every start of the agent (a reboot, a provisioning run) checks anew.
type Runner struct {
	cfg   Config
	image imageCheck

	mu       sync.Mutex
	want     *model.OnboardingSpec
	status   *model.OnboardingStatus
	checked  time.Time // when the last run of status.Request ended
	wake     chan struct{}
	OnChange func()
}

// NewRunner returns a runner that has checked nothing yet.
func NewRunner(cfg Config) *Runner {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RetryEvery == 0 {
		cfg.RetryEvery = RetryEvery
	}
	if cfg.PullWithin == 0 {
		cfg.PullWithin = PullWithin
	}
	if cfg.RunWithin == 0 {
		cfg.RunWithin = RunWithin
	}
	if cfg.Poll == 0 {
		cfg.Poll = time.Second
	}
	if cfg.ClockWait == 0 {
		cfg.ClockWait = ClockWait
	}
	if cfg.MemInfo == "" {
		cfg.MemInfo = "/proc/meminfo"
	}
	return &Runner{
		cfg: cfg,
		image: imageCheck{runtime: cfg.Runtime, staticPods: cfg.StaticPods, pullWithin: cfg.PullWithin, runWithin: cfg.RunWithin,
			poll: cfg.Poll, now: cfg.Now},
		wake: make(chan struct{}, 1),
	}
}

// Want takes spec.onboarding as the seed wrote it (nil: no check asked for).
func (r *Runner) Want(spec *model.OnboardingSpec) {
	r.mu.Lock()
	if spec != nil {
		s := *spec
		spec = &s
	}
	r.want = spec
	changed := false
	if spec == nil && r.status != nil {
		r.status, changed = nil, true
	}
	r.mu.Unlock()
	if changed {
		r.changed()
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Report is status.onboarding now: nil while the seed asks for no check.
func (r *Runner) Report() *model.OnboardingStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == nil {
		return nil
	}
	s := *r.status
	s.Checks = append([]model.CheckResult{}, r.status.Checks...)
	return &s
}

// Run checks whenever a new request arrives, and again every RetryEvery while a check of the
// current request fails, until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	if err := r.image.removePod(); err != nil {
		r.cfg.Log.Warn("cannot remove the onboarding check's pod a stopped agent left", "step", "onboarding", "error", err)
	}
	for ctx.Err() == nil {
		spec, due, wait := r.next()
		if due {
			r.check(ctx, *spec)
			continue
		}
		var retry <-chan time.Time
		var timer *time.Timer
		if wait > 0 {
			timer = time.NewTimer(wait)
			retry = timer.C
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-retry:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// next says whether a run is due now, and else how long until one (0: none is planned).
func (r *Runner) next() (*model.OnboardingSpec, bool, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.want == nil {
		return nil, false, 0
	}
	if r.status == nil || r.status.Request != r.want.Request || r.status.CheckedAt == "" {
		return r.want, true, 0
	}
	if passed(r.status.Checks) {
		return nil, false, 0
	}
	if wait := r.checked.Add(r.cfg.RetryEvery).Sub(r.cfg.Now()); wait > 0 {
		return nil, false, wait
	}
	return r.want, true, 0
}

func (r *Runner) check(ctx context.Context, spec model.OnboardingSpec) {
	r.mu.Lock()
	first := r.status == nil || r.status.Request != spec.Request
	if first {
		r.status = &model.OnboardingStatus{Request: spec.Request, Checks: []model.CheckResult{}}
	}
	r.mu.Unlock()
	if first {
		r.changed()
	}
	image := r.image.run(ctx, spec.Image)
	results := []model.CheckResult{
		image,
		clockCheck(r.awaitClock(ctx), time.Duration(spec.MaxClockSkewSeconds)*time.Second),
		diskCheck(r.cfg.DiskPath, spec.MinFreeDiskMiB),
		memoryCheck(r.cfg.MemInfo, spec.MinFreeMemoryMiB),
	}
	if ctx.Err() != nil {
		return
	}
	now := r.cfg.Now()
	r.mu.Lock()
	before := r.status
	r.status = &model.OnboardingStatus{Request: spec.Request, CheckedAt: now.UTC().Format(time.RFC3339), Checks: results}
	r.checked = now
	r.mu.Unlock()
	for _, c := range results {
		if !c.Passed && (before == nil || !sameOutcome(before.Checks, c)) {
			r.cfg.Log.Warn("an onboarding check failed", "step", "onboarding", "request", spec.Request, "check", c.Name, "message", c.Message)
		}
	}
	if passed(results) {
		r.cfg.Log.Info("the onboarding check passed", "step", "onboarding", "request", spec.Request)
	}
	r.changed()
}

// awaitClock is the latest comparison with the apiserver's clock; at the agent's start, with the spec
// kept on disk, the check may begin before the first answer, which is then waited for a while.
func (r *Runner) awaitClock(ctx context.Context) *kube.ClockReading {
	deadline := r.cfg.Now().Add(r.cfg.ClockWait)
	for {
		if reading := r.cfg.Clock(); reading != nil || !r.cfg.Now().Before(deadline) || ctx.Err() != nil {
			return reading
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.cfg.Poll):
		}
	}
}

func (r *Runner) changed() {
	if r.OnChange != nil {
		r.OnChange()
	}
}

func passed(checks []model.CheckResult) bool {
	for _, c := range checks {
		if !c.Passed {
			return false
		}
	}
	return len(checks) > 0
}

func sameOutcome(checks []model.CheckResult, c model.CheckResult) bool {
	for _, b := range checks {
		if b.Name == c.Name {
			return b.Passed == c.Passed
		}
	}
	return false
}
