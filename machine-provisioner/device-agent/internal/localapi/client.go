package localapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

// ErrAgentNotRunning: nothing answers on the socket.
var ErrAgentNotRunning = errors.New("the device agent does not run")

// Client is the command's side of the local API.
type Client struct {
	http *http.Client
}

// NewClient talks to the agent on the socket at path.
func NewClient(path string) *Client {
	dialer := net.Dialer{Timeout: 2 * time.Second}
	return &Client{http: &http.Client{
		// Actions wait for the agent to have written the files (bounded there at 10 s).
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				conn, err := dialer.DialContext(ctx, "unix", path)
				if err != nil {
					return nil, fmt.Errorf("%w (%v)", ErrAgentNotRunning, err)
				}
				return conn, nil
			},
		},
	}}
}

// Workloads lists the device's workloads.
func (c *Client) Workloads(ctx context.Context) ([]WorkloadView, error) {
	var out []WorkloadView
	return out, c.call(ctx, http.MethodGet, "/v1/workloads", nil, &out)
}

// Status reads the agent's status.
func (c *Client) Status(ctx context.Context) (AgentStatus, error) {
	var out AgentStatus
	return out, c.call(ctx, http.MethodGet, "/v1/status", nil, &out)
}

// Act asks for apply, start, stop or delete of a workload.
func (c *Client) Act(ctx context.Context, verb model.ActionKind, workload, cause string) (ActionResult, error) {
	var out ActionResult
	path := "/v1/workloads/" + url.PathEscape(workload) + "/" + string(verb)
	return out, c.call(ctx, http.MethodPost, path, ActionRequest{Cause: cause}, &out)
}

// Import hands over a verified bundle's version.
func (c *Client) Import(ctx context.Context, req ImportRequest) (ActionResult, error) {
	var out ActionResult
	return out, c.call(ctx, http.MethodPost, "/v1/imports", req, &out)
}

func (c *Client) call(ctx context.Context, method, path string, body, into any) error {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://agent"+path, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, ErrAgentNotRunning) {
			return ErrAgentNotRunning
		}
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		e := &Error{}
		if json.Unmarshal(raw, e) != nil || e.Message == "" {
			e = &Error{Kind: KindInternal, Message: fmt.Sprintf("agent answered %s", resp.Status)}
		}
		return e
	}
	return json.Unmarshal(raw, into)
}
