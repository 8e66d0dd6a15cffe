package agent

import (
	"context"
	"fmt"
	"strings"
	"time"

	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/podspec"
)

// Act records a local apply, start, stop or delete, once the workload's state allows it, and
// answers after the files are written (localapi.Backend).
func (a *Agent) Act(ctx context.Context, verb model.ActionKind, name, cause string) (localapi.ActionResult, error) {
	if err := model.CheckWorkloadName(name); err != nil {
		return localapi.ActionResult{}, usage("NAME: " + err.Error())
	}
	if cause == "" {
		return localapi.ActionResult{}, usage("--reason: empty")
	}
	a.mu.Lock()
	eff := desired.Effective(a.st.Spec, a.st.Actions)
	w := desired.Find(eff, name)
	if w == nil {
		a.mu.Unlock()
		return localapi.ActionResult{}, &localapi.Error{Kind: localapi.KindNotFound, Message: fmt.Sprintf("workload %s is not on this device", name)}
	}
	action := model.Action{Workload: name, Action: verb, Cause: cause}
	if err := a.allowed(ctx, *w, &action); err != nil {
		a.mu.Unlock()
		return localapi.ActionResult{}, err
	}
	recorded, err := a.recordLocked(action)
	a.mu.Unlock()
	if err != nil {
		return localapi.ActionResult{}, err
	}
	return a.answer(ctx, recorded, name), nil
}

// allowed checks the workload's state for the verb (PROTOCOL.md: exit 3 when it does not
// allow it) and completes the action with what it makes live. Called with a.mu held.
func (a *Agent) allowed(ctx context.Context, w desired.Workload, action *model.Action) error {
	state := stateOf(w, a.view[w.Name])
	switch action.Action {
	case model.ActionStart:
		if w.Live == nil {
			return refused("workload %s has no live version to start; apply its staged version", w.Name)
		}
		if w.Run {
			return refused("workload %s is not stopped (it is %s)", w.Name, state)
		}
	case model.ActionStop:
		// A crash-looping (failed) workload may be stopped too: stopping it is the remedy.
		if !w.Run || w.Live == nil {
			return refused("workload %s is already stopped", w.Name)
		}
	case model.ActionApply:
		if w.Staged == nil {
			return refused("workload %s has no staged version to apply", w.Name)
		}
		missing, err := a.imagesPresent(ctx, stagedImages(w.Staged))
		if err != nil {
			return refused("cannot check the images of workload %s: container runtime not answering (%v)", w.Name, err)
		}
		if missing != "" {
			return refused("image %s is not on this device", missing)
		}
		staged := *w.Staged
		action.Runs, action.SpecHash, action.Version = &staged, staged.SpecHash, staged.Version
	case model.ActionDelete:
	}
	return nil
}

// Import records the import of a verified bundle's version (localapi.Backend). Importing the
// version that already runs records nothing: a second run of an import changes nothing.
func (a *Agent) Import(ctx context.Context, req localapi.ImportRequest) (localapi.ActionResult, error) {
	pod, err := checkImport(req)
	if err != nil {
		return localapi.ActionResult{}, err
	}
	version := &model.Version{SpecHash: req.SpecHash, Version: req.Version, Pod: req.Pod, Config: req.Config, Images: pod.Images()}
	a.mu.Lock()
	w := desired.Find(desired.Effective(a.st.Spec, a.st.Actions), req.Workload)
	if w != nil && w.Run && w.Live != nil && w.Live.SpecHash == req.SpecHash && w.Live.Pod == req.Pod && w.Live.Config == req.Config {
		a.mu.Unlock()
		res := a.answer(ctx, nil, req.Workload)
		res.Message = fmt.Sprintf("workload %s already runs version %s (%s); nothing changed", req.Workload, req.Version, req.SpecHash)
		return res, nil
	}
	recorded, err := a.recordLocked(model.Action{
		Workload: req.Workload, Action: model.ActionImport, Cause: req.Cause,
		SpecHash: req.SpecHash, Version: req.Version, Runs: version, HostPorts: pod.UsesHostPorts(),
	})
	a.mu.Unlock()
	if err != nil {
		return localapi.ActionResult{}, err
	}
	return a.answer(ctx, recorded, req.Workload), nil
}

func checkImport(req localapi.ImportRequest) (podspec.Pod, error) {
	if err := model.CheckWorkloadName(req.Workload); err != nil {
		return podspec.Pod{}, usage("--workload: " + err.Error())
	}
	if err := model.CheckSpecHash(req.SpecHash); err != nil {
		return podspec.Pod{}, usage("--spec-hash: " + err.Error())
	}
	if len(req.Version) > 64 || strings.ContainsAny(req.Version, "\n\r\t ") {
		return podspec.Pod{}, usage(fmt.Sprintf("--version: %q is not a version", req.Version))
	}
	if req.Cause == "" {
		return podspec.Pod{}, usage("--reason: empty")
	}
	pod, err := podspec.Parse(req.Pod)
	if err == nil {
		err = pod.CheckFor(req.Workload)
	}
	if err != nil {
		return podspec.Pod{}, usage("--pod: " + err.Error())
	}
	return pod, nil
}

// recordLocked gives the action its seq and time and makes it durable before anyone is told.
func (a *Agent) recordLocked(action model.Action) (*model.Action, error) {
	before := a.st
	before.Actions = append([]model.Action(nil), a.st.Actions...)
	action.Seq = a.st.NewSeq()
	action.At = a.cfg.Now().UTC().Truncate(time.Second)
	if e := a.st.Spec.Entry(action.Workload); e != nil {
		action.BasedOnGeneration = e.Generation
	}
	a.st.Actions = append(a.st.Actions, action)
	if err := a.saveLocked("record-action"); err != nil {
		a.st = before
		return nil, fmt.Errorf("cannot save the action: %w", err)
	}
	a.cfg.Log.Info("local action recorded", "workload", action.Workload, "step", "record-action",
		"action", action.Action, "seq", action.Seq, "cause", action.Cause)
	return &action, nil
}

// answer waits for the files to follow the action, then describes the workload.
func (a *Agent) answer(ctx context.Context, action *model.Action, name string) localapi.ActionResult {
	if action != nil {
		a.signalStatus()
	}
	a.reconcileAndWait(ctx)
	res := localapi.ActionResult{}
	if action != nil {
		reported := action.Reported()
		res.Action = &reported
		res.Message = fmt.Sprintf("%s of workload %s recorded as local action %d", action.Action, name, action.Seq)
	}
	for _, v := range a.Workloads() {
		if v.Name == name {
			res.Workload = &v
		}
	}
	return res
}

func usage(msg string) error { return &localapi.Error{Kind: localapi.KindUsage, Message: msg} }

func refused(format string, args ...any) error {
	return &localapi.Error{Kind: localapi.KindRefused, Message: fmt.Sprintf(format, args...)}
}
