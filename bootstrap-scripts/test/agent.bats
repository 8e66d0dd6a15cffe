#!/usr/bin/env bats
# lib/agent.sh: downloading, installing and running the device agent, with a stubbed curl, a
# stubbed systemctl and a stubbed service starter.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  source "$BATS_TEST_DIRNAME/../lib/containerd.sh"
  source "$BATS_TEST_DIRNAME/../lib/agent.sh"
  # What provision.sh writes at its download step: download_pinned refuses to run without it.
  MIRROR_CA_FILE="$BATS_TEST_TMPDIR/mirror-ca.crt"
  echo "-----BEGIN CERTIFICATE-----" >"$MIRROR_CA_FILE"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  ROOT="$BATS_TEST_TMPDIR/root"
  CALLS="$BATS_TEST_TMPDIR/calls"
  DOWNLOADS="$BATS_TEST_TMPDIR/downloads"
  mkdir -p "$DOWNLOADS"
  AGENT_BIN="$ROOT/usr/local/bin/edgeplane-device"
  SVC_SPECS="$ROOT/etc/edgeplane/services"
  SVC_PROGRAM="$STUBS/edgeplane-service"
  SYSTEMD_UNITS="$ROOT/etc/systemd/system"
  SERVICE_FINGERPRINTS="$ROOT/var/lib/edgeplane/services"
  CLUSTER_CA="$ROOT/etc/kubernetes/pki/ca.crt"
  NODE_NAME_FILE="$ROOT/etc/edgeplane/node-name"
  mkdir -p "$(dirname "$CLUSTER_CA")" "$(dirname "$NODE_NAME_FILE")"
  echo "-----BEGIN CERTIFICATE-----" >"$CLUSTER_CA"
  echo edge-1 >"$NODE_NAME_FILE"
  # The mirror: curl writes the agent build named by AGENT_BUILD to -o, and notes URL and proxy.
  export AGENT_BUILD="agent build 1" CALLS
  stub curl '
out="" url=""
while (($#)); do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
echo "curl $url proxy=${https_proxy:-}" >>"$CALLS"
printf "%s\n" "$AGENT_BUILD" >"$out"'
  # A service starter whose services run once started.
  stub edgeplane-service '
echo "edgeplane-service $*" >>"'"$CALLS"'"
case "$1" in
  status) [ -e "'"$BATS_TEST_TMPDIR"'/running-$2" ] && echo 7 ;;
  start | restart) touch "'"$BATS_TEST_TMPDIR"'/running-$2" ;;
esac'
  # A systemd whose units are active once started, enabled once enabled.
  stub systemctl '
echo "systemctl $*" >>"'"$CALLS"'"
state="'"$BATS_TEST_TMPDIR"'"
case "$1" in
  is-active) [ -e "$state/active-${*: -1}" ] ;;
  is-enabled) [ -e "$state/enabled-${*: -1}" ] ;;
  enable) touch "$state/enabled-${*: -1}" ;;
  start | restart) touch "$state/active-$2" ;;
  show) if [ "$3" = MainPID ]; then echo 42; else echo no; fi ;;
esac'
  SERVICE_MANAGER=supervisor
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

# sha_of_build TEXT : the SHA-256 of the file the stub mirror serves for TEXT.
sha_of_build() {
  printf '%s\n' "$1" | sha256sum | cut -d' ' -f1
}

install_build() {
  mkdir -p "$(dirname "$AGENT_BIN")"
  printf '%s\n' "$1" >"$AGENT_BIN"
  chmod 0755 "$AGENT_BIN"
}

@test "agent_installed: only an executable file with the pinned SHA-256" {
  sha="$(sha_of_build "agent build 1")"
  run ! agent_installed "$sha"
  install_build "agent build 1"
  agent_installed "$sha"
  run ! agent_installed "$(sha_of_build "agent build 2")"
  chmod 0644 "$AGENT_BIN"
  run ! agent_installed "$sha"
}

@test "download_agent fetches the pinned agent through the proxy, SHA-256 verified, changing nothing" {
  EP_HTTP_PROXY=http://proxy.example.com:3128
  EP_NO_PROXY=(10.0.0.0/8)
  download_agent http://mirror.example.com/edgeplane-device "$(sha_of_build "agent build 1")" "$DOWNLOADS"
  [ "$AGENT_DOWNLOAD" = "$DOWNLOADS/edgeplane-device" ]
  [ "$(cat "$AGENT_DOWNLOAD")" = "agent build 1" ]
  grep -qx "curl http://mirror.example.com/edgeplane-device proxy=http://proxy.example.com:3128" "$CALLS"
  [ ! -e "$AGENT_BIN" ]
  [ "$EDGEPLANE_CHANGES" -eq 0 ]
}

@test "download_agent skips the download when the installed agent has the pinned SHA-256" {
  install_build "agent build 1"
  run download_agent http://mirror.example.com/edgeplane-device "$(sha_of_build "agent build 1")" "$DOWNLOADS"
  [ "$status" -eq 0 ]
  [[ "$output" == *"the device agent is installed (SHA-256 matches)"* ]]
  [ ! -e "$CALLS" ]
  download_agent http://mirror.example.com/edgeplane-device "$(sha_of_build "agent build 1")" "$DOWNLOADS"
  [ -z "$AGENT_DOWNLOAD" ]
}

@test "download_agent refuses an agent whose SHA-256 differs, and keeps nothing of it" {
  install_build "agent build 1"
  AGENT_BUILD="tampered"
  run download_agent http://mirror.example.com/edgeplane-device "$(sha_of_build "agent build 2")" "$DOWNLOADS"
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch for http://mirror.example.com/edgeplane-device"*"refusing to install it"* ]]
  [ ! -e "$DOWNLOADS/edgeplane-device" ]
  [ "$(cat "$AGENT_BIN")" = "agent build 1" ]
}

@test "the agent's spec runs 'edgeplane-device agent --apiserver URL' and nothing else" {
  stub edgeplane-device 'printf "%s\n" "$@"'
  AGENT_BIN="$STUBS/edgeplane-device"
  render_agent_spec https://10.0.0.1:6443 >"$BATS_TEST_TMPDIR/spec"
  head -n2 "$BATS_TEST_TMPDIR/spec" | tail -n1 | grep -q "^$MANAGED_MARKER: the Edgeplane device agent.$"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [ "$output" = $'agent\n--apiserver\nhttps://10.0.0.1:6443' ]
}

@test "without a tunnel the agent's spec turns its tunnel token delivery and reporting off" {
  stub edgeplane-device 'printf "%s\n" "$@"'
  AGENT_BIN="$STUBS/edgeplane-device"
  render_agent_spec https://10.0.0.1:6443 false >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [ "$output" = $'agent\n--apiserver\nhttps://10.0.0.1:6443\n--tunnel-health=\n--tunnel-token=' ]
}

@test "the pod network's flags follow the agent's own, each one word" {
  stub edgeplane-device 'printf "%s\n" "$@"'
  AGENT_BIN="$STUBS/edgeplane-device"
  render_agent_spec https://10.0.0.1:6443 true --pod-network=203.0.113.10:8134 "--pod-range=10.244.3.0/24" >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [ "$output" = $'agent\n--apiserver\nhttps://10.0.0.1:6443\n--pod-network=203.0.113.10:8134\n--pod-range=10.244.3.0/24' ]
}

@test "the agent's systemd unit runs its spec and always restarts it, without being bound to the kubelet" {
  unit="$(render_agent_unit)"
  [[ "$unit" == "$MANAGED_MARKER."* ]]
  [[ "$unit" == *"ExecStart=$SVC_SPECS/edgeplane-device"* ]]
  [[ "$unit" == *"Restart=always"* ]]
  [[ "$unit" == *"WantedBy=multi-user.target"* ]]
  [[ "$unit" != *Requires=* && "$unit" != *BindsTo=* && "$unit" != *PartOf=* ]]
}

@test "install_agent (service starter): installs and starts it once, then leaves it alone" {
  printf '%s\n' "agent build 1" >"$DOWNLOADS/edgeplane-device"
  AGENT_DOWNLOAD="$DOWNLOADS/edgeplane-device"
  run install_agent https://10.0.0.1:6443 false
  [ "$status" -eq 0 ]
  [[ "$output" == *"installed $AGENT_BIN"* ]]
  [[ "$output" == *"wrote $SVC_SPECS/edgeplane-device"* ]]
  [[ "$output" == *"started edgeplane-device (pid 7)"* ]]
  install_agent https://10.0.0.1:6443 false
  [ "$(stat -c %a "$AGENT_BIN")" = 755 ]
  grep -q "^exec $AGENT_BIN agent --apiserver https://10.0.0.1:6443$" "$SVC_SPECS/edgeplane-device"
  [ ! -e "$SYSTEMD_UNITS/edgeplane-device.service" ]

  # A second run (the agent installed, so nothing downloaded): nothing written, nothing restarted.
  AGENT_DOWNLOAD=""
  : >"$CALLS"
  run install_agent https://10.0.0.1:6443 false
  [ "$status" -eq 0 ]
  [[ "$output" == *"edgeplane-device runs (pid 7) with its current configuration"* ]]
  [[ "$output" != *wrote* && "$output" != *installed* ]]
  ! grep -qE "edgeplane-service (start|restart)" "$CALLS" || false
}

@test "install_agent restarts the agent when its binary, its spec, the CA or the node name changed, or when told to" {
  printf '%s\n' "agent build 1" >"$DOWNLOADS/edgeplane-device"
  AGENT_DOWNLOAD="$DOWNLOADS/edgeplane-device"
  install_agent https://10.0.0.1:6443 false
  restarts() { grep -c "edgeplane-service restart edgeplane-device" "$CALLS" || true; }
  [ "$(restarts)" -eq 0 ]

  printf '%s\n' "agent build 2" >"$DOWNLOADS/edgeplane-device"
  install_agent https://10.0.0.1:6443 false
  [ "$(restarts)" -eq 1 ]
  AGENT_DOWNLOAD=""
  install_agent https://10.0.0.2:6443 false
  [ "$(restarts)" -eq 2 ]
  echo "-----BEGIN CERTIFICATE----- renewed" >"$CLUSTER_CA"
  install_agent https://10.0.0.2:6443 false
  [ "$(restarts)" -eq 3 ]
  echo edge-2 >"$NODE_NAME_FILE"
  install_agent https://10.0.0.2:6443 false
  [ "$(restarts)" -eq 4 ]
  install_agent https://10.0.0.2:6443 false
  [ "$(restarts)" -eq 4 ]
  install_agent https://10.0.0.2:6443 true
  [ "$(restarts)" -eq 5 ]
}

@test "install_agent (systemd): writes its unit, enables and starts it once" {
  SERVICE_MANAGER=systemd
  install_build "agent build 1"
  install_agent https://10.0.0.1:6443 false
  grep -q "ExecStart=$SVC_SPECS/edgeplane-device" "$SYSTEMD_UNITS/edgeplane-device.service"
  grep -qx "systemctl enable --quiet edgeplane-device" "$CALLS"
  grep -qx "systemctl start edgeplane-device" "$CALLS"
  changes="$EDGEPLANE_CHANGES"
  : >"$CALLS"
  install_agent https://10.0.0.1:6443 false
  [ "$EDGEPLANE_CHANGES" -eq "$changes" ]
  ! grep -qE "systemctl (start|restart|enable) " "$CALLS" || false
}
