package onboarding

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"edgeplane.io/device-agent/internal/fsatomic"
	"edgeplane.io/device-agent/internal/model"
)

// PodFileName is the check's static pod in the kubelet's directory. It is outside the names the
// workloads' converger owns (edgeplane-workload-*), so neither removes the other's file.
const PodFileName = "edgeplane-onboarding-check.yaml"

// LabelCheck marks the check's pod, which the runtime finds it by.
const LabelCheck = "edgeplane.io/check"

// Runtime is what the image check needs of the container runtime (cri.Client).
type Runtime interface {
	// PullImage pulls image from its registry, also when it is present already.
	PullImage(ctx context.Context, image string) error
	// CheckPod says whether a container of the pod labelled LabelCheck=onboarding runs, and
	// what else it saw (an exited container's code, no pod yet).
	CheckPod(ctx context.Context) (running bool, seen string, err error)
}

// imageCheck pulls the image from its registry, has the kubelet run it as a static pod, and
// removes the pod again: the path every workload takes, from registry to a running container.
type imageCheck struct {
	runtime    Runtime
	staticPods string
	pullWithin time.Duration
	runWithin  time.Duration
	poll       time.Duration
	now        func() time.Time
}

func (c imageCheck) podFile() string { return filepath.Join(c.staticPods, PodFileName) }

func (c imageCheck) run(ctx context.Context, image string) model.CheckResult {
	r := model.CheckResult{Name: model.CheckImage}
	started := c.now()
	pullCtx, cancel := context.WithTimeout(ctx, c.pullWithin)
	err := c.runtime.PullImage(pullCtx, image)
	cancel()
	if err != nil {
		r.Message = fmt.Sprintf("the container runtime cannot pull %s: %v", image, err)
		return r
	}
	pulled := c.now()
	defer c.removePod()
	if _, err := fsatomic.Write(c.podFile(), []byte(checkPod(image)), 0o644); err != nil {
		r.Message = fmt.Sprintf("pulled %s, but cannot write its static pod: %v", image, err)
		return r
	}
	deadline := pulled.Add(c.runWithin)
	seen := "no pod yet"
	for {
		running, what, err := c.runtime.CheckPod(ctx)
		switch {
		case err != nil:
			seen = err.Error()
		case running:
			r.Passed = true
			r.Message = fmt.Sprintf("pulled %s in %s and ran it %s later", image, round(pulled.Sub(started)), round(c.now().Sub(pulled)))
			return r
		default:
			seen = what
		}
		if !c.now().Before(deadline) || ctx.Err() != nil {
			r.Message = fmt.Sprintf("pulled %s, but the kubelet ran no container of it within %s (%s)", image, c.runWithin, seen)
			return r
		}
		select {
		case <-ctx.Done():
		case <-time.After(c.poll):
		}
	}
}

// removePod removes the check's static pod; also at start, for one a killed agent left behind.
func (c imageCheck) removePod() error {
	_, err := fsatomic.Remove(c.podFile())
	return err
}

// checkPod is the static pod that runs the image: never pulled by the kubelet (the check pulled
// it), stopped at once when its file goes.
func checkPod(image string) string {
	return `apiVersion: v1
kind: Pod
metadata:
  name: edgeplane-onboarding-check
  namespace: ` + model.Namespace + `
  labels:
    ` + LabelCheck + `: onboarding
spec:
  terminationGracePeriodSeconds: 0
  containers:
    - name: check
      image: "` + image + `"
      imagePullPolicy: Never
      resources:
        requests:
          cpu: 1m
          memory: 4Mi
`
}
