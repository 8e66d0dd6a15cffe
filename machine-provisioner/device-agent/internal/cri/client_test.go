package cri

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"google.golang.org/grpc"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"

	"edgeplane.io/device-agent/internal/model"
)

// runtimeStandIn answers the CRI calls the agent makes, over a real gRPC unix socket, with
// what containerd shows for a kubelet's static pods.
type runtimeStandIn struct {
	runtimeapi.UnimplementedRuntimeServiceServer
	runtimeapi.UnimplementedImageServiceServer
	sandboxes  []*runtimeapi.PodSandbox
	containers []*runtimeapi.Container
	exitCodes  map[string]int32
	images     map[string]bool
	selectors  []map[string]string
}

func (r *runtimeStandIn) ListPodSandbox(_ context.Context, req *runtimeapi.ListPodSandboxRequest) (*runtimeapi.ListPodSandboxResponse, error) {
	r.selectors = append(r.selectors, req.GetFilter().GetLabelSelector())
	return &runtimeapi.ListPodSandboxResponse{Items: r.sandboxes}, nil
}

func (r *runtimeStandIn) ListContainers(_ context.Context, req *runtimeapi.ListContainersRequest) (*runtimeapi.ListContainersResponse, error) {
	r.selectors = append(r.selectors, req.GetFilter().GetLabelSelector())
	return &runtimeapi.ListContainersResponse{Containers: r.containers}, nil
}

func (r *runtimeStandIn) ContainerStatus(_ context.Context, req *runtimeapi.ContainerStatusRequest) (*runtimeapi.ContainerStatusResponse, error) {
	return &runtimeapi.ContainerStatusResponse{Status: &runtimeapi.ContainerStatus{Id: req.ContainerId, ExitCode: r.exitCodes[req.ContainerId]}}, nil
}

func (r *runtimeStandIn) ImageStatus(_ context.Context, req *runtimeapi.ImageStatusRequest) (*runtimeapi.ImageStatusResponse, error) {
	if r.images[req.GetImage().GetImage()] {
		return &runtimeapi.ImageStatusResponse{Image: &runtimeapi.Image{Id: "sha256:1"}}, nil
	}
	return &runtimeapi.ImageStatusResponse{}, nil
}

func serve(t *testing.T, r *runtimeStandIn) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cri.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	runtimeapi.RegisterRuntimeServiceServer(srv, r)
	runtimeapi.RegisterImageServiceServer(srv, r)
	go srv.Serve(l)
	t.Cleanup(srv.Stop)
	return "unix://" + path
}

func TestObserveGroupsContainersBySandboxAndReadsTheSpecHash(t *testing.T) {
	r := &runtimeStandIn{
		sandboxes: []*runtimeapi.PodSandbox{
			{Id: "s1", State: runtimeapi.PodSandboxState_SANDBOX_READY, CreatedAt: 5,
				Metadata:    &runtimeapi.PodSandboxMetadata{Name: "pumps-aaa-dev1"},
				Labels:      map[string]string{model.LabelWorkload: "pumps"},
				Annotations: map[string]string{model.AnnotationSpecHash: "aaa"}},
			{Id: "s2", State: runtimeapi.PodSandboxState_SANDBOX_NOTREADY,
				Metadata: &runtimeapi.PodSandboxMetadata{Name: "pumps-bbb-dev1"},
				Labels:   map[string]string{model.LabelWorkload: "pumps"}},
			{Id: "s3", Metadata: &runtimeapi.PodSandboxMetadata{Name: "stray"}},
		},
		containers: []*runtimeapi.Container{
			{Id: "c1", PodSandboxId: "s1", Metadata: &runtimeapi.ContainerMetadata{Name: "app", Attempt: 2}, State: runtimeapi.ContainerState_CONTAINER_EXITED},
			{Id: "c2", PodSandboxId: "s1", Metadata: &runtimeapi.ContainerMetadata{Name: "side"}, State: runtimeapi.ContainerState_CONTAINER_RUNNING},
		},
		exitCodes: map[string]int32{"c1": 3},
	}
	client, err := Dial(serve(t, r))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	obs, err := client.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Pods) != 2 {
		t.Fatalf("pods %+v", obs.Pods)
	}
	first, second := obs.Pods[0], obs.Pods[1]
	if first.SpecHash != "aaa" || !first.Ready || len(first.Containers) != 2 || first.Containers[0].ExitCode != 3 {
		t.Errorf("first pod %+v", first)
	}
	if second.SpecHash != "bbb" || second.Ready {
		t.Errorf("second pod (hash from the pod name) %+v", second)
	}
	for _, sel := range r.selectors {
		if sel["io.kubernetes.pod.namespace"] != model.Namespace {
			t.Errorf("a list call not filtered to the Edgeplane namespace: %v", sel)
		}
	}
	state, msg := Derive(Want{Run: true, LiveHash: "aaa", Containers: []string{"app", "side"}}, obs.Of("pumps"))
	if state != model.StateFailed || msg != "container app exited with code 3 (restarted 2 times)" {
		t.Errorf("derived %s %q", state, msg)
	}
}

func TestImagePresent(t *testing.T) {
	client, _ := Dial(serve(t, &runtimeStandIn{images: map[string]bool{"reg/app:1.3.0": true}}))
	defer client.Close()
	if ok, err := client.ImagePresent(context.Background(), "reg/app:1.3.0"); !ok || err != nil {
		t.Errorf("present image: %v %v", ok, err)
	}
	if ok, err := client.ImagePresent(context.Background(), "reg/app:9"); ok || err != nil {
		t.Errorf("absent image: %v %v", ok, err)
	}
}

func TestARuntimeThatIsNotThereIsAnError(t *testing.T) {
	client, _ := Dial("unix://" + filepath.Join(t.TempDir(), "none.sock"))
	defer client.Close()
	if _, err := client.Observe(context.Background()); err == nil {
		t.Error("no runtime, no observation")
	}
}

func TestDialNeedsAUnixEndpoint(t *testing.T) {
	if _, err := Dial("tcp://127.0.0.1:1"); err == nil {
		t.Error("tcp endpoint accepted")
	}
}
