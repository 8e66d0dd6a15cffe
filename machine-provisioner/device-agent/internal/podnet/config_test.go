package podnet

import (
	"strings"
	"testing"
)

func full() Flags {
	return Flags{Relay: "seed.example:8134", ServerName: "cabcdefghij.pod-network.edgeplane.invalid",
		ClusterCIDR: "10.244.0.0/16", PodRange: "10.244.3.0/24", Interface: DefaultInterface}
}

func TestFlagsMakeTheConfig(t *testing.T) {
	f := full()
	f.Proxy = "http://user:secret@proxy.dc:3128"
	c, err := f.Parse("/ca.crt", "/kubelet.pem")
	if err != nil {
		t.Fatal(err)
	}
	if c.PodRange.String() != "10.244.3.0/24" || c.ClusterCIDR.String() != "10.244.0.0/16" || c.TunAddress().String() != "10.244.3.1" {
		t.Errorf("config %+v, TUN address %s", c, c.TunAddress())
	}
	if c.Proxy.Host != "proxy.dc:3128" || c.Proxy.User.Username() != "user" || c.CAFile != "/ca.crt" || c.CertFile != "/kubelet.pem" {
		t.Errorf("config %+v", c)
	}
	f.Proxy = "http://proxy.dc"
	if c, err := f.Parse("/ca.crt", "/kubelet.pem"); err != nil || c.Proxy.Host != "proxy.dc:80" {
		t.Errorf("a proxy without port: %v %v", c.Proxy, err)
	}
}

func TestWithoutRelayThePodNetworkIsOff(t *testing.T) {
	for _, f := range []Flags{{Interface: DefaultInterface}, {ClusterCIDR: "10.244.0.0/16", PodRange: "10.244.3.0/24", Interface: DefaultInterface}} {
		if f.Enabled() {
			t.Errorf("%+v: on", f)
		}
		if _, err := f.Parse("", ""); err != nil {
			t.Errorf("%+v: %v", f, err)
		}
	}
}

func TestEachFlagIsCheckedByName(t *testing.T) {
	cases := []struct {
		change func(*Flags)
		want   string
	}{
		{func(f *Flags) { f.ServerName = "" }, "--pod-network-name is required with --pod-network"},
		{func(f *Flags) { f.ClusterCIDR = "" }, "--cluster-pod-cidr is required with --pod-network"},
		{func(f *Flags) { f.PodRange = "" }, "--pod-range is required with --pod-network"},
		{func(f *Flags) { f.Relay = "seed.example" }, `--pod-network: "seed.example" is not HOST:PORT`},
		{func(f *Flags) { f.Relay = "seed.example:0" }, `--pod-network: "seed.example:0" is not HOST:PORT (port "0" is not 1-65535)`},
		{func(f *Flags) { f.Relay = ":8134" }, `--pod-network: ":8134" is not HOST:PORT (no host)`},
		{func(f *Flags) { f.ServerName = "Cluster_1" }, `--pod-network-name: "Cluster_1" is not a DNS name`},
		{func(f *Flags) { f.ClusterCIDR = "10.244.0.0" }, `--cluster-pod-cidr: "10.244.0.0" is not an IPv4 CIDR`},
		{func(f *Flags) { f.ClusterCIDR = "fd00::/64" }, `--cluster-pod-cidr: "fd00::/64" is not an IPv4 CIDR`},
		{func(f *Flags) { f.ClusterCIDR = "10.244.1.0/16" }, `--cluster-pod-cidr: "10.244.1.0/16" is not a network address (10.244.0.0/16?)`},
		{func(f *Flags) { f.PodRange = "10.244.3.7/24" }, `--pod-range: "10.244.3.7/24" is not a network address (10.244.3.0/24?)`},
		{func(f *Flags) { f.PodRange = "10.245.3.0/24" }, "--pod-range: 10.245.3.0/24 is not a part of --cluster-pod-cidr 10.244.0.0/16"},
		{func(f *Flags) { f.PodRange = "10.244.0.0/16" }, "--pod-range: 10.244.0.0/16 is not a part of --cluster-pod-cidr 10.244.0.0/16"},
		{func(f *Flags) { f.PodRange = "10.244.3.0/31" }, "--pod-range: 10.244.3.0/31 is too small (at most /30)"},
		{func(f *Flags) { f.Proxy = "https://proxy.dc:3128" }, `--pod-network-proxy: "https://proxy.dc:3128" is not http://HOST:PORT`},
		{func(f *Flags) { f.Proxy = "proxy.dc:3128" }, `--pod-network-proxy: "proxy.dc:3128" is not http://HOST:PORT`},
		{func(f *Flags) { f.Proxy = "http://u:secret@proxy.dc:3128/x" }, `--pod-network-proxy: "http://u:xxxxx@proxy.dc:3128/x" is not http://HOST:PORT`},
		{func(f *Flags) { f.Interface = "" }, `--pod-network-interface: "" is not an interface name`},
		{func(f *Flags) { f.Interface = "edgeplane0-far-too-long" }, `--pod-network-interface: "edgeplane0-far-too-long" is not an interface name`},
		{func(f *Flags) { f.Interface = "edge/plane" }, `--pod-network-interface: "edge/plane" is not an interface name`},
	}
	for _, c := range cases {
		f := full()
		c.change(&f)
		_, err := f.Parse("/ca.crt", "/kubelet.pem")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want %q", f, err, c.want)
		}
	}
	// Off, but a malformed range is still a mistake worth hearing of.
	if _, err := (Flags{PodRange: "10.244.3.0", Interface: DefaultInterface}).Parse("", ""); err == nil || !strings.Contains(err.Error(), "--pod-range") {
		t.Errorf("a malformed --pod-range without --pod-network: %v", err)
	}
}
