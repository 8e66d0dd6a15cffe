// Command edgeplane-device is Edgeplane's device agent and the local command root uses on the
// device (its contract with the seed manager is PROTOCOL.md beside this file).
//
// `edgeplane-device agent --apiserver https://HOST:PORT` runs the agent: it owns the device's
// Edgeplane workloads as static pods. It takes the desired workloads from the device's
// DeviceWorkloads object in the tenant cluster (authenticated as the node, with the kubelet's
// client certificate), keeps them in state.json, replays the pending local actions on top,
// writes the static pod and configuration files atomically, observes the pods through CRI and
// writes the object's status: on every (re)connection, every --heartbeat and soon after every
// change. With the WAN down it keeps doing all of that but the status. With --pod-network it
// also carries the packets between its pods and other devices' pods, through a persistent TUN
// device and one mutual-TLS connection to the seed's relay (PROTOCOL.md, "The pod network").
//
// The agent's flags and their defaults (the paths provisioning uses, so that the service's
// command line needs only --apiserver):
//
//	--apiserver https://HOST:PORT   the tenant cluster's apiserver (required)
//	--node NAME                     default: the content of /etc/edgeplane/node-name
//	--ca-file PATH                  /etc/kubernetes/pki/ca.crt (TLS is always verified)
//	--cert-file PATH                /var/lib/kubelet/pki/kubelet-client-current.pem (re-read when rotated)
//	--static-pods DIR               /etc/kubernetes/manifests (owns edgeplane-workload-<w>.<hash>.yaml only)
//	--workload-configs DIR          /var/lib/edgeplane/workloads (<w>/<hash>/app.yaml)
//	--state-dir DIR                 /var/lib/edgeplane/device-agent (state.json)
//	--socket PATH                   /run/edgeplane/device-agent.sock (local API, 0600)
//	--cri ENDPOINT                  unix:///run/containerd/containerd.sock
//	--heartbeat DURATION            20s (status write while connected)
//	--tunnel-token PATH             /var/lib/edgeplane/tunnel/token (tunnel token from the Secret edgeplane-tunnel-<node>; empty: none)
//	--tunnel-health URL             http://127.0.0.1:8093/readyz (the tunnel agent's readiness, for status.tunnel; empty: none)
//	--pod-network HOST:PORT         the pod network relay (empty, the default: no pod network)
//	--pod-network-name NAME         the relay's TLS name, <clusterId>.pod-network.edgeplane.invalid (required with --pod-network)
//	--cluster-pod-cidr CIDR         the cluster's pod range, e.g. 10.244.0.0/16 (required with --pod-network)
//	--pod-range CIDR                this device's pod range inside it, e.g. 10.244.3.0/24 (required with --pod-network)
//	--pod-network-proxy URL         http://HOST:PORT of an HTTP CONNECT proxy to the relay (empty: direct)
//	--pod-network-interface NAME    edgeplane0 (the persistent TUN device the pod network's packets go through)
//
// The other commands talk to the running agent over its unix socket (--socket, or
// EDGEPLANE_DEVICE_SOCKET):
//
//	edgeplane-device workloads list [-o table|json]
//	edgeplane-device workloads apply|start|stop|delete NAME [--reason TEXT]
//	edgeplane-device workloads import BUNDLE.tar [--reason TEXT]      (runs edgeplane-import-bundle)
//	edgeplane-device workloads import-verified --workload W --spec-hash H [--version V] --pod FILE --config FILE [--reason TEXT]
//	edgeplane-device status [-o table|json]
//	edgeplane-device version
//
// Exit codes: 0 ok, 2 usage error, 3 refused by the workload's state, 4 no such workload,
// 5 the agent does not run.
package main

import (
	"os"

	"edgeplane.io/device-agent/internal/cli"
)

// version is set at build time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(cli.Main(version, os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}))
}
