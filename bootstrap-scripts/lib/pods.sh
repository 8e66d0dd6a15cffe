#!/usr/bin/env bash
# Removing what a node's pods leave behind once its kubelet is stopped: their containers (which
# outlive the kubelet and, with their shims, containerd), mounts and network. Source it after
# lib.sh, files.sh, layout.sh and services.sh.

# ctr_k8s ARGS... : ctr on the kubelet's containerd namespace.
ctr_k8s() {
  ctr --address "$CONTAINERD_SOCKET" --namespace k8s.io "$@"
}

# remove_pod_containers : kills and deletes every container of the kubelet's namespace; containerd
# then restarts, so that its CRI plugin forgets the pod sandboxes too.
remove_pod_containers() {
  local id removed=0
  if ! command -v ctr >/dev/null 2>&1 || ! ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1; then
    info "containerd does not run: no containers to remove"
    return 0
  fi
  for id in $(ctr_k8s tasks list -q); do
    ctr_k8s tasks delete --force "$id" >/dev/null 2>&1 || warn "cannot delete task $id"
  done
  for id in $(ctr_k8s containers list -q); do
    ctr_k8s containers delete "$id" >/dev/null
    removed=$((removed + 1))
  done
  if ((removed > 0)); then
    note_change "removed $removed container(s) of the node's pods"
    service_restart containerd
    note_change "restarted containerd: its CRI plugin forgets the removed pods"
  fi
}

# mount_points_below DIR [MOUNTINFO] : mount points at or below DIR, deepest first.
mount_points_below() {
  local dir="${1%/}" point
  awk '{ print $5 }' "${2:-/proc/self/mountinfo}" | while read -r point; do
    point="$(printf '%b' "$point")" # mountinfo escapes spaces and the like as \040
    if [[ "$point" == "$dir" || "$point" == "$dir/"* ]]; then
      echo "$point"
    fi
  done | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2-
}

# unmount_below DIR : unmounts pods' volumes and the like so that DIR can be removed.
unmount_below() {
  local point
  while read -r point; do
    [[ -n "$point" ]] || continue
    umount --lazy "$point"
    note_change "unmounted $point"
  done < <(mount_points_below "$1")
}

# remove_pod_network : the pods' network namespaces pinned by containerd, and the bridge.
remove_pod_network() {
  local netns
  for netns in "$CNI_NETNS"/cni-*; do
    [[ -e "$netns" ]] || continue
    umount "$netns" 2>/dev/null || true
    rm -f "$netns"
    note_change "removed network namespace $netns"
  done
  if command -v ip >/dev/null 2>&1 && ip link show "$CNI_BRIDGE" >/dev/null 2>&1; then
    ip link delete "$CNI_BRIDGE"
    note_change "removed the pod bridge $CNI_BRIDGE"
  fi
}

# remove_pod_network_link : the device agent's link to other devices' pods ($POD_NETWORK_LINK, a
# TUN device the agent keeps even while it is down, so that their traffic never takes the default
# route) and the NAT rule that keeps pod addresses unmasqueraded on it. Finds nothing to do on a
# device that has neither.
remove_pod_network_link() {
  local rule spec
  if command -v iptables >/dev/null 2>&1; then
    while read -r rule; do
      [[ -n "$rule" ]] || continue
      # Listed as "-A POSTROUTING <match>"; deleted by the same match. Our rule has no quoted words.
      read -ra spec <<<"${rule#-A }"
      iptables -t nat -D "${spec[@]}"
      note_change "removed the NAT rule: $rule"
    done < <(iptables -t nat -S POSTROUTING 2>/dev/null | grep -E -- "-o $POD_NETWORK_LINK( |\$)" || true)
  fi
  if command -v ip >/dev/null 2>&1 && ip link show "$POD_NETWORK_LINK" >/dev/null 2>&1; then
    ip link delete "$POD_NETWORK_LINK"
    note_change "removed the pod network link $POD_NETWORK_LINK"
  fi
}
