package podnet

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/testkit"
)

// inNamespace marks the test binary re-run inside a fresh network namespace.
const inNamespace = "EDGEPLANE_PODNET_TEST_IN_NETNS"

// The real thing, as root: the TUN, ip and iptables, in a network namespace of its own that
// ends with the re-run test process, so that nothing of it outlives the test.
func TestARealTunInAFreshNetworkNamespace(t *testing.T) {
	if os.Getenv(inNamespace) == "" {
		reRunInNamespace(t)
		return
	}
	ctx := context.Background()
	sh := func(args ...string) string {
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	sh("ip", "link", "set", "lo", "up")
	log, logged := testkit.NewLog()
	host := newHost(testConfig(), log).(*linuxHost)
	for range 2 { // the second round finds everything in place
		if err := host.Converge(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if link := sh("ip", "-o", "link", "show", "dev", "edgeplane0"); !strings.Contains(link, ",UP") || !strings.Contains(link, "mtu 1500") {
		t.Errorf("link %s", link)
	}
	if addr := sh("ip", "-4", "-o", "addr", "show", "dev", "edgeplane0"); !strings.Contains(addr, "inet 10.244.3.1/32") {
		t.Errorf("address %s", addr)
	}
	if route := sh("ip", "-4", "route", "show", "dev", "edgeplane0"); strings.TrimSpace(route) != "10.244.0.0/16 scope link" {
		t.Errorf("routes %q", route)
	}
	rules := sh("iptables", "-t", "nat", "-S", "POSTROUTING")
	if strings.Count(rules, "-A POSTROUTING -s 10.244.0.0/16 -o edgeplane0 -j RETURN") != 1 {
		t.Errorf("rules %s", rules)
	}
	if n := logged.Count("adding the pod network's address"); n != 1 {
		t.Errorf("the address was added %d times:\n%s", n, logged)
	}

	// Out: the host's packet to another device's pod arrives on the TUN, from the TUN's address.
	udp, err := net.Dial("udp4", "10.244.7.9:53")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	udp.Write([]byte("query"))
	got := readPacket(t, host)
	if source(got).String() != "10.244.3.1" || destination(got).String() != "10.244.7.9" || string(got[28:]) != "query" {
		t.Errorf("read % x from the TUN", got)
	}
	// In: a packet written to the TUN reaches a socket of this device.
	l, err := net.ListenPacket("udp4", "10.244.3.1:9999")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := host.Write(packet("10.244.7.9", "10.244.3.1", 53, 9999, "answer")); err != nil {
		t.Fatal(err)
	}
	l.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 100)
	n, from, err := l.ReadFrom(buf)
	if err != nil || string(buf[:n]) != "answer" || from.String() != "10.244.7.9:53" {
		t.Errorf("received %q from %v: %v", buf[:n], from, err)
	}

	// Persistent: the device stays when the agent lets go; deleted, it is made anew.
	host.Close()
	if _, err := net.InterfaceByName("edgeplane0"); err != nil {
		t.Errorf("the device went with the agent: %v", err)
	}
	sh("ip", "link", "del", "edgeplane0")
	if err := host.Converge(ctx); err != nil {
		t.Fatal(err)
	}
	if addr := sh("ip", "-4", "-o", "addr", "show", "dev", "edgeplane0"); !strings.Contains(addr, "inet 10.244.3.1/32") {
		t.Errorf("address after re-creation %s", addr)
	}
	host.Close()
}

// readPacket is the next IPv4 packet from the TUN, within 5 s.
func readPacket(t *testing.T, host Host) []byte {
	t.Helper()
	got := make(chan []byte, 1)
	go func() {
		buf := make([]byte, maxFrame)
		for {
			n, err := host.Read(buf)
			if err != nil {
				close(got)
				return
			}
			if ipv4(buf[:n]) {
				got <- append([]byte(nil), buf[:n]...)
				return
			}
		}
	}()
	select {
	case p, ok := <-got:
		if !ok {
			t.Fatal("the TUN failed")
		}
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("nothing came out of the TUN")
		return nil
	}
}

func reRunInNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root (a TUN device, ip and iptables)")
	}
	for _, tool := range []string{"unshare", "ip", "iptables"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	if _, err := os.Stat("/dev/net/tun"); err != nil {
		t.Skip("no /dev/net/tun")
	}
	if out, err := exec.Command("unshare", "--net", "true").CombinedOutput(); err != nil {
		t.Skipf("cannot make a network namespace here (a container without CAP_SYS_ADMIN?): %v %s", err, out)
	}
	cmd := exec.Command("unshare", "--net", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), inNamespace+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("in a fresh network namespace: %v\n%s", err, out)
	}
}
