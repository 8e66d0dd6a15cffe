#!/usr/bin/env bats
# lib/host.sh: checks and preparation of the machine, against files laid out like /proc and /sys.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/host.sh"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  MODULES_FILE="$BATS_TEST_TMPDIR/etc/modules-load.d/edgeplane.conf"
  SYSCTL_FILE="$BATS_TEST_TMPDIR/etc/sysctl.d/99-edgeplane.conf"
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

os_release() {
  printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/os-release"
  echo "$BATS_TEST_TMPDIR/os-release"
}

@test "os_id reads Ubuntu's and Debian's os-release, quoted or not" {
  [ "$(os_id "$(os_release 'NAME="Ubuntu"' 'ID=ubuntu' 'VERSION_ID="22.04"')")" = ubuntu-22.04 ]
  [ "$(os_id "$(os_release 'ID=debian' "VERSION_ID='12'")")" = debian-12 ]
}

@test "check_os accepts the rendered OS and names both on a mismatch" {
  file="$(os_release ID=ubuntu 'VERSION_ID="24.04"')"
  check_os ubuntu-24.04 "$file"
  run check_os ubuntu-22.04 "$file"
  [ "$status" -eq 1 ]
  [[ "$output" == *"this machine runs ubuntu-24.04, but the script was rendered for ubuntu-22.04"* ]]
}

@test "check_os refuses an unsupported OS" {
  run check_os ubuntu-22.04 "$(os_release ID=centos VERSION_ID=7)"
  [ "$status" -eq 1 ]
  [[ "$output" == *"unsupported OS centos-7"* ]]
}

@test "check_os never executes os-release" {
  run check_os debian-12 "$(os_release 'ID=debian$(touch "$BATS_TEST_TMPDIR/pwned")' 'VERSION_ID=12')"
  [ "$status" -eq 1 ]
  [ ! -e "$BATS_TEST_TMPDIR/pwned" ]
}

@test "check_arch names both architectures on a mismatch" {
  stub uname 'echo aarch64'
  check_arch arm64
  run check_arch amd64
  [ "$status" -eq 1 ]
  [[ "$output" == *"this machine is arm64, but the script was rendered for amd64"* ]]
}

@test "cgroup_version tells v2, v1 (and hybrid) and none apart" {
  root="$BATS_TEST_TMPDIR/cg"
  mkdir -p "$root/v2" "$root/v1/memory" "$root/v1/cpu" "$root/v1/unified" "$root/none"
  touch "$root/v2/cgroup.controllers"
  [ "$(cgroup_version "$root/v2")" = 2 ]
  [ "$(cgroup_version "$root/v1")" = 1 ]
  run cgroup_version "$root/none"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no cgroup hierarchy"* ]]
}

@test "has_capability reads the effective set (CAP_SYS_RESOURCE is bit 24)" {
  printf 'CapEff:\t000001fffeffffff\n' >"$BATS_TEST_TMPDIR/status"
  run ! has_capability 24 "$BATS_TEST_TMPDIR/status"
  has_capability 21 "$BATS_TEST_TMPDIR/status"
  printf 'CapEff:\t000001ffffffffff\n' >"$BATS_TEST_TMPDIR/status"
  has_capability 24 "$BATS_TEST_TMPDIR/status"
}

@test "active_swap lists devices; fstab_without_swap comments out swap lines only, once" {
  printf 'Filename\tType\tSize\tUsed\tPriority\n/swap.img file 1024 0 -2\n' >"$BATS_TEST_TMPDIR/swaps"
  [ "$(active_swap "$BATS_TEST_TMPDIR/swaps")" = /swap.img ]
  printf 'Filename\tType\tSize\tUsed\tPriority\n' >"$BATS_TEST_TMPDIR/swaps"
  [ -z "$(active_swap "$BATS_TEST_TMPDIR/swaps")" ]

  fstab=$'UUID=1 / ext4 defaults 0 1\n/swap.img none swap sw 0 0\n# /old none swap sw 0 0'
  once="$(fstab_without_swap <<<"$fstab")"
  [[ "$once" == *$'UUID=1 / ext4 defaults 0 1\n# disabled by Edgeplane (kubelet): /swap.img none swap sw 0 0\n# /old none swap sw 0 0'* ]]
  [ "$(fstab_without_swap <<<"$once")" = "$once" ]
}

@test "disable_swap keep changes nothing; an unknown mode is refused" {
  stub swapoff 'echo called >"$BATS_TEST_TMPDIR/swapoff"'
  disable_swap keep
  [ ! -e "$BATS_TEST_TMPDIR/swapoff" ]
  run disable_swap maybe
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_SWAP must be off or keep"* ]]
}

@test "kernel_feature_present sees built-in features without modprobe" {
  proc="$BATS_TEST_TMPDIR/proc"
  mkdir -p "$proc/sys/net/bridge"
  printf 'nodev\tproc\nnodev\toverlay\n' >"$proc/filesystems"
  touch "$proc/sys/net/bridge/bridge-nf-call-iptables"
  kernel_feature_present overlay "$proc"
  kernel_feature_present br_netfilter "$proc"
  rm "$proc/sys/net/bridge/bridge-nf-call-iptables"
  run ! kernel_feature_present br_netfilter "$proc"
}

@test "load_kernel_modules calls modprobe only for a missing feature, and fails by name without it" {
  kernel_feature_present() { [[ "$1" == overlay ]]; }
  stub modprobe 'echo "$@" >>"$BATS_TEST_TMPDIR/modprobe"; exit 1'
  run load_kernel_modules overlay br_netfilter
  [ "$status" -eq 1 ]
  [[ "$output" == *"kernel module br_netfilter is neither loaded nor loadable"* ]]
  [ "$(cat "$BATS_TEST_TMPDIR/modprobe")" = br_netfilter ]
  grep -qx overlay "$MODULES_FILE"
}

@test "apply_sysctls writes only values that differ and persists them" {
  SYSCTL_ROOT="$BATS_TEST_TMPDIR/sys"
  mkdir -p "$SYSCTL_ROOT/net/ipv4" "$SYSCTL_ROOT/net/bridge"
  echo 0 >"$SYSCTL_ROOT/net/ipv4/ip_forward"
  echo 1 >"$SYSCTL_ROOT/net/bridge/bridge-nf-call-iptables"
  apply_sysctls net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  [ "$(cat "$SYSCTL_ROOT/net/ipv4/ip_forward")" = 1 ]
  grep -qx net.ipv4.ip_forward=1 "$SYSCTL_FILE"
  [ "$EDGEPLANE_CHANGES" -eq 2 ] # the file and ip_forward
  apply_sysctls net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  [ "$EDGEPLANE_CHANGES" -eq 2 ]
  run apply_sysctls net.no.such=1
  [ "$status" -eq 1 ]
  [[ "$output" == *"sysctl net.no.such does not exist"* ]]
}

@test "ensure_cgroup_root creates the root in every v1 hierarchy, with the parent's cpuset" {
  root="$BATS_TEST_TMPDIR/cgroup"
  for h in cpuset memory pids unified systemd; do
    mkdir -p "$root/$h"
    touch "$root/$h/cgroup.procs"
  done
  ln -s memory "$root/memory-link"
  echo 0-3 >"$root/cpuset/cpuset.cpus"
  echo 0 >"$root/cpuset/cpuset.mems"
  # A real cpuset hierarchy gives every new cgroup empty cpuset files.
  mkdir() { command mkdir "$@"; local d="${*: -1}"; [[ "$d" != */cpuset/* ]] || { : >"$d/cpuset.cpus"; : >"$d/cpuset.mems"; }; }
  ensure_cgroup_root /edgeplane/edge-1 "$root"
  for h in cpuset memory pids unified systemd; do
    [ -d "$root/$h/edgeplane/edge-1" ]
  done
  [ "$(cat "$root/cpuset/edgeplane/cpuset.cpus")" = 0-3 ]
  [ "$(cat "$root/cpuset/edgeplane/edge-1/cpuset.mems")" = 0 ]
  [ "$EDGEPLANE_CHANGES" -eq 5 ]
  ensure_cgroup_root /edgeplane/edge-1 "$root"
  [ "$EDGEPLANE_CHANGES" -eq 5 ]
}

@test "remove_cgroup_root removes the trees; a bad path is refused" {
  root="$BATS_TEST_TMPDIR/cgroup"
  mkdir -p "$root/memory/edgeplane/edge-1/kubepods" "$root/pids/edgeplane/edge-1"
  touch "$root/memory/cgroup.procs" "$root/pids/cgroup.procs"
  remove_cgroup_root /edgeplane/edge-1 "$root"
  [ ! -e "$root/memory/edgeplane/edge-1" ]
  [ ! -e "$root/pids/edgeplane/edge-1" ]
  [ -d "$root/memory/edgeplane" ]
  run remove_cgroup_root ../etc "$root"
  [ "$status" -eq 1 ]
  run ensure_cgroup_root /a/../b "$root"
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_CGROUP_ROOT must be an absolute cgroup path"* ]]
}

@test "lock_runs lets one run in at a time and takes over the lock of a killed one" {
  lock="$BATS_TEST_TMPDIR/run/lock/edgeplane-provision"
  other="source '$BATS_TEST_DIRNAME/../lib/lib.sh'; source '$BATS_TEST_DIRNAME/../lib/host.sh'; lock_runs '$lock'"
  lock_runs "$lock"
  run bash -c "$other"
  [ "$status" -eq 1 ]
  [[ "$output" == *"another Edgeplane provisioning run is in progress (pid $$ holds $lock)"* ]]
  unlock_runs
  [ ! -e "$lock" ]
  bash -c "$other" # exits without unlocking, like a killed run
  [ -d "$lock" ]
  bash -c "$other; unlock_runs"
  [ ! -e "$lock" ]
}

@test "load_device_knobs exports the device's EDGEPLANE_ knobs literally; the environment wins" {
  knobs="$BATS_TEST_TMPDIR/device.env"
  printf '%s\n' '# this device shares its kernel' '' 'EDGEPLANE_CGROUP_ROOT=/edgeplane/edge-1' \
    'EDGEPLANE_SWAP=keep' 'EDGEPLANE_NODE_IP=$(touch /tmp/pwned) 10.0.0.1' >"$knobs"
  unset EDGEPLANE_CGROUP_ROOT EDGEPLANE_NODE_IP
  EDGEPLANE_SWAP=off
  DEVICE_KNOBS_FILE="$knobs" load_device_knobs
  [ "$EDGEPLANE_CGROUP_ROOT" = /edgeplane/edge-1 ]
  [ "$EDGEPLANE_SWAP" = off ]
  [ "$EDGEPLANE_NODE_IP" = '$(touch /tmp/pwned) 10.0.0.1' ]
}

@test "load_device_knobs refuses a line that is not an EDGEPLANE_ knob, naming the line" {
  knobs="$BATS_TEST_TMPDIR/device.env"
  printf '%s\n' 'EDGEPLANE_SWAP=keep' 'PATH=/evil' >"$knobs"
  DEVICE_KNOBS_FILE="$knobs" run load_device_knobs
  [ "$status" -ne 0 ]
  [[ "$output" == *"device.env:2: expected EDGEPLANE_NAME=value"* ]]
}

@test "load_device_knobs does nothing without the file" {
  DEVICE_KNOBS_FILE="$BATS_TEST_TMPDIR/missing.env" run load_device_knobs
  [ "$status" -eq 0 ]
}

# A device with lo, eth0 (192.0.2.7 and 2001:db8::7) and a link-local IPv6 address, as ip -o addr prints them.
device_addresses() {
  stub ip '[ "$*" = "-o addr show" ] || exit 1
cat <<ADDRS
1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
2: eth0    inet 192.0.2.7/24 brd 192.0.2.255 scope global eth0\       valid_lft forever preferred_lft forever
2: eth0    inet6 2001:db8::7/64 scope global \       valid_lft forever preferred_lft forever
2: eth0    inet6 fe80::1/64 scope link \       valid_lft forever preferred_lft forever
ADDRS'
}

@test "valid_ipv4 takes dotted quads the kubelet parses, nothing else" {
  valid_ipv4 192.0.2.7
  valid_ipv4 0.0.0.0
  run ! valid_ipv4 192.0.2.256
  run ! valid_ipv4 192.0.2.07
  run ! valid_ipv4 192.0.2
  run ! valid_ipv4 'edge-1'
  run ! valid_ipv4 '192.0.2.7 '
}

@test "check_node_ip accepts an address of one of the device's interfaces, or none" {
  device_addresses
  check_node_ip 192.0.2.7 edge-1
  check_node_ip 2001:db8::7 edge-1
  check_node_ip 2001:DB8::7 edge-1
  check_node_ip "" edge-1
}

@test "check_node_ip refuses what is not an IP address, naming EDGEPLANE_NODE_IP" {
  device_addresses
  for address in edge-1.local 192.0.2.300 '$(reboot)' 192.0.2.7/24; do
    run check_node_ip "$address" edge-1
    [ "$status" -eq 1 ]
    [[ "$output" == *"EDGEPLANE_NODE_IP must be an IP address of one of this device's interfaces, not: $address"* ]]
  done
}

@test "check_node_ip refuses a loopback address: the node would register without any address" {
  device_addresses
  for address in 127.0.0.1 127.0.1.1 ::1 0:0:0:0:0:0:0:1; do
    run check_node_ip "$address" edge-1
    [ "$status" -eq 1 ]
    [[ "$output" == *"ERROR: EDGEPLANE_NODE_IP=$address is a loopback address, which the kubelet does not report: the kubelet would register node edge-1 without any address, and kubectl logs, exec and port-forward would fail"* ]]
  done
}

@test "check_node_ip refuses an address no interface of the device has, listing those it has" {
  device_addresses
  run check_node_ip 192.0.2.8 edge-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_NODE_IP=192.0.2.8 is not assigned to any interface of this device (it has 127.0.0.1, ::1, 192.0.2.7, 2001:db8::7, fe80::1): the kubelet would register node edge-1 without any address"* ]]
  [[ "$output" == *"(ip -o addr), or leave it unset for the kubelet's choice"* ]]
  run check_node_ip 2001:db8::8 edge-1
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_NODE_IP=2001:db8::8 is not assigned to any interface"* ]]
}
