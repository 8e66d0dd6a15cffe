// Package agent is the device agent's core: the desired state on disk, the local actions, the
// view of what runs, and the status reported to the seed. Every change of state goes through
// the one mutex of Agent; the files are written by the one reconcile goroutine.
package agent

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/manifests"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/store"
)

// Runtime is the container runtime as the agent uses it (cri.Client).
type Runtime interface {
	Observe(ctx context.Context) (cri.Observation, error)
	ImagePresent(ctx context.Context, image string) (bool, error)
}

// Config is what the agent is made of.
type Config struct {
	Version   string
	Node      string
	Apiserver string
	StateDir  string
	Layout    manifests.Layout
	Runtime   Runtime
	Log       *slog.Logger
	Now       func() time.Time
	// FastPoll while something moves (deploying, stopping, an update's handover); SlowPoll else.
	FastPoll, SlowPoll time.Duration
	// ActionWait bounds how long an action waits for the files to be written before answering.
	ActionWait time.Duration
	// Tunnel reports the tunnel's state (tunnel.Monitor); nil when tunnel reporting is off.
	Tunnel TunnelReporter
	// PodNetwork reports the pod network's connection (podnet.State); nil when it is off.
	PodNetwork PodNetworkReporter
	// Onboarding runs the onboarding check the seed asks for (onboarding.Runner); nil: none is run.
	Onboarding OnboardingRunner
}

// OnboardingRunner takes spec.onboarding and reports status.onboarding.
type OnboardingRunner interface {
	Want(spec *model.OnboardingSpec)
	Report() *model.OnboardingStatus
}

// TunnelReporter is the tunnel's state as status.tunnel shows it.
type TunnelReporter interface {
	Report() model.LinkStatus
}

// PodNetworkReporter is the pod network's connection as status.podNetwork shows it.
type PodNetworkReporter interface {
	Report() model.LinkStatus
}

// observed is what the last reconcile pass saw of one workload.
type observed struct {
	State               model.State
	Message             string
	StagedImagesPresent bool
}

// linkState is the connection as `status` shows it.
type linkState struct {
	connected     bool
	since         time.Time
	lastHeartbeat *time.Time
	lastError     string
}

// Agent holds the state; see the package comment.
type Agent struct {
	cfg       Config
	converger *manifests.Converger

	mu         sync.Mutex
	st         store.State
	observedRV string
	view       map[string]observed
	criOK      bool
	link       linkState
	requested  uint64        // reconcile passes asked for
	completed  uint64        // the last request a finished pass covered
	passDone   chan struct{} // closed when a pass finishes (then replaced)

	kick          chan struct{}
	statusChanges chan struct{}
}

// New returns an agent working from the persisted state st.
func New(cfg Config, st store.State) *Agent {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FastPoll == 0 {
		cfg.FastPoll = time.Second
	}
	if cfg.SlowPoll == 0 {
		cfg.SlowPoll = 5 * time.Second
	}
	if cfg.ActionWait == 0 {
		cfg.ActionWait = 10 * time.Second
	}
	a := &Agent{
		cfg:           cfg,
		converger:     manifests.NewConverger(cfg.Layout, cfg.Log),
		st:            st,
		observedRV:    st.ResourceVersion,
		view:          map[string]observed{},
		criOK:         true,
		link:          linkState{since: cfg.Now()},
		passDone:      make(chan struct{}),
		kick:          make(chan struct{}, 1),
		statusChanges: make(chan struct{}, 1),
	}
	return a
}

// AdoptSpec takes the seed's spec (link.Agent).
func (a *Agent) AdoptSpec(spec model.Spec, resourceVersion string, fromGet bool) {
	spec, problems := spec.Sanitized()
	a.mu.Lock()
	changed := a.st.Spec == nil || !sameJSON(*a.st.Spec, spec)
	if !changed && !fromGet {
		// Our own status writes come back as MODIFIED events: nothing new for the agent.
		a.mu.Unlock()
		return
	}
	a.observedRV = resourceVersion
	if !changed {
		a.mu.Unlock()
		return
	}
	for _, p := range problems {
		a.cfg.Log.Warn("ignoring a seed entry", "step", "adopt-spec", "problem", p)
	}
	a.st.Spec = &spec
	a.st.ResourceVersion = resourceVersion
	if a.cfg.Onboarding != nil {
		a.cfg.Onboarding.Want(spec.Onboarding)
	}
	if a.st.Acknowledge(spec.ActionsAcknowledged) {
		a.cfg.Log.Info("the seed acknowledged local actions", "step", "adopt-spec", "actionsAcknowledged", spec.ActionsAcknowledged)
	}
	a.saveLocked("adopt-spec")
	a.mu.Unlock()
	a.cfg.Log.Info("adopted the seed's spec", "step", "adopt-spec", "resourceVersion", resourceVersion, "workloads", len(spec.Workloads))
	a.Kick()
	a.signalStatus()
}

// StatusChanges signals a status worth writing (link.Agent).
func (a *Agent) StatusChanges() <-chan struct{} { return a.statusChanges }

// LinkUp records a connection (link.Agent).
func (a *Agent) LinkUp(at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.link.connected, a.link.since, a.link.lastError = true, at, ""
}

// LinkDown records a failed connection (link.Agent).
func (a *Agent) LinkDown(at time.Time, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.link.connected {
		a.link.since = at
	}
	a.link.connected = false
	if err != nil {
		a.link.lastError = err.Error()
	}
}

// StatusWritten records a successful status write (link.Agent).
func (a *Agent) StatusWritten(at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.link.lastHeartbeat = &at
}

// Kick asks for a reconcile pass soon.
func (a *Agent) Kick() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// NoteStatusChange asks for a status write soon, for a change outside the agent's own state
// (the tunnel's state, the pod network's).
func (a *Agent) NoteStatusChange() { a.signalStatus() }

func (a *Agent) signalStatus() {
	select {
	case a.statusChanges <- struct{}{}:
	default:
	}
}

// saveLocked persists the state; a failure is logged and the state kept in memory (the next
// change tries again). Callers that must not answer before the state is durable use save.
func (a *Agent) saveLocked(step string) error {
	if err := store.Save(a.cfg.StateDir, a.st); err != nil {
		a.cfg.Log.Error("cannot save the state", "step", step, "error", err)
		return err
	}
	return nil
}

func sameJSON(x, y any) bool {
	a, err1 := json.Marshal(x)
	b, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(a) == string(b)
}
