package kube

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"edgeplane.io/device-agent/internal/model"
)

// Secret is the part of a Secret the agent reads: its data, base64-decoded by encoding/json.
type Secret struct {
	Data map[string][]byte `json:"data"`
}

// Secret reads one Secret of the workloads namespace (the Role grants get on the node's
// tunnel Secret only). A missing Secret is a *StatusError with code 404 (IsNotFound).
func (c *Client) Secret(ctx context.Context, name string) (*Secret, error) {
	ctx, cancel := context.WithTimeout(ctx, c.RequestTimeout)
	defer cancel()
	var s Secret
	path := "/api/v1/namespaces/" + model.Namespace + "/secrets/" + url.PathEscape(name)
	if err := c.do(ctx, http.MethodGet, path, "", nil, &s); err != nil {
		return nil, fmt.Errorf("read Secret %s/%s: %w", model.Namespace, name, err)
	}
	return &s, nil
}
