package localapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

// Server serves a Backend on a unix socket.
type Server struct {
	path     string
	listener net.Listener
	http     *http.Server
}

// Listen opens the socket (mode 0600). A socket left by an agent that died is removed; one
// another agent still answers on is not.
func Listen(path string, backend Backend, log *slog.Logger) (*Server, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("--socket: %w", err)
	}
	if conn, err := net.DialTimeout("unix", path, time.Second); err == nil {
		conn.Close()
		return nil, fmt.Errorf("--socket: another agent answers on %s", path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--socket: remove the stale socket: %w", err)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("--socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("--socket: %w", err)
	}
	mux := http.NewServeMux()
	h := handlers{backend: backend, log: log}
	mux.HandleFunc("GET /v1/workloads", h.list)
	mux.HandleFunc("GET /v1/status", h.status)
	mux.HandleFunc("POST /v1/workloads/{name}/{verb}", h.act)
	mux.HandleFunc("POST /v1/imports", h.importVerified)
	s := &Server{path: path, listener: l, http: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		if err := s.http.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("local API stopped", "step", "local-api", "error", err)
		}
	}()
	return s, nil
}

// Close stops serving and removes the socket.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	_ = os.Remove(s.path)
	return err
}

type handlers struct {
	backend Backend
	log     *slog.Logger
}

func (h handlers) list(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.backend.Workloads())
}

func (h handlers) status(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, h.backend.Status())
}

func (h handlers) act(w http.ResponseWriter, r *http.Request) {
	verb := model.ActionKind(r.PathValue("verb"))
	switch verb {
	case model.ActionApply, model.ActionStart, model.ActionStop, model.ActionDelete:
	default:
		writeError(w, &Error{Kind: KindUsage, Message: fmt.Sprintf("unknown action %q", verb)})
		return
	}
	var req ActionRequest
	if !readJSON(w, r, &req) {
		return
	}
	res, err := h.backend.Act(r.Context(), verb, r.PathValue("name"), req.Cause)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (h handlers) importVerified(w http.ResponseWriter, r *http.Request) {
	var req ImportRequest
	if !readJSON(w, r, &req) {
		return
	}
	res, err := h.backend.Import(r.Context(), req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func readJSON(w http.ResponseWriter, r *http.Request, into any) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err == nil && len(body) > 0 {
		err = json.Unmarshal(body, into)
	}
	if err != nil {
		writeError(w, &Error{Kind: KindUsage, Message: "request body: " + err.Error()})
		return false
	}
	return true
}

func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: KindInternal, Message: err.Error()}
	}
	code := map[ErrorKind]int{KindUsage: 400, KindRefused: 409, KindNotFound: 404}[e.Kind]
	if code == 0 {
		code = 500
	}
	writeJSON(w, code, e)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
