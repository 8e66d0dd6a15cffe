#!/usr/bin/env bash
# containerd from the distribution, configured from the datacenter's node settings, and the
# node-local pod network. Source it after lib.sh, files.sh and layout.sh (and services.sh and
# pods.sh, which wait_for_containerd and move_pod_network use).

# apt_install PACKAGE... : installs from the distribution, finishing an install a killed run left.
apt_install() {
  require_cmd apt-get dpkg
  export DEBIAN_FRONTEND=noninteractive
  dpkg --configure -a
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
  note_change "installed package(s) $*"
}

# cni_bin_dir : where the CNI plugins are: Debian and Ubuntu put them in /usr/lib/cni, upstream in /opt/cni/bin.
cni_bin_dir() {
  local dir
  for dir in /usr/lib/cni /opt/cni/bin; do
    if [[ -x "$dir/bridge" ]]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# ensure_containerd_installed CNI : containerd and runc (and, for the bridge network, the CNI plugins
# and iptables) from the distribution where missing.
ensure_containerd_installed() {
  local missing=()
  command -v containerd >/dev/null 2>&1 || missing+=(containerd)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  if [[ "$1" == bridge ]]; then
    cni_bin_dir >/dev/null || missing+=(containernetworking-plugins)
    command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  fi
  if ((${#missing[@]} > 0)); then
    with_proxy apt_install "${missing[@]}"
  fi
  info "containerd $(containerd --version | awk '{ print $3 }') installed"
}

# render_containerd_config PAUSE_IMAGE SYSTEMD_CGROUP RESTRICT_OOM_SCORE_ADJ CNI_BIN_DIR
# An empty PAUSE_IMAGE keeps containerd's own default sandbox image.
render_containerd_config() {
  local pause="$1" systemd_cgroup="$2" restrict_oom="$3" cni_bin="$4"
  echo "$MANAGED_MARKER from the node settings; rewritten on every run."
  echo "version = 2"
  echo
  echo '[plugins."io.containerd.grpc.v1.cri"]'
  [[ -z "$pause" ]] || echo "  sandbox_image = \"$pause\""
  echo "  # true where root lacks CAP_SYS_RESOURCE: lowering a container's oom_score_adj would kill it"
  echo "  restrict_oom_score_adj = $restrict_oom"
  echo '  [plugins."io.containerd.grpc.v1.cri".containerd]'
  echo '    default_runtime_name = "runc"'
  echo '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]'
  echo '      runtime_type = "io.containerd.runc.v2"'
  echo '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]'
  echo "        # matches the kubelet's cgroupDriver"
  echo "        SystemdCgroup = $systemd_cgroup"
  echo '  [plugins."io.containerd.grpc.v1.cri".cni]'
  echo "    bin_dir = \"$cni_bin\""
  echo '    conf_dir = "/etc/cni/net.d"'
  echo '  [plugins."io.containerd.grpc.v1.cri".registry]'
  echo "    config_path = \"$CONTAINERD_CERTS_D\""
}

# render_containerd_env HTTP_PROXY NO_PROXY... : containerd's environment (an EnvironmentFile for
# systemd, sourced by the service starter). The proxy serves image pulls only.
render_containerd_env() {
  local proxy="$1" no_proxy
  shift
  no_proxy="$(IFS=, && echo "$*")"
  echo "$MANAGED_MARKER: containerd's environment."
  if [[ -n "$proxy" ]]; then
    echo "HTTP_PROXY=$proxy"
    echo "HTTPS_PROXY=$proxy"
    echo "NO_PROXY=$no_proxy"
  fi
}

# render_registry_hosts SERVER HOST_URL... : a containerd hosts.toml; pulls try the hosts in order
# and fall back to SERVER.
render_registry_hosts() {
  local server="$1" host
  shift
  echo "$MANAGED_MARKER: how containerd reaches this registry."
  echo "server = \"$server\""
  for host in "$@"; do
    echo
    echo "[host.\"$host\"]"
    echo '  capabilities = ["pull", "resolve"]'
  done
}

# write_registry_hosts MIRROR_COUNT MIRROR... INSECURE_REGISTRY... : docker.io through the mirrors,
# each insecure registry over plain HTTP; hosts.toml files this script wrote earlier and no longer
# wants are removed. containerd reads these per pull: no restart needed.
write_registry_hosts() {
  local count="$1" wanted=() registry file dir
  shift
  local mirrors=("${@:1:count}") insecure=("${@:count+1}")
  if ((${#mirrors[@]} > 0)); then
    render_registry_hosts https://registry-1.docker.io "${mirrors[@]}" | put_file "$CONTAINERD_CERTS_D/docker.io/hosts.toml" 0644
    wanted+=(docker.io)
  fi
  for registry in "${insecure[@]}"; do
    render_registry_hosts "http://$registry" "http://$registry" | put_file "$CONTAINERD_CERTS_D/$registry/hosts.toml" 0644
    wanted+=("$registry")
  done
  for file in "$CONTAINERD_CERTS_D"/*/hosts.toml; do
    if [[ -f "$file" ]] && head -n1 "$file" | grep -qF "$MANAGED_MARKER"; then
      dir="$(dirname "$file")"
      contains "$(basename "$dir")" "${wanted[@]}" || remove_path "$dir"
    fi
  done
}

# contains WORD LIST... : WORD is one of LIST.
contains() {
  local word="$1" item
  shift
  for item in "$@"; do
    [[ "$item" == "$word" ]] && return 0
  done
  return 1
}

# ipv4_to_int ADDRESS : a dotted quad as a 32-bit number.
ipv4_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  echo $(((10#$a << 24) | (10#$b << 16) | (10#$c << 8) | 10#$d))
}

# int_to_ipv4 NUMBER : a 32-bit number as a dotted quad.
int_to_ipv4() {
  echo "$((($1 >> 24) & 255)).$((($1 >> 16) & 255)).$((($1 >> 8) & 255)).$(($1 & 255))"
}

# valid_ipv4_cidr CIDR : an IPv4 network (no host bits set, as the CNI's host-local IPAM requires),
# prefix length 8 to 30.
valid_ipv4_cidr() {
  [[ "$1" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$ ]] || return 1
  local i bits="${BASH_REMATCH[5]}"
  for i in 1 2 3 4; do
    ((10#${BASH_REMATCH[i]} <= 255)) || return 1
  done
  ((10#$bits >= 8 && 10#$bits <= 30)) || return 1
  local host_bits=$(((1 << (32 - 10#$bits)) - 1))
  (($(ipv4_to_int "${1%/*}") & host_bits)) && return 1
  return 0
}

# cidr_within INNER OUTER : the IPv4 network INNER lies inside OUTER (both valid_ipv4_cidr).
cidr_within() {
  local inner_bits="${1#*/}" outer_bits="${2#*/}" mask
  ((10#$inner_bits >= 10#$outer_bits)) || return 1
  mask=$(((0xffffffff << (32 - 10#$outer_bits)) & 0xffffffff))
  (((($(ipv4_to_int "${1%/*}") ^ $(ipv4_to_int "${2%/*}")) & mask) == 0))
}

# select_pod_cidr SEED_RANGE KNOB_RANGE : sets POD_CIDR and POD_CIDR_SOURCE (the variable it came
# from, for messages). The range the seed allocated to this device (EP_POD_CIDR: one per device, so
# that no two devices' pods share addresses) wins over the knob EDGEPLANE_POD_CIDR, which wins over
# the default 10.88.0.0/16.
# shellcheck disable=SC2034 # set for the caller
select_pod_cidr() {
  local seed="$1" knob="$2"
  if [[ -n "$seed" ]]; then
    POD_CIDR="$seed"
    POD_CIDR_SOURCE=EP_POD_CIDR
    if [[ -n "$knob" && "$knob" != "$seed" ]]; then
      warn "EDGEPLANE_POD_CIDR=$knob is not used: the seed allocated the pod range $seed to this device"
    fi
  else
    POD_CIDR="${knob:-10.88.0.0/16}"
    POD_CIDR_SOURCE=EDGEPLANE_POD_CIDR
  fi
}

# pod_gateway POD_CIDR : the bridge's address for a pod range, as the bridge plugin gives it (the
# range's first address, with the range's prefix length).
pod_gateway() {
  echo "$(int_to_ipv4 $(($(ipv4_to_int "${1%/*}") + 1)))/${1#*/}"
}

# stale_bridge_addresses POD_CIDR : the pod bridge's IPv4 addresses other than POD_CIDR's gateway:
# those of an earlier pod range, which make the bridge plugin refuse every new pod.
stale_bridge_addresses() {
  local gateway
  gateway="$(pod_gateway "$1")"
  command -v ip >/dev/null 2>&1 || return 0
  { ip -o -4 addr show dev "$CNI_BRIDGE" 2>/dev/null || true; } | awk -v gateway="$gateway" '$4 != gateway { print $4 }'
}

# move_pod_network POD_CIDR : after the pod range changed (the seed allocated this device its own,
# or another one), the node's pods restart in the new range: the kubelet stops (so that it starts
# no pod meanwhile), the pods' containers, their network namespaces, address reservations and the
# bridge go; the start step starts the kubelet again, which recreates every pod. Decided by the
# bridge's address, not by the configuration's change, so that a run killed half way (the bridge
# goes last) is completed by the next.
move_pod_network() {
  local stale
  stale="$(stale_bridge_addresses "$1" | paste -sd' ')"
  [[ -n "$stale" ]] || return 0
  warn "the pod range is now $1, but the pod bridge $CNI_BRIDGE has $stale: every pod of this node restarts in the new range"
  if service_running kubelet; then
    service_stop kubelet
    note_change "stopped the kubelet while its pods move to $1"
  fi
  remove_pod_containers
  wait_for_containerd 30
  remove_path "$CNI_STATE"
  remove_pod_network
}

# render_cni_config POD_CIDR : a node-local bridge network: pods reach each other and, masqueraded,
# everything the node reaches. Version 0.4.0 so that Ubuntu 20.04's plugins (0.8) read it too.
render_cni_config() {
  cat <<EOF
{
  "cniVersion": "0.4.0",
  "name": "edgeplane",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$1"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

# wait_for_containerd SECONDS : until containerd answers on its socket.
wait_for_containerd() {
  local deadline=$((SECONDS + $1))
  until ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fatal "containerd does not answer on $CONTAINERD_SOCKET after $1 s: $(service_log_tail containerd)"
    sleep 0.2
  done
}

# proxy_applies HOST NO_PROXY... : the datacenter's proxy is used for HOST, by the NO_PROXY rules
# curl and Go share: not for "*", an entry equal to HOST or a domain HOST lies under (".example.com"
# or "example.com"), or an IPv4 range HOST's address lies in.
proxy_applies() {
  local host="$1" entry
  shift
  for entry in "$@"; do
    case "$entry" in
      '*') return 1 ;;
      */*)
        if [[ "$host" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ && "$entry" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] &&
          cidr_within "$host/32" "$entry"; then
          return 1
        fi
        ;;
      *) [[ "$host" == "${entry#.}" || "$host" == *".${entry#.}" ]] && return 1 ;;
    esac
  done
  return 0
}

# with_proxy COMMAND... : runs COMMAND with the node settings' proxy (EP_HTTP_PROXY, EP_NO_PROXY
# from the rendered values) in its environment, for downloads and package installs.
with_proxy() {
  if [[ -z "${EP_HTTP_PROXY:-}" ]]; then
    "$@"
    return
  fi
  local no_proxy_list
  no_proxy_list="$(IFS=, && echo "${EP_NO_PROXY[*]}")"
  http_proxy="$EP_HTTP_PROXY" https_proxy="$EP_HTTP_PROXY" HTTP_PROXY="$EP_HTTP_PROXY" HTTPS_PROXY="$EP_HTTP_PROXY" \
    no_proxy="$no_proxy_list" NO_PROXY="$no_proxy_list" "$@"
}
