package podnet

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// dialer connects to the relay as the node: TCP (through the HTTP CONNECT proxy when one is
// configured), then TLS 1.3 with the relay's name for this cluster.
type dialer struct {
	cfg     Config
	timeout time.Duration // the whole of TCP, CONNECT and handshake
}

// dial returns a connection the relay has completed the handshake on. Its errors are worded for
// status.podNetwork.reason.
func (d dialer) dial(ctx context.Context) (net.Conn, error) {
	tlsCfg, err := d.tlsConfig()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	nd := net.Dialer{KeepAlive: 15 * time.Second}
	target := d.cfg.Relay
	if d.cfg.Proxy != nil {
		target = d.cfg.Proxy.Host
	}
	raw, err := nd.DialContext(ctx, "tcp", target)
	if err != nil {
		if d.cfg.Proxy != nil {
			return nil, fmt.Errorf("cannot reach the proxy %s: %s", d.cfg.Proxy.Redacted(), brief(err))
		}
		return nil, fmt.Errorf("cannot reach the relay %s: %s", d.cfg.Relay, brief(err))
	}
	// Whatever the step, an ended context must end a blocked read or write.
	stop := context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	conn := raw
	if d.cfg.Proxy != nil {
		if conn, err = connect(raw, d.cfg.Proxy, d.cfg.Relay); err != nil {
			raw.Close()
			return nil, err
		}
	}
	tc := tls.Client(conn, tlsCfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("TLS handshake with the relay %s (%s) failed: %s", d.cfg.Relay, d.cfg.ServerName, brief(err))
	}
	if !stop() {
		raw.Close() // the deadline was set after all: the connection is useless
		return nil, fmt.Errorf("cannot reach the relay %s: timed out", d.cfg.Relay)
	}
	return tc, nil
}

// tlsConfig reads the cluster CA and the kubelet's client certificate afresh: the kubelet
// rotates its certificate, and a dial is rare enough to read two small files each time.
func (d dialer) tlsConfig() (*tls.Config, error) {
	caPEM, err := os.ReadFile(d.cfg.CAFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read the cluster CA: %s", brief(err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("the cluster CA %s holds no PEM certificate", d.cfg.CAFile)
	}
	pem, err := os.ReadFile(d.cfg.CertFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read the kubelet's client certificate: %s", brief(err))
	}
	cert, err := tls.X509KeyPair(pem, pem)
	if err != nil {
		return nil, fmt.Errorf("the kubelet's client certificate %s is not usable: %v", d.cfg.CertFile, err)
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		MaxVersion: tls.VersionTLS13,
		RootCAs:    pool,
		ServerName: d.cfg.ServerName,
		// Always offered: tls would otherwise leave it out when the relay's list of acceptable
		// CAs does not name its issuer exactly, and the relay could only say "no certificate".
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil },
	}, nil
}

// connect asks the proxy on conn for a tunnel to target (HTTP CONNECT).
func connect(conn net.Conn, proxy *url.URL, target string) (net.Conn, error) {
	req := &http.Request{
		Method: http.MethodConnect,
		URL:    &url.URL{Opaque: target},
		Host:   target,
		Header: http.Header{},
	}
	if u := proxy.User; u != nil {
		pw, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw)))
	}
	if err := req.Write(conn); err != nil {
		return nil, fmt.Errorf("cannot reach the relay %s through the proxy %s: %s", target, proxy.Redacted(), brief(err))
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, fmt.Errorf("the proxy %s gave no answer to CONNECT %s: %s", proxy.Redacted(), target, brief(err))
	}
	// The body is not closed: closing would wait for a body end that a tunnel never has.
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the proxy %s answered %s to CONNECT %s", proxy.Redacted(), resp.Status, target)
	}
	if br.Buffered() > 0 {
		// The relay speaks only after the client's hello, but a proxy may send early bytes.
		return &bufferedConn{Conn: conn, r: br}, nil
	}
	return conn, nil
}

type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// brief is the part of a network error an operator needs: "connection refused", "timed out",
// "tls: bad certificate", without the ephemeral ports that would make each failure look new.
func brief(err error) string {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return "timed out"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return "lookup " + dns.Name + ": " + dns.Err
	}
	var sys *os.SyscallError
	if errors.As(err, &sys) {
		return sys.Err.Error()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var path *os.PathError
	if errors.As(err, &path) {
		return path.Path + ": " + path.Err.Error()
	}
	return err.Error()
}
