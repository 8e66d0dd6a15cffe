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
