package tunnel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"edgeplane.io/device-agent/internal/fsatomic"
	"edgeplane.io/device-agent/internal/kube"
)

// SecretPrefix + node name is the Secret the seed keeps the device's tunnel token in
// (namespace edgeplane-workloads), under TokenKey.
const (
	SecretPrefix = "edgeplane-tunnel-"
	TokenKey     = "token"
)

// SecretReader reads a Secret of the workloads namespace (kube.Client, with the kubelet's
// client certificate).
type SecretReader interface {
	Secret(ctx context.Context, name string) (*kube.Secret, error)
}

// Keeper delivers the tunnel token: the seed mints it (bound to the Node, one hour) and
// re-mints it with half its life left; the Keeper copies it to the file the tunnel agent
// reads. It works while the link is up (link.SessionWorker) and never breaks the link: every
// failure is logged and tried again at the next heartbeat.
type Keeper struct {
	Client SecretReader
	// Secret is the name of the node's tunnel Secret (SecretPrefix + node).
	Secret string
	// Path is the token file (--tunnel-token); its directory is made 0700, the file 0600.
	Path string
	// Every is how often a token that is absent or past half its life is asked for (the
	// heartbeat): at most one read of the Secret per Every, besides the one of each session start.
	Every time.Duration
	Now   func() time.Time
	Log   *slog.Logger

	// lastOutcome is what the last read came to, so that a failure repeated every heartbeat
	// is logged once (sessions never overlap, so one goroutine at a time touches it).
	lastOutcome string
}

// NewKeeper returns a keeper for node's token.
func NewKeeper(client SecretReader, node, path string, every time.Duration, log *slog.Logger) *Keeper {
	return &Keeper{Client: client, Secret: SecretPrefix + node, Path: path, Every: every, Now: time.Now, Log: log}
}

// RunSession reads the Secret at once (a session start: the seed may have minted a token
// while the device was away), then at every tick while the held token is absent or due.
func (k *Keeper) RunSession(ctx context.Context) {
	k.Refresh(ctx)
	tick := time.NewTicker(k.Every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if k.due() {
				k.Refresh(ctx)
			}
		}
	}
}

// due: the file holds no token (missing or not a JWT), or one past half its life.
func (k *Keeper) due() bool {
	_, tok, present, err := readToken(k.Path)
	if err != nil {
		k.note("cannot-read", slog.LevelWarn, "cannot read the tunnel token file", "path", k.Path, "error", err)
		return true
	}
	return !present || tok.DueForRefresh(k.Now())
}

// Refresh reads the Secret once and writes its token to the file when it differs.
func (k *Keeper) Refresh(ctx context.Context) {
	secret, err := k.Client.Secret(ctx, k.Secret)
	switch {
	case ctx.Err() != nil:
		return // the session ended; the next one reads again
	case kube.IsNotFound(err):
		k.note("none", slog.LevelInfo, "no tunnel token issued yet; keeping the token file as it is", "secret", k.Secret)
		return
	case err != nil:
		k.note("read-failed", slog.LevelWarn, "cannot read the tunnel token; keeping the token file as it is", "secret", k.Secret, "error", err)
		return
	}
	raw := bytes.TrimSpace(secret.Data[TokenKey])
	if len(raw) == 0 {
		k.note("empty", slog.LevelWarn, "the tunnel Secret has no token yet; keeping the token file as it is", "secret", k.Secret, "key", TokenKey)
		return
	}
	tok, err := ParseToken(raw)
	if err != nil {
		// The tunnel server would refuse it anyway; a token that works may still be in the file.
		k.note("malformed", slog.LevelWarn, "the tunnel Secret holds no usable token; keeping the token file as it is", "secret", k.Secret, "error", err)
		return
	}
	written, err := writeToken(k.Path, raw)
	if err != nil {
		k.note("write-failed", slog.LevelWarn, "cannot write the tunnel token file", "path", k.Path, "error", err)
		return
	}
	if written {
		k.lastOutcome = ""
		k.Log.Info("delivered a new tunnel token", "step", "tunnel-token", "path", k.Path, "expires", stamp(tok.Expires))
		return
	}
	k.note("current", slog.LevelDebug, "the tunnel token file is current", "expires", stamp(tok.Expires))
}

// note logs an outcome unless it repeats the previous one.
func (k *Keeper) note(outcome string, level slog.Level, msg string, args ...any) {
	if outcome == k.lastOutcome {
		return
	}
	k.lastOutcome = outcome
	k.Log.Log(context.Background(), level, msg, append([]any{"step", "tunnel-token"}, args...)...)
}

// writeToken makes path hold exactly the token (the tunnel agent sends the file's bytes as
// they are, so no newline), its directory 0700 and the file 0600: it is the device's
// credential towards the tunnel server. An unchanged token is not rewritten.
func writeToken(path string, token []byte) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return false, err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return false, err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return false, err
	}
	if !info.IsDir() {
		return false, fmt.Errorf("%s is not a directory", dir)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return false, err
		}
	}
	return fsatomic.Write(path, token, 0o600)
}
