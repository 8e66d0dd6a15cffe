// Package manifests converges the files the kubelet runs: the static pod manifests the agent
// owns and the configuration files they mount.
package manifests

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"edgeplane.io/device-agent/internal/fsatomic"
	"edgeplane.io/device-agent/internal/model"
)

const (
	podPrefix  = "edgeplane-workload-"
	podSuffix  = ".yaml"
	configName = "app.yaml"
)

// Layout names the agent's files (PROTOCOL.md, "On the device").
type Layout struct {
	StaticPods string // --static-pods
	Configs    string // --workload-configs
}

// PodFile is the static pod of one version of a workload.
func (l Layout) PodFile(workload, hash string) string {
	return filepath.Join(l.StaticPods, podPrefix+workload+"."+hash+podSuffix)
}

// ConfigDir is what the pod of that version mounts.
func (l Layout) ConfigDir(workload, hash string) string {
	return filepath.Join(l.Configs, workload, hash)
}

// ConfigFile is the configuration of one version of a workload.
func (l Layout) ConfigFile(workload, hash string) string {
	return filepath.Join(l.ConfigDir(workload, hash), configName)
}

// legacyPodFile is where edgeplane-import-bundle wrote an imported pod before the agent: not the
// agent's, and its configuration must stay.
func (l Layout) legacyPodFile(workload string) string {
	return filepath.Join(l.StaticPods, podPrefix+workload+podSuffix)
}

// ParsePodFileName splits an owned file name into workload and spec hash.
func ParsePodFileName(name string) (workload, hash string, ok bool) {
	rest, ok := strings.CutPrefix(name, podPrefix)
	if !ok {
		return "", "", false
	}
	rest, ok = strings.CutSuffix(rest, podSuffix)
	if !ok {
		return "", "", false
	}
	workload, hash, ok = strings.Cut(rest, ".")
	if !ok || model.CheckWorkloadName(workload) != nil || model.CheckSpecHash(hash) != nil {
		return "", "", false
	}
	return workload, hash, true
}

// Owned lists the agent's static pod files: workload -> spec hashes. Temporary files a crash
// left behind are removed on the way.
func (l Layout) Owned() (map[string]map[string]bool, error) {
	entries, err := os.ReadDir(l.StaticPods)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	owned := map[string]map[string]bool{}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), fsatomic.TempPrefix+podPrefix) && strings.Contains(e.Name(), ".tmp-") {
			_ = os.Remove(filepath.Join(l.StaticPods, e.Name()))
			continue
		}
		if !e.Type().IsRegular() {
			continue
		}
		if w, h, ok := ParsePodFileName(e.Name()); ok {
			if owned[w] == nil {
				owned[w] = map[string]bool{}
			}
			owned[w][h] = true
		}
	}
	return owned, nil
}

// configWorkloads lists the workload directories under --workload-configs.
func (l Layout) configWorkloads() ([]string, error) {
	return subdirs(l.Configs)
}

// configHashes lists the version directories of one workload.
func (l Layout) configHashes(workload string) ([]string, error) {
	return subdirs(filepath.Join(l.Configs, workload))
}

func subdirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}
