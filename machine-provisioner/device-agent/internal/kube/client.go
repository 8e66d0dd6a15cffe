// Package kube is the agent's client of the tenant cluster's apiserver: the standard library's
// HTTPS client with the CA pinned, the kubelet's client certificate (re-read when the kubelet
// rotates it), the three requests of PROTOCOL.md on the DeviceWorkloads object, and the read of
// the node's tunnel token Secret.
package kube

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"edgeplane.io/device-agent/internal/model"
)

const (
	basePath     = "/apis/edgeplane.io/v1alpha1/namespaces/" + model.Namespace + "/deviceworkloads"
	fieldManager = "edgeplane-device"
)

// Object is the part of a DeviceWorkloads object the agent reads.
type Object struct {
	Metadata struct {
		Name            string `json:"name"`
		ResourceVersion string `json:"resourceVersion"`
	} `json:"metadata"`
	Spec model.Spec `json:"spec"`
}

// StatusError is an HTTP answer other than success.
type StatusError struct {
	Code    int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("apiserver answered %d: %s", e.Code, e.Message)
}

// IsNotFound: the object does not exist (yet).
func IsNotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

// IsLinkFailure tells a broken link (network, timeout, apiserver failing) from an answer the
// apiserver gave on purpose (403, 404, 409 ...): only the former means reconnecting.
func IsLinkFailure(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 500
	}
	return err != nil
}

// Client makes the agent's requests for one node's object.
type Client struct {
	base string
	node string
	tls  *tlsSource
	// RequestTimeout bounds a GET or PATCH (not a watch).
	RequestTimeout time.Duration

	mu        sync.Mutex
	transport *http.Transport
	clock     *ClockReading
}

// ClockReading compares this device's clock with the apiserver's, from one answer's Date header:
// Offset is how far this clock is ahead, give or take Uncertainty.
type ClockReading struct {
	Offset, Uncertainty time.Duration
	At                  time.Time
}

// Clock is the latest comparison with the apiserver's clock; nil before any answer.
func (c *Client) Clock() *ClockReading {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.clock == nil {
		return nil
	}
	r := *c.clock
	return &r
}

// noteClock reads an answer's Date header (whole seconds, truncated): the apiserver's time lay
// in [Date, Date+1s) when it answered, and that moment lies between sent and received here.
func (c *Client) noteClock(sent, received time.Time, date string) {
	server, err := http.ParseTime(date)
	if err != nil {
		return
	}
	half := received.Sub(sent) / 2
	reading := ClockReading{
		Offset:      sent.Add(half).Sub(server.Add(500 * time.Millisecond)),
		Uncertainty: half + 500*time.Millisecond,
		At:          received,
	}
	c.mu.Lock()
	c.clock = &reading
	c.mu.Unlock()
}

// NewClient checks its inputs; the CA and certificate files are read when connecting, so the
// agent can start before the kubelet has joined.
func NewClient(apiserver, node, caFile, certFile string) (*Client, error) {
	u, err := url.Parse(apiserver)
	if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("--apiserver: %q is not https://HOST:PORT", apiserver)
	}
	return &Client{
		base: "https://" + u.Host, node: node,
		tls:            &tlsSource{caFile: caFile, cert: &certReloader{path: certFile}},
		RequestTimeout: 10 * time.Second,
	}, nil
}

// Reset drops every pooled connection (they may be dead after an outage) and re-reads the CA if
// it changed. Called before each connection attempt.
func (c *Client) Reset() error {
	cfg, changed, err := c.tls.config()
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.transport != nil {
		c.transport.CloseIdleConnections()
	}
	if c.transport == nil || changed {
		c.transport = newTransport(cfg)
	}
	return nil
}

// Get reads the node's object.
func (c *Client) Get(ctx context.Context) (*Object, error) {
	ctx, cancel := context.WithTimeout(ctx, c.RequestTimeout)
	defer cancel()
	var obj Object
	err := c.do(ctx, http.MethodGet, basePath+"/"+c.node, "", nil, &obj)
	if err != nil {
		return nil, err
	}
	return &obj, nil
}

// PatchStatus writes the whole status (a JSON merge patch of the status subresource).
func (c *Client) PatchStatus(ctx context.Context, status model.Status) error {
	ctx, cancel := context.WithTimeout(ctx, c.RequestTimeout)
	defer cancel()
	body, err := json.Marshal(map[string]any{"status": status})
	if err != nil {
		return err
	}
	path := basePath + "/" + c.node + "/status?fieldManager=" + fieldManager
	return c.do(ctx, http.MethodPatch, path, "application/merge-patch+json", body, nil)
}

// Watch opens a watch on the node's object from resourceVersion ("" = from now, with the
// current object as ADDED). The caller reads events until it cancels ctx or Next fails.
func (c *Client) Watch(ctx context.Context, resourceVersion string) (*Watch, error) {
	q := url.Values{}
	q.Set("fieldSelector", "metadata.name="+c.node)
	q.Set("watch", "1")
	if resourceVersion != "" {
		q.Set("resourceVersion", resourceVersion)
	}
	q.Set("allowWatchBookmarks", "true")
	resp, err := c.send(ctx, http.MethodGet, basePath+"?"+q.Encode(), "", nil)
	if err != nil {
		return nil, err
	}
	return &Watch{body: resp.Body, dec: json.NewDecoder(resp.Body)}, nil
}

func (c *Client) do(ctx context.Context, method, path, contentType string, body []byte, into any) error {
	resp, err := c.send(ctx, method, path, contentType, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if into == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(into); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// send returns a response with a 2xx status, or an error (a *StatusError for other statuses).
func (c *Client) send(ctx context.Context, method, path, contentType string, body []byte) (*http.Response, error) {
	c.mu.Lock()
	transport := c.transport
	c.mu.Unlock()
	if transport == nil {
		if err := c.Reset(); err != nil {
			return nil, err
		}
		return c.send(ctx, method, path, contentType, body)
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "edgeplane-device")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	sent := time.Now()
	resp, err := transport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	c.noteClock(sent, time.Now(), resp.Header.Get("Date"))
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		return nil, &StatusError{Code: resp.StatusCode, Message: statusMessage(resp.Body)}
	}
	return resp, nil
}

// statusMessage reads a metav1.Status message, or the start of whatever the body is.
func statusMessage(body io.Reader) string {
	raw, _ := io.ReadAll(io.LimitReader(body, 4096))
	var st struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &st) == nil && st.Message != "" {
		return st.Message
	}
	return strings.TrimSpace(string(raw))
}
