package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"edgeplane.io/device-agent/internal/agent"
	"edgeplane.io/device-agent/internal/cri"
	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/link"
	"edgeplane.io/device-agent/internal/localapi"
	"edgeplane.io/device-agent/internal/manifests"
	"edgeplane.io/device-agent/internal/onboarding"
	"edgeplane.io/device-agent/internal/podnet"
	"edgeplane.io/device-agent/internal/store"
	"edgeplane.io/device-agent/internal/tunnel"
)

// NodeNameFile holds the node name provisioning gave the device.
const NodeNameFile = "/etc/edgeplane/node-name"

var nodeName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// agentFlags are the daemon's flags (PROTOCOL.md, "On the device").
type agentFlags struct {
	apiserver, node, caFile, certFile, staticPods, configs, stateDir, socket, criEndpoint, containerdRoot string
	heartbeat                                                                                             time.Duration
	// tunnelToken is where the tunnel token is delivered ("" = not delivered); tunnelHealth
	// the tunnel agent's readiness URL ("" = no status.tunnel).
	tunnelToken, tunnelHealth string
	// podNetFlags are the pod network's flags as given; podNet what they make (used when
	// podNetFlags.Enabled()).
	podNetFlags podnet.Flags
	podNet      podnet.Config
}

func parseAgentFlags(args []string, io IO) (agentFlags, error) {
	var f agentFlags
	fs := flag.NewFlagSet("edgeplane-device agent", flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.StringVar(&f.apiserver, "apiserver", "", "the tenant cluster's apiserver, https://HOST:PORT (required)")
	fs.StringVar(&f.node, "node", "", "this device's node name (default: the content of "+NodeNameFile+")")
	fs.StringVar(&f.caFile, "ca-file", "/etc/kubernetes/pki/ca.crt", "the cluster CA the apiserver's certificate must chain to")
	fs.StringVar(&f.certFile, "cert-file", "/var/lib/kubelet/pki/kubelet-client-current.pem", "the node's client certificate and key (one PEM file)")
	fs.StringVar(&f.staticPods, "static-pods", "/etc/kubernetes/manifests", "the kubelet's static pod directory")
	fs.StringVar(&f.configs, "workload-configs", "/var/lib/edgeplane/workloads", "where workload configuration files are written")
	fs.StringVar(&f.stateDir, "state-dir", "/var/lib/edgeplane/device-agent", "where the agent keeps state.json")
	fs.StringVar(&f.socket, "socket", DefaultSocket, "the local API's unix socket")
	fs.StringVar(&f.criEndpoint, "cri", "unix:///run/containerd/containerd.sock", "the container runtime's CRI endpoint")
	fs.StringVar(&f.containerdRoot, "containerd-root", "/var/lib/containerd", "where the container runtime keeps images: the onboarding check's disk check looks there")
	fs.DurationVar(&f.heartbeat, "heartbeat", 20*time.Second, "how often the status is written while connected")
	fs.StringVar(&f.tunnelToken, "tunnel-token", "/var/lib/edgeplane/tunnel/token", "where the tunnel agent's token is delivered (empty: not delivered)")
	fs.StringVar(&f.tunnelHealth, "tunnel-health", "http://127.0.0.1:8093/readyz", "the tunnel agent's readiness URL (empty: no tunnel in the status)")
	fs.StringVar(&f.podNetFlags.Relay, "pod-network", "", "the pod network relay, HOST:PORT (empty: no pod network)")
	fs.StringVar(&f.podNetFlags.ServerName, "pod-network-name", "", "the relay's TLS name, <clusterId>.pod-network.edgeplane.invalid (required with --pod-network)")
	fs.StringVar(&f.podNetFlags.ClusterCIDR, "cluster-pod-cidr", "", "the cluster's whole pod range, e.g. 10.244.0.0/16 (required with --pod-network)")
	fs.StringVar(&f.podNetFlags.PodRange, "pod-range", "", "this device's pod range inside --cluster-pod-cidr, e.g. 10.244.3.0/24 (required with --pod-network)")
	fs.StringVar(&f.podNetFlags.Proxy, "pod-network-proxy", "", "http://HOST:PORT of an HTTP CONNECT proxy to reach the relay through (empty: direct)")
	fs.StringVar(&f.podNetFlags.Interface, "pod-network-interface", podnet.DefaultInterface, "the pod network's TUN device")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("agent takes flags only (got %q)", fs.Arg(0))
	}
	if f.apiserver == "" {
		return f, errors.New("--apiserver is required")
	}
	if f.node == "" {
		raw, err := os.ReadFile(NodeNameFile)
		if err != nil {
			return f, fmt.Errorf("--node not given and %w", err)
		}
		f.node = strings.TrimSpace(string(raw))
	}
	if len(f.node) > 253 || !nodeName.MatchString(f.node) {
		return f, fmt.Errorf("--node: %q is not a node name (DNS subdomain)", f.node)
	}
	if f.heartbeat < time.Second {
		return f, fmt.Errorf("--heartbeat: %s is below 1s", f.heartbeat)
	}
	if f.tunnelToken != "" && (!filepath.IsAbs(f.tunnelToken) || strings.HasSuffix(f.tunnelToken, "/")) {
		return f, fmt.Errorf("--tunnel-token: %q is not an absolute file path", f.tunnelToken)
	}
	if f.tunnelHealth != "" {
		if _, err := tunnel.NewMonitor(f.tunnelHealth, f.tunnelToken, time.Now()); err != nil {
			return f, err
		}
	}
	for name, v := range map[string]string{"--ca-file": f.caFile, "--cert-file": f.certFile, "--static-pods": f.staticPods,
		"--workload-configs": f.configs, "--state-dir": f.stateDir, "--socket": f.socket, "--containerd-root": f.containerdRoot} {
		if v == "" {
			return f, fmt.Errorf("%s: empty", name)
		}
	}
	var err error
	if f.podNet, err = f.podNetFlags.Parse(f.caFile, f.certFile); err != nil {
		return f, err
	}
	return f, nil
}

func runAgent(version string, args []string, io IO) int {
	f, err := parseAgentFlags(args, io)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(io.Stderr, "edgeplane-device agent: %v\n", err)
		return ExitUsage
	}
	client, err := kube.NewClient(f.apiserver, f.node, f.caFile, f.certFile)
	if err != nil {
		fmt.Fprintf(io.Stderr, "edgeplane-device agent: %v\n", err)
		return ExitUsage
	}
	runtime, err := cri.Dial(f.criEndpoint)
	if err != nil {
		fmt.Fprintf(io.Stderr, "edgeplane-device agent: %v\n", err)
		return ExitUsage
	}
	defer runtime.Close()
	log := slog.New(slog.NewTextHandler(io.Stderr, nil)).With("node", f.node)
	st, err := store.Load(f.stateDir)
	if err != nil {
		log.Error("cannot read the state; not starting, so that nothing is removed by mistake", "step", "load-state", "error", err)
		return ExitFailed
	}
	previous := st.Node
	st, kept := st.For(f.node)
	if !kept {
		log.Warn("the state belongs to another node; this device was provisioned again under a new name and starts afresh",
			"step", "load-state", "previousNode", previous)
	}
	cfg := agent.Config{
		Version: version, Node: f.node, Apiserver: f.apiserver, StateDir: f.stateDir,
		Layout:  manifests.Layout{StaticPods: f.staticPods, Configs: f.configs},
		Runtime: runtime, Log: log,
	}
	var monitor *tunnel.Monitor
	if f.tunnelHealth != "" {
		monitor, _ = tunnel.NewMonitor(f.tunnelHealth, f.tunnelToken, time.Now()) // checked with the flags
		cfg.Tunnel = monitor
	}
	var pods *podnet.Network
	if f.podNetFlags.Enabled() {
		pods = podnet.New(f.podNet, log)
		cfg.PodNetwork = pods.State
	}
	checks := onboarding.NewRunner(onboarding.Config{
		Runtime: runtime, StaticPods: f.staticPods, DiskPath: f.containerdRoot, Clock: client.Clock, Log: log,
	})
	cfg.Onboarding = checks
	if st.Spec != nil {
		checks.Want(st.Spec.Onboarding) // checked anew at every start, from the spec kept on disk
	}
	ag := agent.New(cfg, st)
	lnk := link.New(client, ag, log, f.heartbeat)
	if f.tunnelToken != "" {
		lnk.Workers = append(lnk.Workers, tunnel.NewKeeper(client, f.node, f.tunnelToken, f.heartbeat, log))
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log.Info("starting", "step", "start", "version", version, "apiserver", f.apiserver, "pendingActions", len(st.Actions),
		"tunnelToken", f.tunnelToken, "tunnelHealth", f.tunnelHealth, "podNetwork", f.podNetFlags.Relay)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ag.RunReconciler(ctx)
	}()
	server, err := localapi.Listen(f.socket, ag, log)
	if err != nil {
		log.Error("cannot serve the local command", "step", "local-api", "error", err)
		stop()
		<-done
		return ExitFailed
	}
	checks.OnChange = ag.NoteStatusChange
	go checks.Run(ctx)
	if monitor != nil {
		monitor.OnChange = ag.NoteStatusChange
		go monitor.Run(ctx)
	}
	podsDone := make(chan struct{})
	if pods != nil {
		pods.State.OnChange = ag.NoteStatusChange
		go func() {
			defer close(podsDone)
			// Runs whether or not the apiserver answers: the pods' traffic does not need it.
			pods.Run(ctx)
		}()
	} else {
		close(podsDone)
	}
	go lnk.Run(ctx)
	<-ctx.Done()
	log.Info("stopping", "step", "stop")
	_ = server.Close()
	<-done
	// The TUN device and its routing stay: while the agent is down, packets for other
	// devices' pods are dropped there instead of taking the default route.
	<-podsDone
	return ExitOK
}
