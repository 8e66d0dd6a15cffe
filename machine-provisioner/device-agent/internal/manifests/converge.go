package manifests

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/desired"
	"edgeplane.io/device-agent/internal/fsatomic"
	"edgeplane.io/device-agent/internal/model"
	"edgeplane.io/device-agent/internal/podspec"
)

// DefaultHostPortWait bounds how long a host-port update waits for the old pod to go before the
// new one is written anyway (the kubelet then retries the new pod until the port is free).
const DefaultHostPortWait = 60 * time.Second

// Input is one convergence pass's view of the world.
type Input struct {
	Workloads []desired.Workload
	// MayRemoveAbsent is false until the seed's spec has been read once: a workload the agent
	// does not know of then is not one to remove.
	MayRemoveAbsent bool
	// Observed is what CRI shows, nil when it did not answer.
	Observed *cri.Observation
}

// Result says what the files are after the pass.
type Result struct {
	// PodWritten: the workload's live pod file is on disk.
	PodWritten map[string]bool
	// PodFilesLeft: owned pod files per workload after the pass (a stopped workload may still
	// have a pod in CRI, a handover keeps the old one).
	PodFilesLeft map[string]int
	// Waiting: an update waits for a pod to start or to go, or a configuration for its pod to
	// go (a running container may still read it).
	Waiting bool
}

// Converger writes and removes the agent's files. It is used by one goroutine at a time.
type Converger struct {
	Layout       Layout
	Log          *slog.Logger
	Now          func() time.Time
	HostPortWait time.Duration
	// waitingSince: when a host-port update removed the old pod file of a workload.
	waitingSince map[string]time.Time
}

// NewConverger returns a converger on layout.
func NewConverger(layout Layout, log *slog.Logger) *Converger {
	return &Converger{Layout: layout, Log: log, Now: time.Now, HostPortWait: DefaultHostPortWait, waitingSince: map[string]time.Time{}}
}

// Converge makes the files match the effective desired state. Errors of one workload do not
// stop the others; they are returned joined.
func (c *Converger) Converge(in Input) (Result, error) {
	res := Result{PodWritten: map[string]bool{}, PodFilesLeft: map[string]int{}}
	owned, err := c.Layout.Owned()
	if err != nil {
		return res, err
	}
	var errs []error
	wanted := map[string]bool{}
	for _, w := range in.Workloads {
		wanted[w.Name] = true
		waiting, err := c.convergeWorkload(w, owned[w.Name], in.Observed, &res)
		res.Waiting = res.Waiting || waiting
		if err != nil {
			errs = append(errs, err)
		}
	}
	if in.MayRemoveAbsent {
		for name, hashes := range owned {
			if wanted[name] {
				continue
			}
			if err := c.removeWorkload(name, hashes, &res); err != nil {
				errs = append(errs, err)
			}
		}
		errs = append(errs, c.removeAbsentConfigs(wanted, in.Observed, &res)...)
	}
	for name := range c.waitingSince {
		if !wanted[name] {
			delete(c.waitingSince, name)
		}
	}
	return res, errors.Join(errs...)
}

func (c *Converger) convergeWorkload(w desired.Workload, files map[string]bool, obs *cri.Observation, res *Result) (waiting bool, err error) {
	log := c.Log.With("workload", w.Name)
	defer func() {
		res.PodFilesLeft[w.Name] = len(files)
		if err == nil {
			var configWaits bool
			configWaits, err = c.removeStaleConfigs(w, files, obs)
			waiting = waiting || configWaits
		}
	}()
	files = copySet(files)
	if !w.Run || w.Live == nil {
		delete(c.waitingSince, w.Name)
		return false, c.removePods(log, w.Name, files, "stop")
	}
	live := w.Live
	if err := c.write(log, "write-config", c.Layout.ConfigFile(w.Name, live.SpecHash), live.Config); err != nil {
		return false, err
	}
	others := copySet(files)
	delete(others, live.SpecHash)
	if !files[live.SpecHash] && w.HostPorts {
		// Two versions cannot share the host's ports: the old pod goes first, then the new one
		// is written once CRI shows the old one gone (bounded, in case CRI cannot tell).
		if err := c.removePods(log, w.Name, others, "recreate"); err != nil {
			return false, err
		}
		for h := range others {
			delete(files, h)
		}
		if obs == nil || obs.ReadyOtherThan(w.Name, live.SpecHash) {
			since, ok := c.waitingSince[w.Name]
			if !ok {
				since = c.Now()
				c.waitingSince[w.Name] = since
			}
			if c.Now().Sub(since) < c.HostPortWait {
				log.Info("waiting for the old pod to stop before starting the new one", "step", "recreate", "specHash", live.SpecHash)
				return true, nil
			}
		}
	}
	delete(c.waitingSince, w.Name)
	if err := c.write(log, "write-pod", c.Layout.PodFile(w.Name, live.SpecHash), live.Pod); err != nil {
		return false, err
	}
	files[live.SpecHash] = true
	res.PodWritten[w.Name] = true
	if len(others) == 0 {
		return false, nil
	}
	// Side by side: the old pod serves until the new one runs (without CRI, nobody can tell).
	if obs == nil {
		return false, nil
	}
	if !cri.Running(obs.Of(w.Name), live.SpecHash, containerNames(live.Pod)) {
		return true, nil
	}
	if err := c.removePods(log, w.Name, others, "handover"); err != nil {
		return false, err
	}
	for h := range others {
		delete(files, h)
	}
	return false, nil
}

func (c *Converger) removeWorkload(name string, hashes map[string]bool, res *Result) error {
	log := c.Log.With("workload", name)
	if err := c.removePods(log, name, hashes, "delete"); err != nil {
		return err
	}
	res.PodFilesLeft[name] = 0
	return nil
}

func (c *Converger) removePods(log *slog.Logger, name string, hashes map[string]bool, step string) error {
	var errs []error
	for h := range hashes {
		path := c.Layout.PodFile(name, h)
		removed, err := fsatomic.Remove(path)
		if err != nil {
			log.Error("cannot remove the pod file", "step", step, "file", path, "error", err)
			errs = append(errs, err)
		} else if removed {
			log.Info("removed the pod file", "step", step, "file", path)
		}
	}
	return errors.Join(errs...)
}

// removeStaleConfigs removes the configuration of versions that neither run nor are live,
// once CRI shows no pod of that version (a terminating container may still read it). It
// reports whether a removal waits for a pod.
func (c *Converger) removeStaleConfigs(w desired.Workload, podFiles map[string]bool, obs *cri.Observation) (bool, error) {
	if c.isLegacy(w.Name) {
		return false, nil
	}
	hashes, err := c.Layout.configHashes(w.Name)
	if err != nil {
		return false, err
	}
	var errs []error
	waiting := false
	for _, h := range hashes {
		if (w.Live != nil && h == w.Live.SpecHash) || podFiles[h] || model.CheckSpecHash(h) != nil {
			continue
		}
		if obs == nil {
			continue // unknown whether a pod still reads it: next time
		}
		if obs.Ready(w.Name, h) {
			waiting = true
			continue
		}
		errs = append(errs, c.removeDir(w.Name, "remove-config", c.Layout.ConfigDir(w.Name, h)))
	}
	return waiting, errors.Join(errs...)
}

// removeAbsentConfigs removes the configuration of workloads that are gone from the device,
// once CRI shows none of their pods.
func (c *Converger) removeAbsentConfigs(wanted map[string]bool, obs *cri.Observation, res *Result) []error {
	names, err := c.Layout.configWorkloads()
	if err != nil {
		return []error{err}
	}
	var errs []error
	for _, name := range names {
		if wanted[name] || model.CheckWorkloadName(name) != nil || c.isLegacy(name) {
			continue
		}
		if obs == nil {
			continue // unknown whether a pod still reads it: next time
		}
		if obs.ReadyAny(name) {
			res.Waiting = true
			continue
		}
		if err := c.removeDir(name, "delete", filepath.Join(c.Layout.Configs, name)); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func (c *Converger) isLegacy(name string) bool {
	_, err := os.Lstat(c.Layout.legacyPodFile(name))
	return err == nil
}

func (c *Converger) removeDir(workload, step, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		c.Log.Error("cannot remove the configuration", "workload", workload, "step", step, "dir", dir, "error", err)
		return err
	}
	c.Log.Info("removed the configuration", "workload", workload, "step", step, "dir", dir)
	return nil
}

func (c *Converger) write(log *slog.Logger, step, path, content string) error {
	written, err := fsatomic.Write(path, []byte(content), 0o644)
	if err != nil {
		log.Error("cannot write", "step", step, "file", path, "error", err)
		return err
	}
	if written {
		log.Info("wrote", "step", step, "file", path)
	}
	return nil
}

func containerNames(pod string) []string {
	p, err := podspec.Parse(pod)
	if err != nil {
		return nil
	}
	return p.ContainerNames()
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
