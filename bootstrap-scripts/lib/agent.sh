#!/usr/bin/env bash
# The device agent edgeplane-device: its binary, and the service that runs
# `edgeplane-device agent`. It authenticates with the kubelet's client certificate, so it starts
# once the node has registered. Source it after lib.sh, files.sh, layout.sh, service-starter.sh,
# services.sh and containerd.sh (with_proxy).

# Set by download_agent when the installed agent is not the pinned one: the verified download.
AGENT_DOWNLOAD=""

# agent_installed SHA256 : the installed agent is exactly the pinned one.
agent_installed() {
  [[ -f "$AGENT_BIN" && -x "$AGENT_BIN" ]] && [[ "$(sha256_of "$AGENT_BIN")" == "$1" ]]
}

# download_agent URL SHA256 DIR : downloads the agent into DIR, refused unless its SHA-256 matches,
# unless the installed one is already exactly that binary. Changes nothing on the device.
download_agent() {
  local url="$1" sha256="$2" dir="$3"
  if agent_installed "$sha256"; then
    info "the device agent is installed (SHA-256 matches)"
    return 0
  fi
  AGENT_DOWNLOAD="$dir/edgeplane-device"
  info "downloading the device agent from $url"
  with_proxy download_pinned "$url" "$AGENT_DOWNLOAD" "$sha256"
  info "device agent downloaded, SHA-256 verified"
}

# install_agent APISERVER_URL FORCE_RESTART TUNNEL [FLAG...] : the downloaded binary (if any), its
# service spec and (under systemd) unit, and the service running them. It restarts only when one of
# those changed, or the cluster CA or node name it read at start (or FORCE_RESTART is true: the
# kubelet's credentials, which the agent uses, were discarded). FLAGs go to the agent as they are
# (the pod network's).
install_agent() {
  local apiserver="$1" force="$2" tunnel="${3:-true}" inputs
  shift $(($# < 3 ? $# : 3))
  [[ -z "$AGENT_DOWNLOAD" ]] || put_binary "$AGENT_DOWNLOAD" "$AGENT_BIN"
  render_agent_spec "$apiserver" "$tunnel" "$@" | write_service_spec "$AGENT_SERVICE"
  inputs=("$AGENT_BIN" "$SVC_SPECS/$AGENT_SERVICE" "$CLUSTER_CA" "$NODE_NAME_FILE")
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    render_agent_unit | put_file "$SYSTEMD_UNITS/$AGENT_SERVICE.service" 0644
    inputs+=("$SYSTEMD_UNITS/$AGENT_SERVICE.service")
  fi
  ensure_service "$AGENT_SERVICE" "$force" "${inputs[@]}"
  info "the device agent runs; root on the device uses it: edgeplane-device workloads list"
}

# render_agent_spec APISERVER_URL [TUNNEL [FLAG...]] : the agent's command line, as the executable
# both the systemd unit and the service starter run. Node name, certificates, CRI socket, static pod
# and state directories, and the tunnel's token file and health endpoint are the agent's defaults
# (lib/layout.sh's paths), so only the apiserver is given; TUNNEL false (a cluster without a
# tunnel) turns the agent's tunnel token delivery and tunnel reporting off. FLAGs follow as given.
render_agent_spec() {
  local apiserver="$1" tunnel="${2:-true}" flag
  shift $(($# < 2 ? $# : 2))
  echo "#!/usr/bin/env bash"
  echo "$MANAGED_MARKER: the Edgeplane device agent."
  printf 'exec %q agent --apiserver %q' "$AGENT_BIN" "$apiserver"
  [[ "$tunnel" != false ]] || printf ' --tunnel-health= --tunnel-token='
  for flag in "$@"; do
    printf ' \\\n  %q' "$flag"
  done
  echo
}

# render_agent_unit : the systemd unit; the command line lives in the spec it runs. Not bound to
# the kubelet or containerd: the agent keeps serving the local command while either is down.
render_agent_unit() {
  cat <<EOF
$MANAGED_MARKER.
[Unit]
Description=Edgeplane device agent: the device's workloads as static pods, online or not
Wants=network-online.target
After=network-online.target containerd.service kubelet.service

[Service]
ExecStart=$SVC_SPECS/$AGENT_SERVICE
Restart=always
RestartSec=2
StartLimitInterval=0

[Install]
WantedBy=multi-user.target
EOF
}
