// Package cli is the edgeplane-device command line: the agent daemon and the local command
// root uses on the device (PROTOCOL.md, "The local command").
package cli

import (
	"fmt"
	"io"
	"os"
)

// Exit codes of the command.
const (
	ExitOK       = 0
	ExitFailed   = 1
	ExitUsage    = 2
	ExitRefused  = 3
	ExitNotFound = 4
	ExitNoAgent  = 5
)

// Env reads an environment variable (os.Getenv, or a map in tests).
type Env func(string) string

// IO is where the command reads its environment and writes its output.
type IO struct {
	Stdout, Stderr io.Writer
	Env            Env
}

const usageText = `usage:
  edgeplane-device agent --apiserver https://HOST:PORT [flags]    run the device agent
  edgeplane-device workloads list [-o table|json]
  edgeplane-device workloads apply|start|stop|delete NAME [--reason TEXT]
  edgeplane-device workloads import BUNDLE.tar [--reason TEXT]
  edgeplane-device workloads import-verified --workload W --spec-hash H [--version V] --pod FILE --config FILE [--reason TEXT]
  edgeplane-device status [-o table|json]
  edgeplane-device version
Every command but agent and version takes --socket PATH (default ` + DefaultSocket + `, env EDGEPLANE_DEVICE_SOCKET).
Exit codes: 0 ok, 2 usage error, 3 refused, 4 no such workload, 5 the agent does not run.
`

// Main runs the command and returns its exit code.
func Main(version string, args []string, io IO) int {
	if io.Env == nil {
		io.Env = os.Getenv
	}
	if len(args) == 0 {
		fmt.Fprint(io.Stderr, usageText)
		return ExitUsage
	}
	switch args[0] {
	case "agent":
		return runAgent(version, args[1:], io)
	case "workloads":
		return runWorkloads(args[1:], io)
	case "status":
		return runStatus(args[1:], io)
	case "version", "--version":
		if len(args) > 1 {
			return usageError(io, "version takes no arguments")
		}
		fmt.Fprintf(io.Stdout, "edgeplane-device %s\n", version)
		return ExitOK
	case "help", "--help", "-h":
		fmt.Fprint(io.Stdout, usageText)
		return ExitOK
	default:
		return usageError(io, fmt.Sprintf("unknown command %q", args[0]))
	}
}

func usageError(io IO, msg string) int {
	fmt.Fprintf(io.Stderr, "edgeplane-device: %s (see edgeplane-device help)\n", msg)
	return ExitUsage
}
