package podnet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostTools stands in for ip and iptables: it notes each command line and answers from what
// the host currently has.
type hostTools struct {
	lines []string
	// answers by command line: output, or exit code (non-zero = failure).
	out  map[string]string
	exit map[string]int
}

func (h *hostTools) run(_ context.Context, name string, args ...string) ([]byte, error) {
	line := strings.Join(append([]string{name}, args...), " ")
	h.lines = append(h.lines, line)
	if code := h.exit[line]; code != 0 {
		return nil, &commandError{line: line, code: code, stderr: "said no"}
	}
	return []byte(h.out[line]), nil
}

func newRouting(t *testing.T, tools *hostTools) (*routing, string) {
	procSys := t.TempDir()
	dir := filepath.Join(procSys, "net/ipv6/conf/edgeplane0")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "disable_ipv6"), []byte("0\n"), 0o644)
	return &routing{cfg: testConfig(), run: tools.run, log: discardLog(), procSys: procSys}, filepath.Join(dir, "disable_ipv6")
}

const (
	showLink  = "ip -o link show dev edgeplane0"
	showAddr  = "ip -4 -o addr show dev edgeplane0"
	showRoute = "ip -4 route show 10.244.0.0/16 dev edgeplane0"
	checkRule = "iptables -w 5 -t nat -C POSTROUTING -s 10.244.0.0/16 -o edgeplane0 -j RETURN"
)

func TestAFreshHostIsSetUp(t *testing.T) {
	tools := &hostTools{
		out: map[string]string{
			showLink: "9: edgeplane0: <POINTOPOINT,MULTICAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 500\\    link/none \n",
		},
		exit: map[string]int{checkRule: 1},
	}
	r, ipv6 := newRouting(t, tools)
	if err := r.converge(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		showLink,
		"ip link set dev edgeplane0 mtu 1500 up",
		showAddr,
		"ip addr add 10.244.3.1/32 dev edgeplane0",
		showRoute,
		"ip route replace 10.244.0.0/16 dev edgeplane0",
		checkRule,
		"iptables -w 5 -t nat -I POSTROUTING 1 -s 10.244.0.0/16 -o edgeplane0 -j RETURN",
	}
	if strings.Join(tools.lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands\n%s\nwant\n%s", strings.Join(tools.lines, "\n"), strings.Join(want, "\n"))
	}
	if b, _ := os.ReadFile(ipv6); strings.TrimSpace(string(b)) != "1" {
		t.Errorf("disable_ipv6 %q", b)
	}
}

func TestASetUpHostIsOnlyLookedAt(t *testing.T) {
	tools := &hostTools{out: map[string]string{
		showLink:  "9: edgeplane0: <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> mtu 1500 qdisc fq_codel state DOWN mode DEFAULT group default qlen 500\\    link/none \n",
		showAddr:  "9: edgeplane0    inet 10.244.3.1/32 scope global edgeplane0\\       valid_lft forever preferred_lft forever\n",
		showRoute: "10.244.0.0/16 scope link linkdown \n",
	}}
	r, _ := newRouting(t, tools)
	if err := r.converge(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{showLink, showAddr, showRoute, checkRule}
	if strings.Join(tools.lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("commands\n%s\nwant only the looks\n%s", strings.Join(tools.lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestTheAddressOfAnEarlierPodRangeGoes(t *testing.T) {
	tools := &hostTools{out: map[string]string{
		showLink:  "9: edgeplane0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UNKNOWN\n",
		showAddr:  "9: edgeplane0    inet 10.244.9.1/32 scope global edgeplane0\\       valid_lft forever preferred_lft forever\n",
		showRoute: "10.244.0.0/16 scope link\n",
	}}
	r, _ := newRouting(t, tools)
	if err := r.converge(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tools.lines, "\n")
	if !strings.Contains(got, showAddr+"\nip addr del 10.244.9.1/32 dev edgeplane0\nip addr add 10.244.3.1/32 dev edgeplane0\n") {
		t.Errorf("commands\n%s", got)
	}
}

func TestAFailedStepEndsTheRoundAndSaysWhichCommand(t *testing.T) {
	tools := &hostTools{
		out:  map[string]string{showLink: "9: edgeplane0: <UP> mtu 1500\n", showAddr: "", showRoute: "x\n"},
		exit: map[string]int{"ip addr add 10.244.3.1/32 dev edgeplane0": 2},
	}
	r, _ := newRouting(t, tools)
	err := r.converge(context.Background())
	if err == nil || err.Error() != "ip addr add 10.244.3.1/32 dev edgeplane0: exit status 2: said no" {
		t.Errorf("error %v", err)
	}
	if last := tools.lines[len(tools.lines)-1]; last != "ip addr add 10.244.3.1/32 dev edgeplane0" {
		t.Errorf("went on after the failure: %q", tools.lines)
	}
	// An iptables failure other than "no such rule" is a failure, not a reason to insert.
	tools = &hostTools{
		out:  map[string]string{showLink: "9: edgeplane0: <UP> mtu 1500\n", showAddr: "inet 10.244.3.1/32", showRoute: "x\n"},
		exit: map[string]int{checkRule: 4},
	}
	r, _ = newRouting(t, tools)
	if err := r.converge(context.Background()); err == nil || !strings.Contains(err.Error(), "exit status 4") {
		t.Errorf("iptables failing: %v", err)
	}
	if last := tools.lines[len(tools.lines)-1]; last != checkRule {
		t.Errorf("inserted although the check failed: %q", tools.lines)
	}
}
