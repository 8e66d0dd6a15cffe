// Package podspec reads the few facts the agent needs from a static pod manifest: which
// containers it must see running, which images it uses, whether it binds host ports, and the
// labels that let CRI observation find it.
package podspec

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"edgeplane.io/device-agent/internal/model"
)

// Pod is the part of a pod manifest the agent reads.
type Pod struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name        string            `yaml:"name"`
		Namespace   string            `yaml:"namespace"`
		Labels      map[string]string `yaml:"labels"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Spec struct {
		HostNetwork bool        `yaml:"hostNetwork"`
		Containers  []container `yaml:"containers"`
	} `yaml:"spec"`
}

type container struct {
	Name  string `yaml:"name"`
	Image string `yaml:"image"`
	Ports []struct {
		HostPort int `yaml:"hostPort"`
	} `yaml:"ports"`
}

// Parse reads a manifest (YAML or JSON).
func Parse(manifest string) (Pod, error) {
	var p Pod
	if err := yaml.Unmarshal([]byte(manifest), &p); err != nil {
		return Pod{}, fmt.Errorf("not a pod manifest: %w", err)
	}
	return p, nil
}

// ContainerNames lists the containers that must run for the pod to be running.
func (p Pod) ContainerNames() []string {
	names := make([]string, 0, len(p.Spec.Containers))
	for _, c := range p.Spec.Containers {
		names = append(names, c.Name)
	}
	return names
}

// Images lists the containers' images.
func (p Pod) Images() []string {
	var images []string
	for _, c := range p.Spec.Containers {
		if c.Image != "" {
			images = append(images, c.Image)
		}
	}
	return images
}

// UsesHostPorts says two versions of the pod cannot run side by side on one device.
func (p Pod) UsesHostPorts() bool {
	if p.Spec.HostNetwork {
		return true
	}
	for _, c := range p.Spec.Containers {
		for _, port := range c.Ports {
			if port.HostPort != 0 {
				return true
			}
		}
	}
	return false
}

// CheckFor verifies that the agent will recognise this pod as the given workload in CRI: a
// pod of another namespace or without the workload label would run unseen.
func (p Pod) CheckFor(workload string) error {
	if p.Kind != "Pod" {
		return fmt.Errorf("kind is %q, not Pod", p.Kind)
	}
	if p.Metadata.Namespace != model.Namespace {
		return fmt.Errorf("metadata.namespace is %q, not %s", p.Metadata.Namespace, model.Namespace)
	}
	if got := p.Metadata.Labels[model.LabelWorkload]; got != workload {
		return fmt.Errorf("label %s is %q, not %q", model.LabelWorkload, got, workload)
	}
	if len(p.Spec.Containers) == 0 {
		return fmt.Errorf("spec.containers is empty")
	}
	return nil
}
