package kube

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// Short timeouts: a device must notice within a second or two that the link is back, so no
// attempt may hang on a dead path for long.
const (
	tlsHandshakeTimeout   = 3 * time.Second
	responseHeaderTimeout = 5 * time.Second
)

// tlsSource builds the TLS configuration: the pinned CA (re-read when its file changes) and the
// client certificate (re-read on each handshake when its file changed).
type tlsSource struct {
	caFile string
	cert   *certReloader

	mu      sync.Mutex
	caStamp fileStamp
	cfg     *tls.Config
}

func (s *tlsSource) config() (*tls.Config, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stamp, err := stampOf(s.caFile)
	if err != nil {
		return nil, false, fmt.Errorf("--ca-file: %w", err)
	}
	if s.cfg != nil && stamp.same(s.caStamp) {
		return s.cfg, false, nil
	}
	pem, err := os.ReadFile(s.caFile)
	if err != nil {
		return nil, false, fmt.Errorf("--ca-file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, false, fmt.Errorf("--ca-file: %s holds no PEM certificate", s.caFile)
	}
	s.caStamp = stamp
	s.cfg = &tls.Config{
		RootCAs:              pool,
		MinVersion:           tls.VersionTLS12,
		GetClientCertificate: s.cert.get,
	}
	return s.cfg, true, nil
}

func newTransport(cfg *tls.Config) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           raceDial,
		TLSClientConfig:       cfg,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		// HTTP/1.1 only: the watch and the heartbeats then use separate connections, and a
		// failed heartbeat is a fact about the link, not about one multiplexed stream.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
}

// certReloader serves the kubelet's client certificate (certificate and key in one PEM file,
// a symlink the kubelet swaps when it rotates), re-reading it when the file behind changes.
type certReloader struct {
	path string

	mu    sync.Mutex
	stamp fileStamp
	cert  *tls.Certificate
}

func (r *certReloader) get(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp, err := stampOf(r.path)
	if err != nil {
		return nil, fmt.Errorf("--cert-file: %w", err)
	}
	if r.cert != nil && stamp.same(r.stamp) {
		return r.cert, nil
	}
	pem, err := os.ReadFile(r.path)
	if err != nil {
		return nil, fmt.Errorf("--cert-file: %w", err)
	}
	cert, err := tls.X509KeyPair(pem, pem)
	if err != nil {
		return nil, fmt.Errorf("--cert-file %s: %w", r.path, err)
	}
	r.cert, r.stamp = &cert, stamp
	return r.cert, nil
}

// fileStamp identifies a file's content cheaply: the file behind a symlink, its mtime and size.
type fileStamp struct {
	info os.FileInfo
}

func stampOf(path string) (fileStamp, error) {
	info, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{info: info}, nil
}

func (a fileStamp) same(b fileStamp) bool {
	return a.info != nil && b.info != nil && os.SameFile(a.info, b.info) &&
		a.info.ModTime().Equal(b.info.ModTime()) && a.info.Size() == b.info.Size()
}
