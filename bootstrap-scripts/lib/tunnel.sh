#!/usr/bin/env bash
# The tunnel agent konnectivity-agent (service edgeplane-tunnel): its binary, the node name
# resolving to this device, and the service that dials out to the cluster's tunnel server. The
# apiserver reaches the kubelet through it ("<node name>:10250", routed to this device's agent by
# name), so that logs, exec and port-forward work on a device that only dials out. It proves who it
# is with a token bound to the node that the device agent fetches and writes ($TUNNEL_TOKEN).
# Source it after lib.sh, files.sh, layout.sh, service-starter.sh, services.sh and containerd.sh
# (with_proxy).

# Set by download_tunnel_agent when the installed tunnel agent is not the pinned one: the verified download.
TUNNEL_DOWNLOAD=""
# The node name resolves here when nothing else makes it resolve to this device: the loopback
# address Debian gives the host's own name, on which the kubelet listens too (it listens on all).
TUNNEL_HOSTS_ADDRESS=127.0.1.1

# tunnel_installed SHA256 : the installed tunnel agent is exactly the pinned one.
tunnel_installed() {
  [[ -f "$TUNNEL_BIN" && -x "$TUNNEL_BIN" ]] && [[ "$(sha256_of "$TUNNEL_BIN")" == "$1" ]]
}

# download_tunnel_agent URL SHA256 DIR : downloads the tunnel agent into DIR, refused unless its
# SHA-256 matches, unless the installed one is already exactly that binary. Changes nothing on the device.
download_tunnel_agent() {
  local url="$1" sha256="$2" dir="$3"
  if tunnel_installed "$sha256"; then
    info "the tunnel agent is installed (SHA-256 matches)"
    return 0
  fi
  TUNNEL_DOWNLOAD="$dir/konnectivity-agent"
  info "downloading the tunnel agent from $url"
  with_proxy download_pinned "$url" "$TUNNEL_DOWNLOAD" "$sha256"
  info "tunnel agent downloaded, SHA-256 verified"
}

# install_tunnel NODE_NAME POD_CIDR SERVER_HOST SERVER_PORT HTTP_PROXY NO_PROXY... : the downloaded binary
# (if any), the private directory of its token, the node name resolving to this device, its
# service spec and (under systemd) unit, and the service running them. It restarts only when one of
# those changed or the cluster CA it read at start did; never for a new token, which it rereads
# at each connection.
install_tunnel() {
  local name="$1" pods="$2" host="$3" port="$4" proxy="$5" inputs via=""
  shift 5
  [[ -z "$TUNNEL_DOWNLOAD" ]] || put_binary "$TUNNEL_DOWNLOAD" "$TUNNEL_BIN"
  ensure_private_dir "$TUNNEL_STATE"
  ensure_node_name_resolves "$name"
  render_tunnel_spec "$name" "$pods" "$host" "$port" "$proxy" "$@" | write_service_spec "$TUNNEL_SERVICE"
  inputs=("$TUNNEL_BIN" "$SVC_SPECS/$TUNNEL_SERVICE" "$CLUSTER_CA")
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    render_tunnel_unit | put_file "$SYSTEMD_UNITS/$TUNNEL_SERVICE.service" 0644
    inputs+=("$SYSTEMD_UNITS/$TUNNEL_SERVICE.service")
  fi
  ensure_service "$TUNNEL_SERVICE" false "${inputs[@]}"
  [[ -z "$proxy" ]] || via=" through the proxy $proxy"
  info "the tunnel agent dials $host:$port$via; its health: http://127.0.0.1:$TUNNEL_HEALTH_PORT/readyz"
}

# remove_tunnel : stops and removes the tunnel agent, its token and the node name's hosts line, for
# a cluster without a tunnel (or deprovisioning). Finds nothing to do on a device that has none.
remove_tunnel() {
  stop_service "$TUNNEL_SERVICE"
  remove_path "$TUNNEL_BIN" "$TUNNEL_STATE"
  remove_node_name_lines ""
}

# ensure_private_dir DIR : DIR exists, readable by root only (0700).
ensure_private_dir() {
  if [[ ! -d "$1" ]]; then
    mkdir -p "$(dirname "$1")"
    if mkdir -m 0700 "$1" 2>/dev/null; then
      note_change "created $1 (0700)"
      return 0
    fi
    # The device agent, started just before, may have created it at the same moment: then its mode is
    # checked below. Otherwise mkdir again, to fail with its own error.
    [[ -d "$1" ]] || mkdir -m 0700 "$1"
  fi
  if [[ "$(file_mode "$1")" != 700 ]]; then
    chmod 0700 "$1"
    note_change "made $1 private (0700)"
  fi
}

# tunnel_pod_identifiers POD_CIDR : "&ipv4=<address>" for every address of the device's pod range,
# so that the tunnel server routes the apiserver's connections to this device's pods (webhooks and
# aggregated APIs, resolved to a pod's address) to this device's agent. The server matches exact
# addresses only, so a range is spelled out; fails (printing nothing) for a range wider than a /24,
# which would make the agent's announcement unreasonably long.
tunnel_pod_identifiers() {
  local bits="${1#*/}" network="${1%/*}" i
  [[ "$bits" =~ ^[0-9]+$ ]] && ((10#$bits >= 24 && 10#$bits <= 30)) || return 1
  # Within a /24 only the last octet varies.
  for ((i = 1; i < (1 << (32 - 10#$bits)) - 1; i++)); do
    printf '&ipv4=%s.%d' "${network%.*}" $((${network##*.} + i))
  done
}

# render_tunnel_spec NODE_NAME POD_CIDR SERVER_HOST SERVER_PORT HTTP_PROXY NO_PROXY... : the tunnel
# agent's command line, as the executable both the systemd unit and the service starter run. The
# agent announces the node name (the kubelet's address) and, for a range of at most a /24, every
# address of the device's pod range; never the device's own address, which other sites may share.
render_tunnel_spec() {
  local name="$1" pods="$2" host="$3" port="$4" proxy="$5" no_proxy identifiers
  shift 5
  if ! identifiers="host=$name$(tunnel_pod_identifiers "$pods")"; then
    identifiers="host=$name"
    warn "the pod range $pods is wider than a /24, so the tunnel does not announce it: webhooks and" \
      "aggregated APIs served by pods on this device are not reachable from the apiserver"
  fi
  no_proxy="$(IFS=, && echo "$*")"
  echo "#!/usr/bin/env bash"
  echo "$MANAGED_MARKER: the tunnel agent of node $name."
  if [[ -n "$proxy" ]]; then
    # The datacenter's proxy: gRPC dials the tunnel server through it (HTTP CONNECT).
    printf 'export HTTPS_PROXY=%q NO_PROXY=%q\n' "$proxy" "$no_proxy"
  fi
  # konnectivity-agent refuses to start without its token file, which the device agent writes once
  # the seed has issued it: wait for it here, rather than crash-loop into a long restart back-off.
  printf 'if [[ ! -s %q ]]; then\n' "$TUNNEL_TOKEN"
  printf '  echo "waiting for the tunnel token %s (the device agent writes it once the seed issued it)"\n' "$TUNNEL_TOKEN"
  printf '  until [[ -s %q ]]; do sleep 1; done\n' "$TUNNEL_TOKEN"
  echo "fi"
  echo "# konnectivity-agent only drains on its first SIGTERM and stops on the second: stopping this"
  echo "# service sends it both. It dies with this script (pdeathsig), so it never outlives it."
  printf 'setpriv --pdeathsig KILL %q' "$TUNNEL_BIN"
  printf ' \\\n  %q %q' "--proxy-server-host=$host" "--proxy-server-port=$port"
  printf ' \\\n  %q' "--ca-cert=$CLUSTER_CA" "--service-account-token-path=$TUNNEL_TOKEN"
  printf ' \\\n  %q %q' "--agent-id=$name" "--agent-identifiers=$identifiers" \
    "--health-server-host=127.0.0.1" "--health-server-port=$TUNNEL_HEALTH_PORT" \
    "--admin-bind-address=127.0.0.1" "--admin-server-port=$TUNNEL_ADMIN_PORT"
  printf ' \\\n  %q %q %q %q' --sync-interval=1s --sync-interval-cap=5s --probe-interval=1s --keepalive-time=30s
  echo " &"
  cat <<'EOF'
agent=$!
trap 'kill -TERM "$agent" 2>/dev/null; sleep 1; kill -TERM "$agent" 2>/dev/null' TERM INT
status=0
while kill -0 "$agent" 2>/dev/null; do
  wait "$agent" || status=$?
done
exit "$status"
EOF
}

# render_tunnel_unit : the systemd unit; the command line lives in the spec it runs. Not bound to
# the kubelet: the tunnel stays up while the kubelet restarts.
render_tunnel_unit() {
  cat <<EOF
$MANAGED_MARKER.
[Unit]
Description=Edgeplane tunnel agent (konnectivity): the cluster's apiserver reaches this kubelet through it
Wants=network-online.target
After=network-online.target kubelet.service $AGENT_SERVICE.service

[Service]
ExecStart=$SVC_SPECS/$TUNNEL_SERVICE
Restart=always
RestartSec=2
StartLimitInterval=0

[Install]
WantedBy=multi-user.target
EOF
}

# --- the node name resolves to this device ---------------------------------------------------------
# The tunnel agent dials the kubelet at the address the apiserver asked for, "<node name>:10250",
# so the name must resolve to an address of this device. Where neither DNS nor the operator's
# /etc/hosts makes it, one line of ours does; it carries the marker, so that it is told from the
# operator's lines and removed exactly.

# hosts_line NODE_NAME : Edgeplane's /etc/hosts line for the node name.
hosts_line() {
  echo "$TUNNEL_HOSTS_ADDRESS $1 $MANAGED_MARKER"
}

# local_ipv4_addresses : the IPv4 addresses of this device's interfaces, one a line.
local_ipv4_addresses() {
  ip -o -4 addr show | awk '{ sub(/\/.*/, "", $4); print $4 }'
}

# resolved_ipv4_addresses NAME : the addresses NAME resolves to (files, DNS: as the agent resolves it).
resolved_ipv4_addresses() {
  { timeout 10 getent ahostsv4 "$1" || true; } | awk '{ print $1 }' | sort -u
}

# resolves_here NAME : NAME resolves to a loopback address or one of this device's; prints it.
resolves_here() {
  local address locals
  locals="$(local_ipv4_addresses)"
  for address in $(resolved_ipv4_addresses "$1"); do
    if [[ "$address" == 127.* ]] || grep -qxF -- "$address" <<<"$locals"; then
      echo "$address"
      return 0
    fi
  done
  return 1
}

# ensure_node_name_resolves NODE_NAME : keeps or appends Edgeplane's hosts line for NODE_NAME (and
# drops ours for any other name: the device was provisioned under another name before), unless the
# name resolves to this device without it.
ensure_node_name_resolves() {
  local name="$1" line address
  line="$(hosts_line "$name")"
  remove_node_name_lines "$line"
  if [[ -f "$HOSTS_FILE" ]] && grep -qxF -- "$line" "$HOSTS_FILE"; then
    info "node name $name resolves to this device ($TUNNEL_HOSTS_ADDRESS in $HOSTS_FILE)"
    return 0
  fi
  if address="$(resolves_here "$name")"; then
    info "node name $name resolves to $address, an address of this device"
    return 0
  fi
  append_hosts_line "$line"
  note_change "added '$line' to $HOSTS_FILE: the tunnel agent reaches the kubelet at $name:10250"
  # An operator's line earlier in the file wins over ours with glibc's files source.
  address="$(resolved_ipv4_addresses "$name" | paste -sd' ')"
  resolves_here "$name" >/dev/null ||
    warn "node name $name still resolves to ${address:-nothing}, not to this device (see $HOSTS_FILE): the apiserver's logs, exec and port-forward through the tunnel will fail"
}

# append_hosts_line LINE : appends LINE in one write (a killed run leaves it whole or absent).
append_hosts_line() {
  local separator=""
  # A last line without its newline would otherwise swallow ours.
  if [[ -s "$HOSTS_FILE" && -n "$(tail -c1 "$HOSTS_FILE")" ]]; then
    separator=$'\n'
  fi
  printf '%s%s\n' "$separator" "$1" >>"$HOSTS_FILE"
}

# is_node_name_line LINE : LINE is one of Edgeplane's hosts lines, for whatever node name.
is_node_name_line() {
  local name
  [[ "$1" == "$TUNNEL_HOSTS_ADDRESS "*" $MANAGED_MARKER" ]] || return 1
  name="${1#"$TUNNEL_HOSTS_ADDRESS "}"
  name="${name%" $MANAGED_MARKER"}"
  [[ "$name" =~ ^[^[:space:]]+$ ]]
}

# remove_node_name_lines KEEP : removes Edgeplane's hosts lines but KEEP (empty: all of them); the
# operator's lines stay exactly as they are.
remove_node_name_lines() {
  local keep="$1" line kept="" found=false
  [[ -f "$HOSTS_FILE" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    if [[ "$line" != "$keep" ]] && is_node_name_line "$line"; then
      found=true
      note_change "removed '$line' from $HOSTS_FILE"
      continue
    fi
    kept+="$line"$'\n'
  done <"$HOSTS_FILE"
  if $found; then
    printf '%s' "$kept" | put_hosts_file
  fi
}

# put_hosts_file < CONTENT : replaces the hosts file, keeping its mode: by a rename (a killed run
# leaves the old or the new file), or where it is a bind mount (as in containers), which a rename
# cannot replace, in place.
put_hosts_file() {
  local tmp
  tmp="$(dirname "$HOSTS_FILE")/.$(basename "$HOSTS_FILE").edgeplane-tmp"
  (umask 077 && cat >"$tmp")
  chmod "$(file_mode "$HOSTS_FILE")" "$tmp"
  if ! mv -f "$tmp" "$HOSTS_FILE" 2>/dev/null; then
    cat "$tmp" >"$HOSTS_FILE"
    rm -f "$tmp"
  fi
}
