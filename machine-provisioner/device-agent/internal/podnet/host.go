package podnet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MTU of the TUN: the pods' own MTU on the CNI bridge, so that nothing needs fragmenting here
// (the frames ride on TCP, which segments them as it likes).
const MTU = 1500

// runner runs a host tool and returns its standard output; a failure is a *commandError.
type runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// commandError is a host tool that failed: its command line, exit code and what it said.
type commandError struct {
	line   string
	code   int
	stderr string
}

func (e *commandError) Error() string {
	if e.stderr == "" {
		return fmt.Sprintf("%s: exit status %d", e.line, e.code)
	}
	return fmt.Sprintf("%s: exit status %d: %s", e.line, e.code, e.stderr)
}

func execRunner(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		line := strings.Join(append([]string{name}, args...), " ")
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return out, &commandError{line: line, code: exit.ExitCode(), stderr: strings.TrimSpace(stderr.String())}
		}
		return out, fmt.Errorf("%s: %w", line, err)
	}
	return out, nil
}

// routing keeps the host's routing around the TUN right with ip and iptables; each step looks
// first and changes only what is wrong, so that running it every 30 s changes nothing.
type routing struct {
	cfg Config
	run runner
	log *slog.Logger
	// procSys is /proc/sys (a directory of the test's choosing in tests).
	procSys string
}

// converge runs every step; the first failure ends it (the next round tries again).
func (r *routing) converge(ctx context.Context) error {
	for _, step := range []func(context.Context) error{r.noIPv6, r.link, r.address, r.route, r.noMasquerade} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// noIPv6 turns IPv6 off on the TUN: the frames carry IPv4 only, and the kernel would otherwise
// send its link-local chatter into it.
func (r *routing) noIPv6(context.Context) error {
	path := filepath.Join(r.procSys, "net/ipv6/conf", r.cfg.Interface, "disable_ipv6")
	now, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a kernel without IPv6
	}
	if err == nil && strings.TrimSpace(string(now)) == "1" {
		return nil
	}
	if err := os.WriteFile(path, []byte("1\n"), 0o644); err != nil {
		return fmt.Errorf("turning IPv6 off on %s: %w", r.cfg.Interface, err)
	}
	return nil
}

// link: MTU 1500 and up.
func (r *routing) link(ctx context.Context) error {
	out, err := r.run(ctx, "ip", "-o", "link", "show", "dev", r.cfg.Interface)
	if err != nil {
		return err
	}
	// "7: edgeplane0: <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP> mtu 1500 qdisc ..."
	fields := strings.Fields(string(out))
	up, mtu := false, ""
	for i, f := range fields {
		if strings.HasPrefix(f, "<") {
			up = strings.Contains(","+strings.Trim(f, "<>")+",", ",UP,")
		}
		if f == "mtu" && i+1 < len(fields) {
			mtu = fields[i+1]
		}
	}
	if up && mtu == fmt.Sprint(MTU) {
		return nil
	}
	r.log.Info("setting the pod network's device up", "step", "pod-network-host", "device", r.cfg.Interface, "mtu", MTU)
	_, err = r.run(ctx, "ip", "link", "set", "dev", r.cfg.Interface, "mtu", fmt.Sprint(MTU), "up")
	return err
}

// address: exactly the pod range's first host, /32. An address of an earlier pod range goes.
func (r *routing) address(ctx context.Context) error {
	want := r.cfg.TunAddress().String() + "/32"
	out, err := r.run(ctx, "ip", "-4", "-o", "addr", "show", "dev", r.cfg.Interface)
	if err != nil {
		return err
	}
	// "7: edgeplane0    inet 10.244.3.1/32 scope global edgeplane0\       valid_lft forever ..."
	found := false
	for _, line := range strings.Split(string(out), "\n") {
		addr := after(strings.Fields(line), "inet")
		switch {
		case addr == "":
		case addr == want:
			found = true
		default:
			r.log.Info("removing an address of an earlier pod range", "step", "pod-network-host", "device", r.cfg.Interface, "address", addr)
			if _, err := r.run(ctx, "ip", "addr", "del", addr, "dev", r.cfg.Interface); err != nil {
				return err
			}
		}
	}
	if found {
		return nil
	}
	r.log.Info("adding the pod network's address", "step", "pod-network-host", "device", r.cfg.Interface, "address", want)
	_, err = r.run(ctx, "ip", "addr", "add", want, "dev", r.cfg.Interface)
	return err
}

// route: the cluster's pod range through the TUN (this device's own range is on the CNI
// bridge, whose route is more specific).
func (r *routing) route(ctx context.Context) error {
	want := r.cfg.ClusterCIDR.String()
	out, err := r.run(ctx, "ip", "-4", "route", "show", want, "dev", r.cfg.Interface)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(out)) > 0 {
		return nil
	}
	r.log.Info("routing the cluster's pods through the pod network", "step", "pod-network-host", "device", r.cfg.Interface, "route", want)
	_, err = r.run(ctx, "ip", "route", "replace", want, "dev", r.cfg.Interface)
	return err
}

// noMasquerade: pod-to-pod packets into the TUN keep their pod source address. The CNI bridge
// plugin would masquerade them to the node's address, which is the same at many sites.
func (r *routing) noMasquerade(ctx context.Context) error {
	rule := []string{"POSTROUTING", "-s", r.cfg.ClusterCIDR.String(), "-o", r.cfg.Interface, "-j", "RETURN"}
	// -w: kube-proxy and the CNI plugin hold the xtables lock now and then.
	_, err := r.run(ctx, "iptables", append([]string{"-w", "5", "-t", "nat", "-C"}, rule...)...)
	var cmdErr *commandError
	if err == nil {
		return nil
	}
	if !errors.As(err, &cmdErr) || cmdErr.code != 1 { // 1: no such rule
		return err
	}
	r.log.Info("exempting pod-to-pod packets from masquerading", "step", "pod-network-host", "rule", strings.Join(rule, " "))
	_, err = r.run(ctx, "iptables", append([]string{"-w", "5", "-t", "nat", "-I", "POSTROUTING", "1"}, rule[1:]...)...)
	return err
}

// after is the field after key, or "".
func after(fields []string, key string) string {
	for i, f := range fields {
		if f == key && i+1 < len(fields) {
			return fields[i+1]
		}
	}
	return ""
}
