// Package podnet is the device's end of the pod network (PROTOCOL.md, "The pod network"): a
// persistent TUN device that carries the packets for other devices' pods, and one mutual-TLS
// connection to the seed's relay, which forwards each packet to the device whose pod range
// holds its destination.
package podnet

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
)

// DefaultInterface is the TUN device's name unless --pod-network-interface says otherwise.
const DefaultInterface = "edgeplane0"

// Flags are the agent's pod network flags as given; Parse checks them.
type Flags struct {
	Relay, ServerName, ClusterCIDR, PodRange, Proxy, Interface string
}

// Config is the pod network as the agent runs it.
type Config struct {
	// Relay is HOST:PORT of the seed's pod network relay.
	Relay string
	// ServerName is the relay's TLS name, <clusterId>.pod-network.edgeplane.invalid.
	ServerName string
	// ClusterCIDR is the cluster's whole pod range; PodRange this device's part of it.
	ClusterCIDR, PodRange netip.Prefix
	// Proxy is an HTTP CONNECT proxy to reach the relay through (nil: direct).
	Proxy *url.URL
	// Interface is the TUN device's name.
	Interface string
	// CAFile is the cluster CA the relay's certificate must chain to; CertFile the kubelet's
	// client certificate and key (one PEM file), re-read at each dial.
	CAFile, CertFile string
}

var (
	dnsName = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// Linux interface names: at most 15 bytes, no slash or white space (dev_valid_name).
	ifName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$`)
)

// Enabled says whether the flags turn the pod network on (--pod-network given).
func (f Flags) Enabled() bool { return f.Relay != "" }

// Parse checks the flags; every error names its flag. With --pod-network empty the pod network
// is off, and the other flags are only checked for form where given (a provisioning script may
// pass the ranges whether or not the seed runs a relay).
func (f Flags) Parse(caFile, certFile string) (Config, error) {
	c := Config{Relay: f.Relay, ServerName: f.ServerName, Interface: f.Interface, CAFile: caFile, CertFile: certFile}
	var err error
	if f.Relay != "" {
		if err = checkHostPort(f.Relay); err != nil {
			return c, fmt.Errorf("--pod-network: %q is not HOST:PORT (%v)", f.Relay, err)
		}
	}
	if f.ServerName != "" && (len(f.ServerName) > 253 || !dnsName.MatchString(f.ServerName)) {
		return c, fmt.Errorf("--pod-network-name: %q is not a DNS name", f.ServerName)
	}
	if f.ClusterCIDR != "" {
		if c.ClusterCIDR, err = ipv4Network(f.ClusterCIDR); err != nil {
			return c, fmt.Errorf("--cluster-pod-cidr: %w", err)
		}
	}
	if f.PodRange != "" {
		if c.PodRange, err = ipv4Network(f.PodRange); err != nil {
			return c, fmt.Errorf("--pod-range: %w", err)
		}
		// The first host of the range is the TUN's address: a /31 or /32 has none.
		if c.PodRange.Bits() > 30 {
			return c, fmt.Errorf("--pod-range: %s is too small (at most /30)", c.PodRange)
		}
	}
	if c.ClusterCIDR.IsValid() && c.PodRange.IsValid() &&
		(c.PodRange.Bits() <= c.ClusterCIDR.Bits() || !c.ClusterCIDR.Contains(c.PodRange.Addr())) {
		return c, fmt.Errorf("--pod-range: %s is not a part of --cluster-pod-cidr %s", c.PodRange, c.ClusterCIDR)
	}
	if f.Proxy != "" {
		if c.Proxy, err = proxyURL(f.Proxy); err != nil {
			return c, fmt.Errorf("--pod-network-proxy: %w", err)
		}
	}
	if !ifName.MatchString(f.Interface) {
		return c, fmt.Errorf("--pod-network-interface: %q is not an interface name (at most 15 of [A-Za-z0-9_.-])", f.Interface)
	}
	if !f.Enabled() {
		return c, nil
	}
	for _, req := range []struct{ flag, value string }{
		{"--pod-network-name", f.ServerName}, {"--cluster-pod-cidr", f.ClusterCIDR}, {"--pod-range", f.PodRange},
	} {
		if req.value == "" {
			return c, fmt.Errorf("%s is required with --pod-network", req.flag)
		}
	}
	if caFile == "" || certFile == "" {
		return c, fmt.Errorf("--pod-network needs --ca-file and --cert-file")
	}
	return c, nil
}

// TunAddress is the TUN's address: the pod range's first host, the CNI bridge's gateway, which
// the kernel then picks as the source of the host's own packets to other devices' pods.
func (c Config) TunAddress() netip.Addr { return c.PodRange.Addr().Next() }

func checkHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return err
	}
	if host == "" {
		return fmt.Errorf("no host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not 1-65535", port)
	}
	return nil
}

// ipv4Network reads an IPv4 network in CIDR form; the frames carry IPv4 only.
func ipv4Network(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return p, fmt.Errorf("%q is not an IPv4 CIDR", s)
	}
	if p.Masked() != p {
		return p, fmt.Errorf("%q is not a network address (%s?)", s, p.Masked())
	}
	return p, nil
}

// proxyURL reads http://[USER:PASSWORD@]HOST[:PORT] (port 80 when not given).
func proxyURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("not an http://HOST:PORT URL")
	}
	shown := u.Redacted() // a proxy password stays out of the logs
	if u.Scheme != "http" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q is not http://HOST:PORT", shown)
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), "80")
	} else if err := checkHostPort(u.Host); err != nil {
		return nil, fmt.Errorf("%q is not http://HOST:PORT (%v)", shown, err)
	}
	return u, nil
}
