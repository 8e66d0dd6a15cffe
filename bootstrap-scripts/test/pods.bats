#!/usr/bin/env bats
# lib/pods.sh: what deprovisioning finds of the node's pods.

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/pods.sh"
}

@test "mount_points_below lists the kubelet's mounts deepest first, and nothing else" {
  cat >"$BATS_TEST_TMPDIR/mountinfo" <<'EOF2'
22 1 8:1 / / rw - ext4 /dev/sda1 rw
30 22 0:40 / /var/lib/kubelet rw - tmpfs tmpfs rw
31 30 0:41 / /var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access rw - tmpfs tmpfs rw
32 22 0:42 / /var/lib/kubelet-other rw - tmpfs tmpfs rw
33 30 0:43 / /var/lib/kubelet/pods/with\040space rw - tmpfs tmpfs rw
EOF2
  run mount_points_below /var/lib/kubelet "$BATS_TEST_TMPDIR/mountinfo"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = /var/lib/kubelet/pods/abc/volumes/kubernetes.io~projected/kube-api-access ]
  [ "${lines[1]}" = "/var/lib/kubelet/pods/with space" ]
  [ "${lines[2]}" = /var/lib/kubelet ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "remove_pod_containers leaves a machine without containerd alone" {
  CONTAINERD_SOCKET="$BATS_TEST_TMPDIR/none.sock"
  run remove_pod_containers
  [ "$status" -eq 0 ]
  [[ "$output" == *"no containers to remove"* ]]
}

@test "remove_pod_network_link removes the agent's NAT rule and link, and then finds nothing to do" {
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  export STATE="$BATS_TEST_TMPDIR/state"
  mkdir -p "$STATE"
  printf '%s\n' '-P POSTROUTING ACCEPT' '-A POSTROUTING -s 10.244.0.0/16 -o edgeplane0 -j RETURN' \
    '-A POSTROUTING -s 10.244.3.5/32 -j CNI-abc' '-A POSTROUTING -o edgeplane01 -j RETURN' >"$STATE/rules"
  touch "$STATE/link"
  cat >"$STUBS/iptables" <<'EOF2'
#!/usr/bin/env bash
if [[ "$*" == "-t nat -S POSTROUTING" ]]; then cat "$STATE/rules"; exit 0; fi
if [[ "$1 $2 $3" == "-t nat -D" ]]; then
  shift 3
  rule="-A $*"
  grep -qxF -- "$rule" "$STATE/rules" || exit 1
  grep -vxF -- "$rule" "$STATE/rules" >"$STATE/rules.new"; mv "$STATE/rules.new" "$STATE/rules"
  exit 0
fi
exit 2
EOF2
  cat >"$STUBS/ip" <<'EOF2'
#!/usr/bin/env bash
case "$*" in
  "link show edgeplane0") [[ -e "$STATE/link" ]] ;;
  "link delete edgeplane0") rm "$STATE/link" ;;
  *) exit 2 ;;
esac
EOF2
  chmod +x "$STUBS/iptables" "$STUBS/ip"
  run remove_pod_network_link
  [ "$status" -eq 0 ]
  [[ "$output" == *"removed the NAT rule: -A POSTROUTING -s 10.244.0.0/16 -o edgeplane0 -j RETURN"* ]]
  [[ "$output" == *"removed the pod network link edgeplane0"* ]]
  [ "$(cat "$STATE/rules")" = $'-P POSTROUTING ACCEPT\n-A POSTROUTING -s 10.244.3.5/32 -j CNI-abc\n-A POSTROUTING -o edgeplane01 -j RETURN' ]
  run remove_pod_network_link
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}
