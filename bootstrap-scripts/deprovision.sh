#!/usr/bin/env bash
# Edgeplane device deprovisioning: undoes provision.sh on the device. Stops and removes the device
# agent edgeplane-device (service, binary, state, socket), the tunnel agent edgeplane-tunnel
# (service, binary, its token in /var/lib/edgeplane/tunnel, and Edgeplane's /etc/hosts line for the
# node name; the operator's lines stay), then the kubelet (service, binary, configuration,
# credentials, state), the pods it ran (their containers, mounts, network and cgroups), the cluster
# services (the static pods of kube-proxy and CoreDNS, kube-proxy's iptables rules by
# `kube-proxy --cleanup`, the Corefile, the dummy interface edgeplane-dns, their images and kept
# binaries), the workloads' static pods and configuration (the agent's and those imported from offline bundles,
# and the importer) and the node-local pod network. containerd stays installed, configured and
# running: other software may use it. Run it as root on the device; Edgeplane renders it per device
# and deletes the Node itself.
#
# Refuses to run on a device provisioned as another node (/etc/edgeplane/node-name). Idempotent:
# a second run finds nothing to remove; a run killed at any point is completed by the next.
#
# Environment knobs (all optional; as given to provision.sh):
#   EDGEPLANE_SERVICE_MANAGER   auto (default), systemd or supervisor
#   EDGEPLANE_CGROUP_ROOT       the kubelet's cgroup root to remove (with whatever still runs in it)
set -euo pipefail

# >>> edgeplane:values
# Rendered by machine-provisioner: each value validated and single-quoted. Unrendered (development
# only), the values come from the file named by EDGEPLANE_VALUES_FILE.
# shellcheck source=/dev/null
source "${EDGEPLANE_VALUES_FILE:?deprovision.sh is rendered by machine-provisioner; unrendered, set EDGEPLANE_VALUES_FILE}"
# <<< edgeplane:values

# >>> edgeplane:sources
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=lib/layout.sh
source "$SCRIPT_DIR/lib/layout.sh"
# shellcheck source=lib/files.sh
source "$SCRIPT_DIR/lib/files.sh"
# shellcheck source=lib/host.sh
source "$SCRIPT_DIR/lib/host.sh"
# shellcheck source=lib/service-starter.sh
source "$SCRIPT_DIR/lib/service-starter.sh"
# shellcheck source=lib/services.sh
source "$SCRIPT_DIR/lib/services.sh"
# shellcheck source=lib/pods.sh
source "$SCRIPT_DIR/lib/pods.sh"
# shellcheck source=lib/tunnel.sh
source "$SCRIPT_DIR/lib/tunnel.sh"
# shellcheck source=lib/cluster-services.sh
source "$SCRIPT_DIR/lib/cluster-services.sh"
# <<< edgeplane:sources

load_device_knobs

CGROUP_ROOT="${EDGEPLANE_CGROUP_ROOT:-}"

step() {
  EDGEPLANE_STEP="$1"
  shift
  "$@"
}

on_exit() {
  local status=$?
  unlock_runs
  if ((status != 0)); then
    printf '%s [edgeplane] deprovisioning of node %s FAILED in step [%s] (exit %d)\n' \
      "$(date -u +%H:%M:%S)" "$EP_NODE_NAME" "${EDGEPLANE_STEP:-start}" "$status" >&2
  fi
}

preflight() {
  check_root
  lock_runs "$RUN_LOCK"
  local provisioned
  provisioned="$(cat "$NODE_NAME_FILE" 2>/dev/null || true)"
  if [[ -n "$provisioned" && "$provisioned" != "$EP_NODE_NAME" ]]; then
    fatal "this device is node $provisioned, not $EP_NODE_NAME: refusing to deprovision it"
  fi
  [[ -z "$CGROUP_ROOT" ]] || valid_cgroup_path "$CGROUP_ROOT" ||
    fatal "EDGEPLANE_CGROUP_ROOT must be an absolute cgroup path such as /edgeplane, not: $CGROUP_ROOT"
  SERVICE_MANAGER="$(service_manager /run/systemd/system)"
  info "node $EP_NODE_NAME: services by $SERVICE_MANAGER"
}

# First, so that it writes no static pod while the kubelet and the pods go.
stop_agent() {
  stop_service "$AGENT_SERVICE"
  info "the device agent is stopped"
}

# After the device agent, which would write its token again.
stop_tunnel() {
  remove_tunnel
  info "the tunnel agent is stopped and removed"
}

stop_kubelet() {
  stop_service kubelet
  info "the kubelet is stopped"
}

remove_pods() {
  remove_pod_containers
  unmount_below "$KUBELET_ROOT"
  remove_pod_network
  remove_pod_network_link
  info "the node's pods are gone"
}

# After the pods: with every container gone, kube-proxy can no longer restore the rules that
# kube-proxy --cleanup removes.
remove_services() {
  remove_cluster_services "$EP_NODE_NAME"
  info "no cluster services left"
}

remove_files() {
  remove_path "$KUBELET_BIN" "$CLUSTER_CA" "$BOOTSTRAP_KUBECONFIG" "$KUBELET_KUBECONFIG" "$KUBELET_ROOT" \
    "$CNI_CONFIG" "$CNI_STATE" "$NODE_NAME_FILE" "$IMPORT_PROGRAM" "$WORKLOAD_CONFIGS" "$STATIC_PODS/$STATIC_POD_PREFIX"*.yaml \
    "$AGENT_BIN" "$AGENT_STATE" "$AGENT_SOCKET"
  rmdir "$STATIC_PODS" 2>/dev/null || true
  info "the kubelet's and the device agent's files are gone; containerd stays"
}

remove_cgroups() {
  if [[ -n "$CGROUP_ROOT" ]]; then
    remove_cgroup_root "$CGROUP_ROOT"
  fi
  info "no cgroups of the node left"
}

main() {
  trap on_exit EXIT
  step preflight preflight
  step agent stop_agent
  step tunnel stop_tunnel
  step kubelet stop_kubelet
  step pods remove_pods
  step services remove_services
  step files remove_files
  step cgroups remove_cgroups
  EDGEPLANE_STEP=finish
  if ((EDGEPLANE_CHANGES == 0)); then
    info "node $EP_NODE_NAME was not provisioned here; nothing changed"
  else
    info "node $EP_NODE_NAME is deprovisioned; $EDGEPLANE_CHANGES change(s)"
  fi
}

main "$@"
