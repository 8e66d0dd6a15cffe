package agent

import (
	"context"
	"time"

	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/manifests"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/podspec"
)

// RunReconciler converges the files and observes CRI until ctx ends: at once (before any
// connection: a device that reboots without WAN brings its workloads back), then on every
// change and every FastPoll or SlowPoll.
func (a *Agent) RunReconciler(ctx context.Context) {
	for {
		moving := a.pass(ctx)
		wait := a.cfg.SlowPoll
		if moving {
			wait = a.cfg.FastPoll
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-a.kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// pass is one reconcile pass; it reports whether something is moving.
func (a *Agent) pass(ctx context.Context) bool {
	a.mu.Lock()
	ticket := a.requested
	eff := desired.Effective(a.st.Spec, a.st.Actions)
	mayRemove := a.st.Spec != nil
	before := a.view
	wasOK := a.criOK
	a.mu.Unlock()

	obs, err := a.cfg.Runtime.Observe(ctx)
	var observation *cri.Observation
	if err == nil {
		observation = &obs
	} else if wasOK {
		a.cfg.Log.Warn("container runtime not answering", "step", "observe", "error", err)
	}
	if err == nil && !wasOK {
		a.cfg.Log.Info("container runtime answers again", "step", "observe")
	}
	res, cerr := a.converger.Converge(manifests.Input{Workloads: eff, MayRemoveAbsent: mayRemove, Observed: observation})
	if cerr != nil {
		a.cfg.Log.Error("files not converged; retrying", "step", "converge", "error", cerr)
	}

	view := map[string]observed{}
	moving := res.Waiting
	for _, w := range eff {
		o := a.observe(ctx, w, observation, res, before[w.Name])
		// A staged version whose images are still coming is watched closely too: the person on
		// site may be waiting to apply it.
		if o.State == model.StateDeploying || o.State == model.StateStopping || (w.Staged != nil && !o.StagedImagesPresent) {
			moving = true
		}
		view[w.Name] = o
	}

	a.mu.Lock()
	changed := !sameJSON(view, a.view) || a.criOK != (err == nil)
	a.view, a.criOK = view, err == nil
	a.completed = ticket
	close(a.passDone)
	a.passDone = make(chan struct{})
	a.mu.Unlock()
	if changed {
		a.signalStatus()
	}
	return moving
}

func (a *Agent) observe(ctx context.Context, w desired.Workload, obs *cri.Observation, res manifests.Result, last observed) observed {
	want := cri.Want{Run: w.Run && w.Live != nil}
	if w.Live != nil {
		want.LiveHash = w.Live.SpecHash
		if pod, err := podspec.Parse(w.Live.Pod); err == nil {
			want.Containers = pod.ContainerNames()
		}
	}
	var o observed
	if obs != nil {
		o.State, o.Message = cri.Derive(want, obs.Of(w.Name))
	} else {
		onDisk := res.PodWritten[w.Name] || (!want.Run && res.PodFilesLeft[w.Name] > 0)
		o.State, o.Message = cri.FromFiles(want, onDisk)
	}
	o.StagedImagesPresent = last.StagedImagesPresent
	if w.Staged != nil && obs != nil {
		if present, err := a.imagesPresent(ctx, stagedImages(w.Staged)); err == nil {
			o.StagedImagesPresent = present == ""
		}
	}
	if w.Staged == nil {
		o.StagedImagesPresent = false
	}
	return o
}

// imagesPresent returns the first image the runtime does not hold ("" when all are there).
func (a *Agent) imagesPresent(ctx context.Context, images []string) (string, error) {
	for _, image := range images {
		ok, err := a.cfg.Runtime.ImagePresent(ctx, image)
		if err != nil {
			return "", err
		}
		if !ok {
			return image, nil
		}
	}
	return "", nil
}

// stagedImages are the version's images, or its pod's when the seed did not list them.
func stagedImages(v *model.Version) []string {
	if len(v.Images) > 0 {
		return v.Images
	}
	if pod, err := podspec.Parse(v.Pod); err == nil {
		return pod.Images()
	}
	return nil
}

// reconcileAndWait asks for a pass and waits (bounded) until one that started after the
// request has finished: an action answers once its files are written.
func (a *Agent) reconcileAndWait(ctx context.Context) {
	a.mu.Lock()
	a.requested++
	ticket := a.requested
	a.mu.Unlock()
	a.Kick()
	deadline := time.NewTimer(a.cfg.ActionWait)
	defer deadline.Stop()
	for {
		a.mu.Lock()
		done, ch := a.completed >= ticket, a.passDone
		a.mu.Unlock()
		if done {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
