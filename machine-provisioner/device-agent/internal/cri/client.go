package cri

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"

	"edgeplane.io/device-agent/internal/model"
)

// callTimeout bounds every CRI call: a runtime that does not answer within it is "not answering".
const callTimeout = 3 * time.Second

// Client talks CRI v1 to the container runtime's socket.
type Client struct {
	conn    *grpc.ClientConn
	runtime runtimeapi.RuntimeServiceClient
	images  runtimeapi.ImageServiceClient
}

// Dial prepares a client for endpoint ("unix:///run/containerd/containerd.sock"). It does not
// connect yet: the runtime may start after the agent, and every call connects as needed.
func Dial(endpoint string) (*Client, error) {
	if !strings.HasPrefix(endpoint, "unix://") {
		return nil, fmt.Errorf("--cri: %q is not a unix:// endpoint", endpoint)
	}
	conn, err := grpc.NewClient(endpoint,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(16<<20)))
	if err != nil {
		return nil, fmt.Errorf("--cri: %w", err)
	}
	return &Client{conn: conn, runtime: runtimeapi.NewRuntimeServiceClient(conn), images: runtimeapi.NewImageServiceClient(conn)}, nil
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Observe lists every sandbox and container of the Edgeplane namespace: two calls for the whole
// device, whatever the number of workloads, plus one status call per crash-looping container.
func (c *Client) Observe(ctx context.Context) (Observation, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	inNamespace := map[string]string{"io.kubernetes.pod.namespace": model.Namespace}
	sandboxes, err := c.runtime.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{
		Filter: &runtimeapi.PodSandboxFilter{LabelSelector: inNamespace},
	})
	if err != nil {
		return Observation{}, fmt.Errorf("list pod sandboxes: %w", err)
	}
	containers, err := c.runtime.ListContainers(ctx, &runtimeapi.ListContainersRequest{
		Filter: &runtimeapi.ContainerFilter{LabelSelector: inNamespace},
	})
	if err != nil {
		return Observation{}, fmt.Errorf("list containers: %w", err)
	}
	bySandbox := map[string][]Container{}
	for _, ctr := range containers.GetContainers() {
		cont := Container{ID: ctr.GetId(), Name: ctr.GetMetadata().GetName(), Attempt: ctr.GetMetadata().GetAttempt(), State: containerState(ctr.GetState())}
		if cont.State == ContainerExited && cont.Attempt >= crashLoopAttempts {
			cont.ExitCode = c.exitCode(ctx, cont.ID)
		}
		bySandbox[ctr.GetPodSandboxId()] = append(bySandbox[ctr.GetPodSandboxId()], cont)
	}
	var obs Observation
	for _, sb := range sandboxes.GetItems() {
		workload := sb.GetLabels()[model.LabelWorkload]
		if workload == "" {
			continue
		}
		obs.Pods = append(obs.Pods, Pod{
			Workload:   workload,
			SpecHash:   specHashOf(sb, workload),
			Ready:      sb.GetState() == runtimeapi.PodSandboxState_SANDBOX_READY,
			CreatedAt:  sb.GetCreatedAt(),
			Containers: bySandbox[sb.GetId()],
		})
	}
	return obs, nil
}

// ImagePresent reports whether the runtime holds the image.
func (c *Client) ImagePresent(ctx context.Context, image string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	resp, err := c.images.ImageStatus(ctx, &runtimeapi.ImageStatusRequest{Image: &runtimeapi.ImageSpec{Image: image}})
	if err != nil {
		return false, fmt.Errorf("image status of %s: %w", image, err)
	}
	return resp.GetImage() != nil, nil
}

// PullImage pulls image from its registry: CRI pulls resolve the reference there also when the
// image is present, so this proves the registry answers. The caller bounds it (pulls take long).
func (c *Client) PullImage(ctx context.Context, image string) error {
	if _, err := c.images.PullImage(ctx, &runtimeapi.PullImageRequest{Image: &runtimeapi.ImageSpec{Image: image}}); err != nil {
		return fmt.Errorf("pull %s: %w", image, err)
	}
	return nil
}

// CheckPod says whether a container of the onboarding check's pod (label edgeplane.io/check=onboarding)
// runs, and else what there is of it.
func (c *Client) CheckPod(ctx context.Context) (bool, string, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	label := map[string]string{"edgeplane.io/check": "onboarding"}
	sandboxes, err := c.runtime.ListPodSandbox(ctx, &runtimeapi.ListPodSandboxRequest{
		Filter: &runtimeapi.PodSandboxFilter{LabelSelector: label},
	})
	if err != nil {
		return false, "", fmt.Errorf("list pod sandboxes: %w", err)
	}
	if len(sandboxes.GetItems()) == 0 {
		return false, "the kubelet has started no pod of it yet", nil
	}
	seen := "its pod has no container yet"
	// Containers carry the kubelet's labels, not the pod's: they are found by their sandbox.
	for _, sb := range sandboxes.GetItems() {
		containers, err := c.runtime.ListContainers(ctx, &runtimeapi.ListContainersRequest{
			Filter: &runtimeapi.ContainerFilter{PodSandboxId: sb.GetId()},
		})
		if err != nil {
			return false, "", fmt.Errorf("list containers: %w", err)
		}
		for _, ctr := range containers.GetContainers() {
			switch ctr.GetState() {
			case runtimeapi.ContainerState_CONTAINER_RUNNING:
				return true, "", nil
			case runtimeapi.ContainerState_CONTAINER_EXITED:
				seen = fmt.Sprintf("its container exited with code %d", c.exitCode(ctx, ctr.GetId()))
			default:
				seen = "its container is created, not running"
			}
		}
	}
	return false, seen, nil
}

func (c *Client) exitCode(ctx context.Context, id string) int32 {
	resp, err := c.runtime.ContainerStatus(ctx, &runtimeapi.ContainerStatusRequest{ContainerId: id})
	if err != nil {
		return 0
	}
	return resp.GetStatus().GetExitCode()
}

// specHashOf reads the pod's spec-hash annotation; without it, the static pod's name
// "<workload>-<hash>-<node>" says it.
func specHashOf(sb *runtimeapi.PodSandbox, workload string) string {
	if h := sb.GetAnnotations()[model.AnnotationSpecHash]; h != "" {
		return h
	}
	rest, ok := strings.CutPrefix(sb.GetMetadata().GetName(), workload+"-")
	if !ok {
		return ""
	}
	hash, _, _ := strings.Cut(rest, "-")
	return hash
}

func containerState(s runtimeapi.ContainerState) ContainerState {
	switch s {
	case runtimeapi.ContainerState_CONTAINER_CREATED:
		return ContainerCreated
	case runtimeapi.ContainerState_CONTAINER_RUNNING:
		return ContainerRunning
	case runtimeapi.ContainerState_CONTAINER_EXITED:
		return ContainerExited
	default:
		return ContainerUnknown
	}
}
