package cli

import (
	"context"
	"errors"
	"fmt"
	"os/user"

	"edgeplane.io/device-agent/internal/localapi"
)

// DefaultSocket is where the agent serves the command.
const DefaultSocket = "/run/edgeplane/device-agent.sock"

func socketPath(p parsed, env Env) string {
	if s := p.flags["socket"]; s != "" {
		return s
	}
	if s := env("EDGEPLANE_DEVICE_SOCKET"); s != "" {
		return s
	}
	return DefaultSocket
}

// failure prints an error of the local API and returns its exit code.
func failure(io IO, socket string, err error) int {
	var apiErr *localapi.Error
	switch {
	case errors.Is(err, localapi.ErrAgentNotRunning):
		fmt.Fprintf(io.Stderr, "edgeplane-device: the device agent does not run (nothing answers on %s); "+
			"start it with `systemctl start edgeplane-device` or, without systemd, `edgeplane-service start edgeplane-device`\n", socket)
		return ExitNoAgent
	case errors.As(err, &apiErr):
		fmt.Fprintf(io.Stderr, "edgeplane-device: %s\n", apiErr.Message)
		switch apiErr.Kind {
		case localapi.KindUsage:
			return ExitUsage
		case localapi.KindRefused:
			return ExitRefused
		case localapi.KindNotFound:
			return ExitNotFound
		}
		return ExitFailed
	default:
		fmt.Fprintf(io.Stderr, "edgeplane-device: %v\n", err)
		return ExitFailed
	}
}

// defaultCause is the cause of an action made without --reason.
func defaultCause(verb string, env Env) string {
	return fmt.Sprintf("edgeplane-device workloads %s by %s", verb, whoAmI(env))
}

// whoAmI names the person: the sudo caller first, since root is who everyone is here.
func whoAmI(env Env) string {
	for _, k := range []string{"SUDO_USER", "USER", "LOGNAME"} {
		if v := env(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}

func background() context.Context { return context.Background() }

func newClient(socket string) *localapi.Client { return localapi.NewClient(socket) }
