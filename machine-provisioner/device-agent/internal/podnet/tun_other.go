//go:build !linux

package podnet

import (
	"context"
	"errors"
	"log/slog"
)

// The pod network needs Linux's TUN; elsewhere the module only builds (for its other tests).
type noHost struct{}

func newHost(Config, *slog.Logger) Host { return noHost{} }

var errNotLinux = errors.New("the pod network needs Linux")

func (noHost) Read([]byte) (int, error)       { return 0, errNotLinux }
func (noHost) Write([]byte) (int, error)      { return 0, errNotLinux }
func (noHost) Converge(context.Context) error { return errNotLinux }
func (noHost) Close() error                   { return nil }
