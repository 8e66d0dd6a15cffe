#!/usr/bin/env bash
# Edgeplane device provisioning: turns a machine into a Kubernetes node of a hosted control plane.
# Installs containerd (from the distribution, if missing), the kubelet, the device agent
# edgeplane-device, for a cluster with a tunnel the tunnel agent konnectivity-agent, and for a
# cluster with cluster services kube-proxy and a node-local CoreDNS (static pods of the kubelet), and
# lets the kubelet join the cluster with a bootstrap token over TLS verified against the embedded
# cluster CA. The agent then runs the device's Edgeplane workloads as static pods, online or not,
# authenticated as the node by the kubelet's client certificate. The tunnel agent dials out to the
# cluster's tunnel server, so that the apiserver reaches the kubelet (logs, exec, port-forward) on
# a device behind NAT; for a cluster with a pod network the device agent links the device's pods to
# the other devices' pods through the seed's relay. Run it as root on the device; Edgeplane renders it per device
# (machine-provisioner) with the values below.
#
# Steps, each printed as "[step] ...": preflight (root, OS, architecture, cgroups, the node address;
# changes nothing), download (the kubelet, the device agent, the tunnel agent, kube-proxy and
# CoreDNS from the seed's artifact mirror over https verified against the embedded mirror CA, each
# refused unless its SHA-256 matches and skipped when the installed or kept binary has it; changes
# nothing), swap,
# kernel (modules and sysctls), cgroups, containerd (and the pod network; a pod range that changed
# restarts the node's pods in the new one), import (the offline bundle importer
# /usr/local/bin/edgeplane-import-bundle, and openssl, which it needs, if missing), kubelet
# (files), start, register (waits until the node exists), agent (/usr/local/bin/edgeplane-device
# and its service edgeplane-device, running `edgeplane-device agent --apiserver <apiserver>`),
# tunnel (/usr/local/bin/konnectivity-agent and its service edgeplane-tunnel, dialling the
# cluster's tunnel server with the token the device agent keeps in /var/lib/edgeplane/tunnel; the
# node name made to resolve to this device; for a cluster without a tunnel, removes what an earlier
# run installed), pod-network (the device agent keeps the TUN interface edgeplane0, its route for the
# cluster's pod range and the NAT rule that keeps pod addresses on it; without a pod network, removes
# them), services (the dummy interface edgeplane-dns with the cluster DNS address
# 169.254.20.10; the images edgeplane.local/kube-proxy:<Kubernetes version> and
# edgeplane.local/coredns:<CoreDNS version>, built here from the binaries kept in
# /var/lib/edgeplane/cluster-services and imported into containerd; the Corefile in
# /etc/edgeplane/coredns; the static pods /etc/kubernetes/manifests/edgeplane-kube-proxy.yaml and
# edgeplane-coredns.yaml, which run as the node with the kubelet's kubeconfig; for a cluster without
# cluster services, removes what an earlier run installed). With cluster services, the kubelet gives
# pods the nameserver 169.254.20.10 and the domain cluster.local, and its service creates the dummy
# interface before it starts.
# Any failure exits non-zero naming its step. Idempotent: every file is rewritten only if its
# content differs, and a service restarts only if its inputs changed, so a second run changes and
# restarts nothing; a run killed at any point is completed by the next.
#
# The only credential inside is the bootstrap token: short-lived, bound to this device, never
# printed, stored only in /etc/kubernetes/bootstrap-kubelet.conf (0600).
#
# Services (containerd, kubelet, edgeplane-device, edgeplane-tunnel): systemd units where systemd is init. Elsewhere
# (containers, sandboxes, minimal inits) Edgeplane's service starter runs them:
# /usr/local/sbin/edgeplane-service, a small supervisor per service that restarts its daemon when it
# exits, with pid files in /run/edgeplane and logs in /var/log/edgeplane/<service>.log. Nothing
# starts it at boot on such a host: have the host's init run `edgeplane-service start-all` (or run
# this script again; it starts what does not run).
#
# Environment knobs (all optional; also read from /etc/edgeplane/device.env on the device, lines
# of EDGEPLANE_NAME=value, for knobs that belong to the device; the environment wins):
#   EDGEPLANE_SERVICE_MANAGER   auto (default): systemd if it is init, else the service starter;
#                               systemd; supervisor (the service starter)
#   EDGEPLANE_CGROUP_DRIVER     auto (default): systemd under systemd, else cgroupfs; systemd; cgroupfs.
#                               containerd's SystemdCgroup always matches the kubelet's driver.
#   EDGEPLANE_CGROUP_ROOT       the kubelet's cgroupRoot, e.g. /edgeplane/edge-1 (cgroupfs only):
#                               pods' cgroups go below it, and it is created in every hierarchy.
#                               For devices that share one kernel and cgroup tree (several
#                               nodes per machine, sandboxes): give each its own. Default: the
#                               kubelet's default (/).
#   EDGEPLANE_RESTRICT_OOM_SCORE_ADJ  auto (default): true when root lacks CAP_SYS_RESOURCE (as in
#                               many containers and sandboxes), where lowering a container's
#                               oom_score_adj would kill it; true; false
#   EDGEPLANE_SWAP              off (default): swap off now and in /etc/fstab; keep: leave swap to
#                               the operator (swap is machine-wide, so keep it on devices sharing a
#                               kernel) and run the kubelet with failSwapOn: false
#   EDGEPLANE_NODE_IP           the node's address (kubelet --node-ip): an address of one of the
#                               device's interfaces, not loopback; default: the kubelet's choice
#   EDGEPLANE_CNI               bridge (default): a node-local bridge network for pods, with
#                               masquerading; none: a CNI plugin deployed to the cluster provides it
#   EDGEPLANE_POD_CIDR          pod addresses of the bridge network when the seed allocated none
#                               (EP_POD_CIDR, rendered, wins); default 10.88.0.0/16
#   EDGEPLANE_REGISTER_TIMEOUT  seconds to wait for the node to register (default 180)
#   EDGEPLANE_DOWNLOAD_TIMEOUT  seconds a download may take (default 900)
set -euo pipefail

# >>> edgeplane:values
# Rendered by machine-provisioner: each value validated and single-quoted. Unrendered (development
# only), the values come from the file named by EDGEPLANE_VALUES_FILE.
# shellcheck source=/dev/null
source "${EDGEPLANE_VALUES_FILE:?provision.sh is rendered by machine-provisioner; unrendered, set EDGEPLANE_VALUES_FILE}"
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
# shellcheck source=lib/containerd.sh
source "$SCRIPT_DIR/lib/containerd.sh"
# shellcheck source=lib/kubelet.sh
source "$SCRIPT_DIR/lib/kubelet.sh"
# shellcheck source=lib/bundle.sh
source "$SCRIPT_DIR/lib/bundle.sh"
# shellcheck source=lib/pods.sh
source "$SCRIPT_DIR/lib/pods.sh"
# shellcheck source=lib/agent.sh
source "$SCRIPT_DIR/lib/agent.sh"
# shellcheck source=lib/tunnel.sh
source "$SCRIPT_DIR/lib/tunnel.sh"
# shellcheck source=lib/cluster-services.sh
source "$SCRIPT_DIR/lib/cluster-services.sh"
# <<< edgeplane:sources

load_device_knobs

CGROUP_DRIVER=""
RESTRICT_OOM=""
CGROUP_ROOT="${EDGEPLANE_CGROUP_ROOT:-}"
SWAP_MODE="${EDGEPLANE_SWAP:-off}"
CNI_MODE="${EDGEPLANE_CNI:-bridge}"
POD_CIDR=""
POD_CIDR_SOURCE=""
NODE_IP="${EDGEPLANE_NODE_IP:-}"
# The cluster's tunnel (empty: a cluster without one).
TUNNEL_AGENT_URL="${EP_TUNNEL_AGENT_URL:-}"
TUNNEL_AGENT_SHA256="${EP_TUNNEL_AGENT_SHA256:-}"
TUNNEL_SERVER_HOST="${EP_TUNNEL_SERVER_HOST:-}"
TUNNEL_SERVER_PORT="${EP_TUNNEL_SERVER_PORT:-}"
# The cluster's services on this device (empty: a cluster without them).
KUBE_PROXY_URL="${EP_KUBE_PROXY_URL:-}"
KUBE_PROXY_SHA256="${EP_KUBE_PROXY_SHA256:-}"
COREDNS_URL="${EP_COREDNS_URL:-}"
COREDNS_SHA256="${EP_COREDNS_SHA256:-}"
COREDNS_VERSION="${EP_COREDNS_VERSION:-}"
CLUSTER_CIDR="${EP_CLUSTER_CIDR:-}"
CLUSTER_DNS=""
# The cluster's pod network relay, through which this device's pods reach other devices' pods
# (empty: a cluster without one; pods then reach the pods of this device only).
POD_NETWORK_HOST="${EP_POD_NETWORK_HOST:-}"
POD_NETWORK_PORT="${EP_POD_NETWORK_PORT:-}"
POD_NETWORK_NAME="${EP_POD_NETWORK_NAME:-}"
REGISTER_TIMEOUT="${EDGEPLANE_REGISTER_TIMEOUT:-180}"
TMP_DIR=""
# The seed's artifact mirror CA (EP_MIRROR_CA_CERT), written at the download step; download_pinned verifies with it.
MIRROR_CA_FILE=""
KUBELET_DOWNLOAD=""
FORCE_KUBELET_RESTART=false

step() {
  EDGEPLANE_STEP="$1"
  shift
  "$@"
}

on_exit() {
  local status=$?
  [[ -z "$TMP_DIR" ]] || rm -rf "$TMP_DIR"
  unlock_runs
  if ((status != 0)); then
    printf '%s [edgeplane] provisioning of node %s FAILED in step [%s] (exit %d)\n' \
      "$(date -u +%H:%M:%S)" "$EP_NODE_NAME" "${EDGEPLANE_STEP:-start}" "$status" >&2
  fi
}

# --- preflight: nothing is changed before every check passed --------------------------------------

preflight() {
  check_root
  lock_runs "$RUN_LOCK"
  # Scratch space of runs that were killed (no trap ran); none runs now, we hold the lock.
  rm -rf "${TMPDIR:-/tmp}"/edgeplane-provision.*
  TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/edgeplane-provision.XXXXXX")"
  check_os "$EP_OS"
  check_arch "$EP_ARCH"
  local version
  version="$(cgroup_version /sys/fs/cgroup)"
  require_cmd curl sha256sum flock setsid awk tar
  check_node_ip "$NODE_IP" "$EP_NODE_NAME"
  check_tunnel_input
  check_services_input
  SERVICE_MANAGER="$(service_manager /run/systemd/system)"
  case "${EDGEPLANE_CGROUP_DRIVER:-auto}" in
    auto) if [[ "$SERVICE_MANAGER" == systemd ]]; then CGROUP_DRIVER=systemd; else CGROUP_DRIVER=cgroupfs; fi ;;
    systemd | cgroupfs) CGROUP_DRIVER="$EDGEPLANE_CGROUP_DRIVER" ;;
    *) fatal "EDGEPLANE_CGROUP_DRIVER must be auto, systemd or cgroupfs, not: $EDGEPLANE_CGROUP_DRIVER" ;;
  esac
  if [[ -n "$CGROUP_ROOT" ]]; then
    valid_cgroup_path "$CGROUP_ROOT" || fatal "EDGEPLANE_CGROUP_ROOT must be an absolute cgroup path such as /edgeplane, not: $CGROUP_ROOT"
    [[ "$CGROUP_DRIVER" == cgroupfs ]] || fatal "EDGEPLANE_CGROUP_ROOT needs the cgroupfs driver (EDGEPLANE_CGROUP_DRIVER=cgroupfs)"
  fi
  case "${EDGEPLANE_RESTRICT_OOM_SCORE_ADJ:-auto}" in
    auto) if has_capability 24; then RESTRICT_OOM=false; else RESTRICT_OOM=true; fi ;; # 24: CAP_SYS_RESOURCE
    true | false) RESTRICT_OOM="$EDGEPLANE_RESTRICT_OOM_SCORE_ADJ" ;;
    *) fatal "EDGEPLANE_RESTRICT_OOM_SCORE_ADJ must be auto, true or false, not: $EDGEPLANE_RESTRICT_OOM_SCORE_ADJ" ;;
  esac
  [[ "$SWAP_MODE" == off || "$SWAP_MODE" == keep ]] || fatal "EDGEPLANE_SWAP must be off or keep, not: $SWAP_MODE"
  [[ "$CNI_MODE" == bridge || "$CNI_MODE" == none ]] || fatal "EDGEPLANE_CNI must be bridge or none, not: $CNI_MODE"
  if [[ "$CNI_MODE" == bridge ]]; then
    select_pod_cidr "${EP_POD_CIDR:-}" "${EDGEPLANE_POD_CIDR:-}"
    valid_ipv4_cidr "$POD_CIDR" || fatal "$POD_CIDR_SOURCE must be an IPv4 network such as 10.88.0.0/16, not: $POD_CIDR"
  fi
  check_pod_network_input
  [[ "$REGISTER_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || fatal "EDGEPLANE_REGISTER_TIMEOUT must be a number of seconds, not: $REGISTER_TIMEOUT"
  info "node $EP_NODE_NAME: $EP_OS $EP_ARCH, cgroup v$version, services by $SERVICE_MANAGER, cgroup driver $CGROUP_DRIVER"
}

# The rendered tunnel input: all of it, or none (a cluster without a tunnel).
check_tunnel_input() {
  if [[ -z "$TUNNEL_AGENT_URL$TUNNEL_AGENT_SHA256$TUNNEL_SERVER_HOST$TUNNEL_SERVER_PORT" ]]; then
    return 0
  fi
  [[ -n "$TUNNEL_AGENT_URL" && -n "$TUNNEL_AGENT_SHA256" && -n "$TUNNEL_SERVER_HOST" ]] ||
    fatal "EP_TUNNEL_AGENT_URL, EP_TUNNEL_AGENT_SHA256 and EP_TUNNEL_SERVER_HOST must all be set, or none"
  if [[ ! "$TUNNEL_SERVER_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || ((TUNNEL_SERVER_PORT > 65535)); then
    fatal "EP_TUNNEL_SERVER_PORT must be a port from 1 to 65535, not: $TUNNEL_SERVER_PORT"
  fi
  require_cmd ip getent timeout setpriv
}

# The rendered cluster services input: all of it, or none (a cluster without cluster services).
check_services_input() {
  local sha_re='^[0-9a-f]{64}$'
  if [[ -z "$KUBE_PROXY_URL$KUBE_PROXY_SHA256$COREDNS_URL$COREDNS_SHA256$COREDNS_VERSION$CLUSTER_CIDR" ]]; then
    return 0
  fi
  [[ -n "$KUBE_PROXY_URL" && -n "$KUBE_PROXY_SHA256" && -n "$COREDNS_URL" && -n "$COREDNS_SHA256" && -n "$COREDNS_VERSION" && -n "$CLUSTER_CIDR" ]] ||
    fatal "EP_KUBE_PROXY_URL, EP_KUBE_PROXY_SHA256, EP_COREDNS_URL, EP_COREDNS_SHA256, EP_COREDNS_VERSION and EP_CLUSTER_CIDR must all be set, or none"
  [[ "$KUBE_PROXY_URL" =~ ^https?:// ]] || fatal "EP_KUBE_PROXY_URL must be an http(s) URL"
  [[ "$COREDNS_URL" =~ ^https?:// ]] || fatal "EP_COREDNS_URL must be an http(s) URL"
  [[ "$KUBE_PROXY_SHA256" =~ $sha_re ]] || fatal "EP_KUBE_PROXY_SHA256 must be 64 lowercase hexadecimal digits, not: $KUBE_PROXY_SHA256"
  [[ "$COREDNS_SHA256" =~ $sha_re ]] || fatal "EP_COREDNS_SHA256 must be 64 lowercase hexadecimal digits, not: $COREDNS_SHA256"
  [[ "$COREDNS_VERSION" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]] || fatal "EP_COREDNS_VERSION must be a version such as v1.14.7, not: $COREDNS_VERSION"
  valid_ipv4_cidr "$CLUSTER_CIDR" || fatal "EP_CLUSTER_CIDR must be an IPv4 network such as 10.244.0.0/16, not: $CLUSTER_CIDR"
  require_cmd ip
  CLUSTER_DNS="$CLUSTER_DNS_ADDRESS"
}

# The rendered pod network input: all of it, or none. It needs the bridge network (the device's own
# pod range inside the cluster's) and the cluster services' cluster range; with EDGEPLANE_CNI=none
# the operator's network decides, so it is left off.
check_pod_network_input() {
  if [[ -z "$POD_NETWORK_HOST$POD_NETWORK_PORT$POD_NETWORK_NAME" ]]; then
    return 0
  fi
  [[ -n "$POD_NETWORK_HOST" && -n "$POD_NETWORK_NAME" ]] ||
    fatal "EP_POD_NETWORK_HOST, EP_POD_NETWORK_PORT and EP_POD_NETWORK_NAME must all be set, or none"
  if [[ ! "$POD_NETWORK_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || ((POD_NETWORK_PORT > 65535)); then
    fatal "EP_POD_NETWORK_PORT must be a port from 1 to 65535, not: $POD_NETWORK_PORT"
  fi
  [[ "$POD_NETWORK_NAME" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$ ]] ||
    fatal "EP_POD_NETWORK_NAME must be a DNS name, not: $POD_NETWORK_NAME"
  [[ -n "$CLUSTER_CIDR" ]] || fatal "EP_POD_NETWORK_HOST needs the cluster services' EP_CLUSTER_CIDR"
  if [[ "$CNI_MODE" != bridge ]]; then
    warn "EDGEPLANE_CNI=$CNI_MODE: this device's pods are not linked to other devices' pods (the cluster's pod network is off here)"
    POD_NETWORK_HOST="" POD_NETWORK_PORT="" POD_NETWORK_NAME=""
    return 0
  fi
  cidr_within "$POD_CIDR" "$CLUSTER_CIDR" ||
    fatal "$POD_CIDR_SOURCE=$POD_CIDR must lie inside the cluster's pod range $CLUSTER_CIDR for the cluster's pod network"
  require_cmd ip iptables
}

# pod_network_flags : the device agent's flags for the cluster's pod network (none without one).
pod_network_flags() {
  [[ -n "$POD_NETWORK_HOST" ]] || return 0
  local host="$POD_NETWORK_HOST"
  [[ "$host" != *:* ]] || host="[$host]"
  printf '%s\n' "--pod-network=$host:$POD_NETWORK_PORT" "--pod-network-name=$POD_NETWORK_NAME" \
    "--cluster-pod-cidr=$CLUSTER_CIDR" "--pod-range=$POD_CIDR"
  [[ -n "$EP_HTTP_PROXY" ]] && proxy_applies "$POD_NETWORK_HOST" "${EP_NO_PROXY[@]}" || return 0
  if [[ "$EP_HTTP_PROXY" != http://* ]]; then
    # The agent speaks CONNECT in clear text to the proxy only; its TLS is with the relay itself.
    warn "the device agent dials the pod network relay directly: it goes through http:// proxies only, not $EP_HTTP_PROXY"
    return 0
  fi
  printf '%s\n' "--pod-network-proxy=$EP_HTTP_PROXY"
}

# --- download: before any change, so that a bad download leaves the machine untouched -------------

download_kubelet() {
  if kubelet_installed "$EP_KUBELET_SHA256"; then
    info "kubelet $EP_KUBERNETES_VERSION is installed (SHA-256 matches)"
    return 0
  fi
  KUBELET_DOWNLOAD="$TMP_DIR/kubelet"
  info "downloading kubelet $EP_KUBERNETES_VERSION from $EP_KUBELET_URL"
  with_proxy download_pinned "$EP_KUBELET_URL" "$KUBELET_DOWNLOAD" "$EP_KUBELET_SHA256"
  info "kubelet downloaded, SHA-256 verified"
}

download_binaries() {
  # Scratch space, not /etc: the download step changes nothing on the machine.
  MIRROR_CA_FILE="$TMP_DIR/mirror-ca.crt"
  printf '%s\n' "$EP_MIRROR_CA_CERT" >"$MIRROR_CA_FILE"
  download_kubelet
  download_agent "$EP_AGENT_URL" "$EP_AGENT_SHA256" "$TMP_DIR"
  [[ -z "$TUNNEL_AGENT_URL" ]] || download_tunnel_agent "$TUNNEL_AGENT_URL" "$TUNNEL_AGENT_SHA256" "$TMP_DIR"
  [[ -z "$KUBE_PROXY_URL" ]] ||
    download_cluster_services "$KUBE_PROXY_URL" "$KUBE_PROXY_SHA256" "$COREDNS_URL" "$COREDNS_SHA256" "$TMP_DIR"
}

# --- the machine ---------------------------------------------------------------------------------

prepare_kernel() {
  load_kernel_modules overlay br_netfilter
  apply_sysctls net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
}

prepare_cgroups() {
  if [[ -z "$CGROUP_ROOT" ]]; then
    info "pods' cgroups go below the kubelet's default root"
    return 0
  fi
  ensure_cgroup_root "$CGROUP_ROOT"
  info "pods' cgroups go below $CGROUP_ROOT"
}

# --- containerd ----------------------------------------------------------------------------------

setup_containerd() {
  ensure_containerd_installed "$CNI_MODE"
  local systemd_cgroup=false cni_bin=/opt/cni/bin containerd_bin inputs
  [[ "$CGROUP_DRIVER" == cgroupfs ]] || systemd_cgroup=true
  cni_bin="$(cni_bin_dir || echo /opt/cni/bin)"
  containerd_bin="$(command -v containerd)"
  render_containerd_config "$EP_PAUSE_IMAGE" "$systemd_cgroup" "$RESTRICT_OOM" "$cni_bin" |
    put_file "$CONTAINERD_CONFIG" 0644
  render_containerd_env "$EP_HTTP_PROXY" "${EP_NO_PROXY[@]}" | put_file "$CONTAINERD_ENV" 0644
  write_registry_hosts "${#EP_REGISTRY_MIRRORS[@]}" "${EP_REGISTRY_MIRRORS[@]}" "${EP_INSECURE_REGISTRIES[@]}"
  if [[ "$CNI_MODE" == bridge ]]; then
    # containerd rereads it by itself; pods already running keep their addresses (move_pod_network).
    render_cni_config "$POD_CIDR" | put_file "$CNI_CONFIG" 0644
  fi
  inputs=("$containerd_bin" "$CONTAINERD_CONFIG" "$CONTAINERD_ENV")
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    printf '%s\n' "$MANAGED_MARKER: containerd's environment (proxy)." "[Service]" "EnvironmentFile=-$CONTAINERD_ENV" |
      put_file "$SYSTEMD_UNITS/containerd.service.d/10-edgeplane.conf" 0644
    inputs+=("$SYSTEMD_UNITS/containerd.service.d/10-edgeplane.conf")
  else
    if ! service_running containerd && command -v pgrep >/dev/null 2>&1 && pgrep -x containerd >/dev/null; then
      fatal "containerd already runs (pid $(pgrep -x containerd | head -n1)) outside Edgeplane's service starter; stop it first"
    fi
    install_service_starter
    printf '%s\n' "#!/usr/bin/env bash" "$MANAGED_MARKER: containerd under the service starter." \
      "set -a" "source $CONTAINERD_ENV" "set +a" "exec $containerd_bin --config $CONTAINERD_CONFIG" |
      write_service_spec containerd
    inputs+=("$SVC_SPECS/containerd")
  fi
  ensure_service containerd false "${inputs[@]}"
  wait_for_containerd 30
  info "containerd answers on $CONTAINERD_SOCKET"
  if [[ "$CNI_MODE" == bridge ]]; then
    move_pod_network "$POD_CIDR"
    info "pods get addresses from $POD_CIDR ($POD_CIDR_SOURCE)"
  fi
}

# --- offline bundles -----------------------------------------------------------------------------

# The importer every device has, so that an operator can run a workload's offline bundle on it
# while it has no network: edgeplane-import-bundle (lib/bundle.sh). It verifies bundles with openssl.
install_import_program() {
  command -v openssl >/dev/null 2>&1 || with_proxy apt_install openssl
  bundle_program | put_file "$IMPORT_PROGRAM" 0755
  info "offline bundles are imported with $IMPORT_PROGRAM BUNDLE.tar"
}

# --- kubelet -------------------------------------------------------------------------------------

setup_kubelet() {
  local why swap_fail=true
  if why="$(kubelet_credentials_stale "$EP_NODE_NAME" "$EP_APISERVER_URL")"; then
    warn "discarding the kubelet's credentials: $why; it bootstraps again"
    remove_path "$KUBELET_KUBECONFIG" "$KUBELET_PKI"
    FORCE_KUBELET_RESTART=true
  fi
  echo "$EP_NODE_NAME" | put_file "$NODE_NAME_FILE" 0644
  if [[ -n "$KUBELET_DOWNLOAD" ]]; then
    put_binary "$KUBELET_DOWNLOAD" "$KUBELET_BIN"
  fi
  printf '%s\n' "$EP_CA_CERT" | put_file "$CLUSTER_CA" 0644
  render_bootstrap_kubeconfig "$EP_APISERVER_URL" "$EP_BOOTSTRAP_TOKEN" | put_file "$BOOTSTRAP_KUBECONFIG" 0600
  # A new token matters only to a kubelet that has not joined yet (one that has uses its own certificate).
  if $LAST_CHANGED && [[ ! -f "$KUBELET_KUBECONFIG" ]]; then
    FORCE_KUBELET_RESTART=true
  fi
  mkdir -p "$STATIC_PODS"
  [[ "$SWAP_MODE" == off ]] || swap_fail=false
  render_kubelet_config "$CGROUP_DRIVER" "$CGROUP_ROOT" "$swap_fail" "$(kubelet_resolv_conf)" "$CLUSTER_DNS" "${EP_TAINTS[@]}" |
    put_file "$KUBELET_CONFIG" 0644
  render_kubelet_spec "$EP_NODE_NAME" "$NODE_IP" "$CLUSTER_DNS" "${EP_NODE_LABELS[@]}" | write_service_spec kubelet
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    render_kubelet_unit | put_file "$SYSTEMD_UNITS/kubelet.service" 0644
  fi
  # The kubelet looks its own name up as it starts: a name that resolves at once (as the tunnel needs
  # it to anyway) spares it a DNS timeout where the site's resolver is out of reach.
  [[ -z "$TUNNEL_AGENT_URL" ]] || ensure_node_name_resolves "$EP_NODE_NAME"
  info "kubelet $EP_KUBERNETES_VERSION configured for node $EP_NODE_NAME"
}

start_kubelet() {
  local inputs=("$KUBELET_BIN" "$KUBELET_CONFIG" "$SVC_SPECS/kubelet" "$CLUSTER_CA")
  [[ "$SERVICE_MANAGER" != systemd ]] || inputs+=("$SYSTEMD_UNITS/kubelet.service")
  ensure_service kubelet "$FORCE_KUBELET_RESTART" "${inputs[@]}"
}

register() {
  wait_for_registration "$EP_NODE_NAME" "$EP_APISERVER_URL" "$REGISTER_TIMEOUT"
}

setup_tunnel() {
  if [[ -z "$TUNNEL_AGENT_URL" ]]; then
    info "this cluster has no tunnel"
    remove_tunnel
    return 0
  fi
  install_tunnel "$EP_NODE_NAME" "$POD_CIDR" "$TUNNEL_SERVER_HOST" "$TUNNEL_SERVER_PORT" "$EP_HTTP_PROXY" "${EP_NO_PROXY[@]}"
}

install_device_agent() {
  local flags
  mapfile -t flags < <(pod_network_flags)
  install_agent "$EP_APISERVER_URL" "$FORCE_KUBELET_RESTART" "$([[ -n "$TUNNEL_AGENT_URL" ]] && echo true || echo false)" "${flags[@]}"
}

setup_pod_network() {
  if [[ -z "$POD_NETWORK_HOST" ]]; then
    info "this device's pods reach the pods of this device only (no pod network)"
    remove_pod_network_link
    return 0
  fi
  info "the device agent links this device's pods ($POD_CIDR) to the other devices' pods ($CLUSTER_CIDR)" \
    "through the relay at $POD_NETWORK_HOST:$POD_NETWORK_PORT; its state: edgeplane-device status"
}

setup_services() {
  if [[ -z "$KUBE_PROXY_URL" ]]; then
    info "this cluster has no cluster services on its devices"
    remove_cluster_services "$EP_NODE_NAME"
    return 0
  fi
  install_cluster_services "$EP_NODE_NAME" "$EP_KUBERNETES_VERSION" "$COREDNS_VERSION" "$CLUSTER_CIDR" "$EP_ARCH" "$TMP_DIR"
}

main() {
  local started=$SECONDS
  trap on_exit EXIT
  step preflight preflight
  step download download_binaries
  step swap disable_swap "$SWAP_MODE"
  step kernel prepare_kernel
  step cgroups prepare_cgroups
  step containerd setup_containerd
  step import install_import_program
  step kubelet setup_kubelet
  step start start_kubelet
  step register register
  step agent install_device_agent
  step tunnel setup_tunnel
  step pod-network setup_pod_network
  step services setup_services
  EDGEPLANE_STEP=finish
  if ((EDGEPLANE_CHANGES == 0)); then
    info "node $EP_NODE_NAME is provisioned; nothing changed, nothing restarted ($((SECONDS - started)) s)"
  else
    info "node $EP_NODE_NAME is provisioned; $EDGEPLANE_CHANGES change(s) ($((SECONDS - started)) s)"
  fi
}

main "$@"
