package main

// The parts of hello-http that only the apiserver calls: an admission webhook and an aggregated
// API group. They prove that the apiserver reaches a pod on a device (through the tunnel when the
// device is behind NAT). The apiserver only calls HTTPS servers, so they are meant for a server
// started with TLS_CERT_FILE and TLS_KEY_FILE.
//
//	POST /validate -> an AdmissionReview v1 answer: denies an object whose name starts with
//	                  "denied-" (message "denied by hello-http on <hostname>"), allows anything else
//	GET /apis/hello.edgeplane.io/v1        -> the group version's (empty) resource list, which the
//	                                          aggregator checks before it calls the APIService available
//	GET /apis/hello.edgeplane.io/v1/<path> -> "hello from <hostname>" as for GET /

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strings"
)

const apiGroupVersion = "hello.edgeplane.io/v1"

type admissionReview struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Request    *admissionRequest  `json:"request,omitempty"`
	Response   *admissionResponse `json:"response,omitempty"`
}

type admissionRequest struct {
	UID  string `json:"uid"`
	Name string `json:"name"`
}

type admissionResponse struct {
	UID     string           `json:"uid"`
	Allowed bool             `json:"allowed"`
	Result  *admissionStatus `json:"status,omitempty"`
}

type admissionStatus struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func apiServerHandlers(mux *http.ServeMux, hostname string) {
	mux.HandleFunc("/validate", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST an AdmissionReview", http.StatusMethodNotAllowed)
			return
		}
		var review admissionReview
		if err := json.NewDecoder(r.Body).Decode(&review); err != nil || review.Request == nil {
			http.Error(w, fmt.Sprintf("not an AdmissionReview: %v", err), http.StatusBadRequest)
			return
		}
		answer := &admissionResponse{UID: review.Request.UID, Allowed: true}
		if strings.HasPrefix(review.Request.Name, "denied-") {
			answer.Allowed = false
			answer.Result = &admissionStatus{Code: http.StatusForbidden, Message: "denied by hello-http on " + hostname}
		}
		log.Printf("admission of %q: allowed=%t", review.Request.Name, answer.Allowed)
		writeJSON(w, admissionReview{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview", Response: answer})
	})
	mux.HandleFunc("/apis/"+apiGroupVersion, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": apiGroupVersion,
			"resources": []any{}})
	})
	mux.HandleFunc("/apis/"+apiGroupVersion+"/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "hello from "+hostname)
	})
}

func writeJSON(w http.ResponseWriter, value any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(value); err != nil {
		log.Printf("answer: %v", err)
	}
}
