package kube

import (
	"encoding/json"
	"fmt"
	"io"
)

// Event is one line of a watch stream.
type Event struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

// The watch event types.
const (
	Added    = "ADDED"
	Modified = "MODIFIED"
	Deleted  = "DELETED"
	Bookmark = "BOOKMARK"
	Error    = "ERROR"
)

// Watch reads the events of one watch request.
type Watch struct {
	body io.ReadCloser
	dec  *json.Decoder
}

// Next blocks for the next event; io.EOF when the apiserver ended the watch.
func (w *Watch) Next() (Event, error) {
	var ev Event
	if err := w.dec.Decode(&ev); err != nil {
		return Event{}, err
	}
	return ev, nil
}

// Close ends the watch.
func (w *Watch) Close() error { return w.body.Close() }

// ObjectOf decodes an ADDED, MODIFIED, DELETED or BOOKMARK event's object.
func (ev Event) ObjectOf() (*Object, error) {
	var obj Object
	if err := json.Unmarshal(ev.Object, &obj); err != nil {
		return nil, fmt.Errorf("watch %s event: %w", ev.Type, err)
	}
	return &obj, nil
}

// StatusOf decodes an ERROR event's metav1.Status.
func (ev Event) StatusOf() *StatusError {
	var st struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(ev.Object, &st)
	return &StatusError{Code: st.Code, Message: st.Message}
}
