// Command edgeplane-device is Edgeplane's device agent and the local command root uses on the
// device (the contract is issue 13's PROTOCOL.md).
//
// `edgeplane-device agent --apiserver https://HOST:PORT` runs the agent: it owns the device's
// Edgeplane workloads as static pods. It takes the desired workloads from the device's
// DeviceWorkloads object in the tenant cluster (authenticated as the node, with the kubelet's
// client certificate), keeps them in state.json, replays the pending local actions on top,
// writes the static pod and configuration files atomically, observes the pods through CRI and
// writes the object's status: on every (re)connection, every --heartbeat and soon after every
// change. With the WAN down it keeps doing all of that but the status.
//
// The other commands talk to the running agent over its unix socket:
//
//	edgeplane-device workloads list [-o table|json]
//	edgeplane-device workloads apply|start|stop|delete NAME [--reason TEXT]
//	edgeplane-device workloads import BUNDLE.tar [--reason TEXT]
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
