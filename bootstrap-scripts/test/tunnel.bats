#!/usr/bin/env bats
# lib/tunnel.sh: downloading, installing, running and removing the tunnel agent, and the node name's
# hosts line, with a stubbed curl, ip, getent, systemctl and service starter.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  source "$BATS_TEST_DIRNAME/../lib/containerd.sh"
  source "$BATS_TEST_DIRNAME/../lib/tunnel.sh"
  # What provision.sh writes at its download step: download_pinned refuses to run without it.
  MIRROR_CA_FILE="$BATS_TEST_TMPDIR/mirror-ca.crt"
  echo "-----BEGIN CERTIFICATE-----" >"$MIRROR_CA_FILE"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  ROOT="$BATS_TEST_TMPDIR/root"
  CALLS="$BATS_TEST_TMPDIR/calls"
  DOWNLOADS="$BATS_TEST_TMPDIR/downloads"
  mkdir -p "$DOWNLOADS" "$ROOT/etc"
  TUNNEL_BIN="$ROOT/usr/local/bin/konnectivity-agent"
  TUNNEL_STATE="$ROOT/var/lib/edgeplane/tunnel"
  TUNNEL_TOKEN="$TUNNEL_STATE/token"
  SVC_SPECS="$ROOT/etc/edgeplane/services"
  SVC_PROGRAM="$STUBS/edgeplane-service"
  SYSTEMD_UNITS="$ROOT/etc/systemd/system"
  SERVICE_FINGERPRINTS="$ROOT/var/lib/edgeplane/services"
  CLUSTER_CA="$ROOT/etc/kubernetes/pki/ca.crt"
  export HOSTS_FILE="$ROOT/etc/hosts"
  mkdir -p "$(dirname "$CLUSTER_CA")"
  echo "-----BEGIN CERTIFICATE-----" >"$CLUSTER_CA"
  printf '%s\n' "127.0.0.1 localhost" "10.0.0.5 gateway.site" >"$HOSTS_FILE"
  # The mirror: curl writes the build named by TUNNEL_BUILD to -o, and notes URL and proxy.
  export TUNNEL_BUILD="tunnel build 1" CALLS
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
printf "%s\n" "$TUNNEL_BUILD" >"$out"'
  # The device's interfaces: lo and eth0 (192.0.2.7).
  export ADDRS="$BATS_TEST_TMPDIR/addrs" DNS="$BATS_TEST_TMPDIR/dns"
  printf '%s\n' '1: lo    inet 127.0.0.1/8 scope host lo' '2: eth0    inet 192.0.2.7/24 brd 192.0.2.255 scope global eth0' >"$ADDRS"
  : >"$DNS"
  stub ip '[ "$*" = "-o -4 addr show" ] && cat "$ADDRS"'
  # A resolver reading the hosts file first (the first line naming it), then "DNS" (lines "name address").
  stub getent '
[ "$1" = ahostsv4 ] || exit 2
address="$(awk -v n="$2" '\''!/^[[:space:]]*#/ { for (i = 2; i <= NF && $i !~ /^#/; i++) if ($i == n) { print $1; exit } }'\'' "$HOSTS_FILE")"
[ -n "$address" ] || address="$(awk -v n="$2" '\''$1 == n { print $2 }'\'' "$DNS")"
[ -n "$address" ] || exit 2
for a in $address; do printf "%s STREAM %s\n%s DGRAM\n%s RAW\n" "$a" "$2" "$a" "$a"; done'
  # A service starter whose services run once started.
  stub edgeplane-service '
echo "edgeplane-service $*" >>"'"$CALLS"'"
case "$1" in
  status) [ -e "'"$BATS_TEST_TMPDIR"'/running-$2" ] && echo 9 ;;
  start | restart) touch "'"$BATS_TEST_TMPDIR"'/running-$2" ;;
  stop) rm -f "'"$BATS_TEST_TMPDIR"'/running-$2" ;;
esac'
  # A systemd whose units are active once started, enabled once enabled.
  stub systemctl '
echo "systemctl $*" >>"'"$CALLS"'"
state="'"$BATS_TEST_TMPDIR"'"
case "$1" in
  is-active) [ -e "$state/active-${*: -1}" ] ;;
  is-enabled) [ -e "$state/enabled-${*: -1}" ] ;;
  enable) touch "$state/enabled-${*: -1}" ;;
  disable) rm -f "$state/enabled-${*: -1}" "$state/active-${*: -1}" ;;
  start | restart) touch "$state/active-$2" ;;
  show) if [ "$3" = MainPID ]; then echo 42; else echo no; fi ;;
esac'
  SERVICE_MANAGER=supervisor
}

# Specs a test started in the background, and their agents (agent.pid): gone even when the test fails.
teardown() {
  [[ -z "${spec:-}" ]] || kill -KILL "$spec" 2>/dev/null || true
  [[ ! -s "$BATS_TEST_TMPDIR/agent.pid" ]] || kill -KILL "$(cat "$BATS_TEST_TMPDIR/agent.pid")" 2>/dev/null || true
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

sha_of_build() {
  printf '%s\n' "$1" | sha256sum | cut -d' ' -f1
}

install_build() {
  mkdir -p "$(dirname "$TUNNEL_BIN")"
  printf '%s\n' "$1" >"$TUNNEL_BIN"
  chmod 0755 "$TUNNEL_BIN"
}

downloaded() {
  printf '%s\n' "$1" >"$DOWNLOADS/konnectivity-agent"
  TUNNEL_DOWNLOAD="$DOWNLOADS/konnectivity-agent"
}

@test "tunnel_installed: only an executable file with the pinned SHA-256" {
  sha="$(sha_of_build "tunnel build 1")"
  run ! tunnel_installed "$sha"
  install_build "tunnel build 1"
  tunnel_installed "$sha"
  run ! tunnel_installed "$(sha_of_build "tunnel build 2")"
  chmod 0644 "$TUNNEL_BIN"
  run ! tunnel_installed "$sha"
}

@test "download_tunnel_agent fetches the pinned agent through the proxy, SHA-256 verified, changing nothing" {
  EP_HTTP_PROXY=http://proxy.example.com:3128
  EP_NO_PROXY=(10.0.0.0/8)
  download_tunnel_agent http://mirror.example.com/konnectivity-agent "$(sha_of_build "tunnel build 1")" "$DOWNLOADS"
  [ "$TUNNEL_DOWNLOAD" = "$DOWNLOADS/konnectivity-agent" ]
  [ "$(cat "$TUNNEL_DOWNLOAD")" = "tunnel build 1" ]
  grep -qx "curl http://mirror.example.com/konnectivity-agent proxy=http://proxy.example.com:3128" "$CALLS"
  [ ! -e "$TUNNEL_BIN" ]
  [ "$EDGEPLANE_CHANGES" -eq 0 ]
}

@test "download_tunnel_agent skips the download when the installed agent has the pinned SHA-256" {
  install_build "tunnel build 1"
  run download_tunnel_agent http://mirror.example.com/konnectivity-agent "$(sha_of_build "tunnel build 1")" "$DOWNLOADS"
  [ "$status" -eq 0 ]
  [[ "$output" == *"the tunnel agent is installed (SHA-256 matches)"* ]]
  [ ! -e "$CALLS" ]
}

@test "download_tunnel_agent refuses an agent whose SHA-256 differs, and keeps nothing of it" {
  install_build "tunnel build 1"
  TUNNEL_BUILD="tampered"
  run download_tunnel_agent http://mirror.example.com/konnectivity-agent "$(sha_of_build "tunnel build 2")" "$DOWNLOADS"
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch for http://mirror.example.com/konnectivity-agent"*"refusing to install it"* ]]
  [ ! -e "$DOWNLOADS/konnectivity-agent" ]
  [ "$(cat "$TUNNEL_BIN")" = "tunnel build 1" ]
}

@test "the tunnel's spec runs konnectivity-agent with exactly the contract's command line, without a proxy" {
  stub konnectivity-agent 'printf "%s\n" "$@"; echo "HTTPS_PROXY=${HTTPS_PROXY-unset} NO_PROXY=${NO_PROXY-unset}"'
  TUNNEL_BIN="$STUBS/konnectivity-agent"
  mkdir -p "$TUNNEL_STATE"
  echo token >"$TUNNEL_TOKEN"
  render_tunnel_spec edge-1 10.244.3.8/29 seed.example.com 30132 "" >"$BATS_TEST_TMPDIR/spec"
  head -n2 "$BATS_TEST_TMPDIR/spec" | tail -n1 | grep -qx "$MANAGED_MARKER: the tunnel agent of node edge-1."
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run env -u HTTPS_PROXY -u NO_PROXY "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  expected=(--proxy-server-host=seed.example.com --proxy-server-port=30132 "--ca-cert=$CLUSTER_CA"
    "--service-account-token-path=$TUNNEL_TOKEN" --agent-id=edge-1
    "--agent-identifiers=host=edge-1&ipv4=10.244.3.9&ipv4=10.244.3.10&ipv4=10.244.3.11&ipv4=10.244.3.12&ipv4=10.244.3.13&ipv4=10.244.3.14"
    --health-server-host=127.0.0.1 --health-server-port=8093 --admin-bind-address=127.0.0.1 --admin-server-port=8094
    --sync-interval=1s --sync-interval-cap=5s --probe-interval=1s --keepalive-time=30s
    "HTTPS_PROXY=unset NO_PROXY=unset")
  [ "$output" = "$(printf '%s\n' "${expected[@]}")" ]
}

@test "the tunnel announces every address of a /24 pod range, and no address of a wider one" {
  run tunnel_pod_identifiers 10.244.7.0/24
  [ "$status" -eq 0 ]
  [ "$(tr '&' '\n' <<<"$output" | grep -c '^ipv4=')" -eq 254 ]
  [[ "$output" == "&ipv4=10.244.7.1&ipv4=10.244.7.2&"* ]]
  [[ "$output" == *"&ipv4=10.244.7.254" ]]
  run tunnel_pod_identifiers 10.88.0.0/16
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  render_tunnel_spec edge-1 10.88.0.0/16 seed.example.com 30132 "" | grep -q -- "--agent-identifiers=host=edge-1 "
}

@test "install_tunnel says that pods of a range wider than a /24 are not reachable from the apiserver" {
  downloaded "tunnel build 1"
  run install_tunnel edge-1 10.88.0.0/16 seed.example.com 30132 ""
  [ "$status" -eq 0 ]
  [[ "$output" == *"the pod range 10.88.0.0/16 is wider than a /24"*"webhooks and aggregated APIs served by pods on this device are not reachable"* ]]
}

@test "with the datacenter's proxy, the tunnel agent gets HTTPS_PROXY and NO_PROXY" {
  stub konnectivity-agent 'echo "HTTPS_PROXY=${HTTPS_PROXY-unset} NO_PROXY=${NO_PROXY-unset} http_proxy=${http_proxy-unset}"'
  TUNNEL_BIN="$STUBS/konnectivity-agent"
  mkdir -p "$TUNNEL_STATE"
  echo token >"$TUNNEL_TOKEN"
  render_tunnel_spec edge-1 10.244.3.0/24 203.0.113.10 30132 http://proxy.example.com:3128 10.0.0.0/8 .svc '*.example.com' >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run env -u http_proxy "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [ "$output" = "HTTPS_PROXY=http://proxy.example.com:3128 NO_PROXY=10.0.0.0/8,.svc,*.example.com http_proxy=unset" ]
}

@test "the tunnel's spec waits for the token the device agent writes, then starts the agent" {
  stub konnectivity-agent 'echo $$ >"'"$BATS_TEST_TMPDIR"'/agent.pid"; echo "agent started"'
  TUNNEL_BIN="$STUBS/konnectivity-agent"
  mkdir -p "$TUNNEL_STATE"
  render_tunnel_spec edge-1 10.244.3.0/24 seed.example.com 30132 "" >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  "$BATS_TEST_TMPDIR/spec" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  spec=$!
  for ((i = 0; i < 100; i++)); do
    grep -q "waiting for the tunnel token $TUNNEL_TOKEN" "$BATS_TEST_TMPDIR/out" && break
    sleep 0.1
  done
  grep -q "waiting for the tunnel token $TUNNEL_TOKEN" "$BATS_TEST_TMPDIR/out"
  sleep 1
  ! grep -q "agent started" "$BATS_TEST_TMPDIR/out" || false
  echo token >"$TUNNEL_TOKEN"
  timeout 10 tail --pid="$spec" -f /dev/null
  grep -qx "agent started" "$BATS_TEST_TMPDIR/out"
}

@test "stopping the tunnel's spec sends the agent the two SIGTERMs it needs (drain, then stop)" {
  stub konnectivity-agent '
echo $$ >"'"$BATS_TEST_TMPDIR"'/agent.pid"
signals=0
trap '\''signals=$((signals + 1)); echo "SIGTERM $signals"; ((signals < 2)) || exit 0'\'' TERM
echo running
while :; do sleep 0.1; done'
  TUNNEL_BIN="$STUBS/konnectivity-agent"
  mkdir -p "$TUNNEL_STATE"
  echo token >"$TUNNEL_TOKEN"
  render_tunnel_spec edge-1 10.244.3.0/24 seed.example.com 30132 "" >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  "$BATS_TEST_TMPDIR/spec" >"$BATS_TEST_TMPDIR/out" 2>&1 &
  spec=$!
  for ((i = 0; i < 100; i++)); do
    grep -q running "$BATS_TEST_TMPDIR/out" && break
    sleep 0.1
  done
  kill -TERM "$spec"
  status=0
  timeout 10 bash -c "while kill -0 $spec 2>/dev/null; do sleep 0.1; done" || status=$?
  [ "$status" -eq 0 ]
  [ "$(cat "$BATS_TEST_TMPDIR/out")" = $'running\nSIGTERM 1\nSIGTERM 2' ]
}

@test "the tunnel agent dies with its spec, even when the spec is killed" {
  stub konnectivity-agent 'echo $$ >"'"$BATS_TEST_TMPDIR"'/agent.pid"; while :; do sleep 0.1; done'
  TUNNEL_BIN="$STUBS/konnectivity-agent"
  mkdir -p "$TUNNEL_STATE"
  echo token >"$TUNNEL_TOKEN"
  render_tunnel_spec edge-1 10.244.3.0/24 seed.example.com 30132 "" >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  "$BATS_TEST_TMPDIR/spec" &
  spec=$!
  for ((i = 0; i < 100; i++)); do
    [ -s "$BATS_TEST_TMPDIR/agent.pid" ] && break
    sleep 0.1
  done
  agent="$(cat "$BATS_TEST_TMPDIR/agent.pid")"
  kill -0 "$agent"
  kill -KILL "$spec"
  status=0
  timeout 5 bash -c "while kill -0 $agent 2>/dev/null; do sleep 0.1; done" || status=$?
  [ "$status" -eq 0 ]
}

@test "the tunnel's systemd unit runs its spec and always restarts it, without being bound to the kubelet" {
  unit="$(render_tunnel_unit)"
  [[ "$unit" == "$MANAGED_MARKER."* ]]
  [[ "$unit" == *"ExecStart=$SVC_SPECS/edgeplane-tunnel"* ]]
  [[ "$unit" == *"Restart=always"* ]]
  [[ "$unit" == *"WantedBy=multi-user.target"* ]]
  [[ "$unit" != *Requires=* && "$unit" != *BindsTo=* && "$unit" != *PartOf=* ]]
}

@test "install_tunnel (service starter): binary, private state, hosts line, service; a second run changes nothing" {
  downloaded "tunnel build 1"
  run install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$status" -eq 0 ]
  [[ "$output" == *"installed $TUNNEL_BIN"* ]]
  [[ "$output" == *"created $TUNNEL_STATE (0700)"* ]]
  [[ "$output" == *"added '127.0.1.1 edge-1 $MANAGED_MARKER' to $HOSTS_FILE"* ]]
  [[ "$output" == *"wrote $SVC_SPECS/edgeplane-tunnel"* ]]
  [[ "$output" == *"started edgeplane-tunnel (pid 9)"* ]]
  [[ "$output" == *"the tunnel agent dials seed.example.com:30132; its health: http://127.0.0.1:8093/readyz"* ]]
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$(stat -c %a "$TUNNEL_BIN")" = 755 ]
  [ "$(stat -c %a "$TUNNEL_STATE")" = 700 ]
  grep -q -- "--proxy-server-host=seed.example.com" "$SVC_SPECS/edgeplane-tunnel"
  [ ! -e "$SYSTEMD_UNITS/edgeplane-tunnel.service" ]
  [ "$(grep -c edge-1 "$HOSTS_FILE")" -eq 1 ]

  TUNNEL_DOWNLOAD=""
  : >"$CALLS"
  run install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$status" -eq 0 ]
  [[ "$output" == *"node name edge-1 resolves to this device (127.0.1.1 in $HOSTS_FILE)"* ]]
  [[ "$output" == *"edgeplane-tunnel runs (pid 9) with its current configuration"* ]]
  [[ "$output" != *wrote* && "$output" != *installed* && "$output" != *added* && "$output" != *created* ]]
  ! grep -qE "edgeplane-service (start|restart)" "$CALLS" || false
}

@test "install_tunnel restarts the agent when its binary, its command line or the CA changed, never for a new token" {
  downloaded "tunnel build 1"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  restarts() { grep -c "edgeplane-service restart edgeplane-tunnel" "$CALLS" || true; }
  [ "$(restarts)" -eq 0 ]
  downloaded "tunnel build 2"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$(restarts)" -eq 1 ]
  TUNNEL_DOWNLOAD=""
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30133 ""
  [ "$(restarts)" -eq 2 ]
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30133 http://proxy.example.com:3128 localhost
  [ "$(restarts)" -eq 3 ]
  echo "-----BEGIN CERTIFICATE----- renewed" >"$CLUSTER_CA"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30133 http://proxy.example.com:3128 localhost
  [ "$(restarts)" -eq 4 ]
  echo "a new token" >"$TUNNEL_TOKEN"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30133 http://proxy.example.com:3128 localhost
  [ "$(restarts)" -eq 4 ]
}

@test "install_tunnel makes an existing state directory private again" {
  mkdir -p "$TUNNEL_STATE"
  chmod 0755 "$TUNNEL_STATE"
  run install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$status" -eq 0 ]
  [[ "$output" == *"made $TUNNEL_STATE private (0700)"* ]]
  [ "$(stat -c %a "$TUNNEL_STATE")" = 700 ]
}

@test "install_tunnel (systemd): writes its unit, enables and starts it once" {
  SERVICE_MANAGER=systemd
  install_build "tunnel build 1"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  grep -q "ExecStart=$SVC_SPECS/edgeplane-tunnel" "$SYSTEMD_UNITS/edgeplane-tunnel.service"
  grep -qx "systemctl enable --quiet edgeplane-tunnel" "$CALLS"
  grep -qx "systemctl start edgeplane-tunnel" "$CALLS"
  changes="$EDGEPLANE_CHANGES"
  : >"$CALLS"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  [ "$EDGEPLANE_CHANGES" -eq "$changes" ]
  ! grep -qE "systemctl (start|restart|enable) " "$CALLS" || false
}

@test "ensure_node_name_resolves adds no line when the name already resolves to this device or to loopback" {
  echo "edge-1 192.0.2.7" >"$DNS"
  run ensure_node_name_resolves edge-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"node name edge-1 resolves to 192.0.2.7, an address of this device"* ]]
  printf '%s\n' "127.0.0.1 localhost" "127.0.1.1 edge-2.site edge-2" >"$HOSTS_FILE"
  cp "$HOSTS_FILE" "$BATS_TEST_TMPDIR/before"
  run ensure_node_name_resolves edge-2
  [ "$status" -eq 0 ]
  [[ "$output" == *"node name edge-2 resolves to 127.0.1.1, an address of this device"* ]]
  cmp "$HOSTS_FILE" "$BATS_TEST_TMPDIR/before"
}

@test "ensure_node_name_resolves appends the line when the name resolves elsewhere or not at all, once" {
  echo "edge-1 198.51.100.20" >"$DNS"
  printf '%s' "10.0.0.5 gateway.site" >"$HOSTS_FILE" # no newline at the end
  ensure_node_name_resolves edge-1
  [ "$(cat "$HOSTS_FILE")" = "10.0.0.5 gateway.site
127.0.1.1 edge-1 $MANAGED_MARKER" ]
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  ensure_node_name_resolves edge-1
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  [ "$(getent ahostsv4 edge-1 | awk 'NR == 1 { print $1 }')" = 127.0.1.1 ]
  ensure_node_name_resolves edge-3
  [ "$(grep -c "$MANAGED_MARKER" "$HOSTS_FILE")" -eq 1 ]
  [ "$(tail -n1 "$HOSTS_FILE")" = "127.0.1.1 edge-3 $MANAGED_MARKER" ]
}

@test "ensure_node_name_resolves warns when an operator's line still sends the name elsewhere" {
  printf '%s\n' "198.51.100.20 edge-1" >"$HOSTS_FILE"
  run ensure_node_name_resolves edge-1
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: node name edge-1 still resolves to 198.51.100.20, not to this device"* ]]
  [ "$(head -n1 "$HOSTS_FILE")" = "198.51.100.20 edge-1" ]
}

@test "remove_tunnel stops the service and removes binary, token and exactly Edgeplane's hosts lines" {
  install_build "tunnel build 1"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  echo token >"$TUNNEL_TOKEN"
  printf '%s\n' "# the operator's" "127.0.1.1 edge-1" "127.0.1.1 edge-1 # Managed by someone else" >>"$HOSTS_FILE"
  run remove_tunnel
  [ "$status" -eq 0 ]
  [[ "$output" == *"stopped edgeplane-tunnel"* ]]
  grep -qx "edgeplane-service stop edgeplane-tunnel" "$CALLS"
  [ ! -e "$TUNNEL_BIN" ] && [ ! -e "$TUNNEL_STATE" ] && [ ! -e "$SVC_SPECS/edgeplane-tunnel" ]
  [ ! -e "$SERVICE_FINGERPRINTS/edgeplane-tunnel" ]
  [ "$(cat "$HOSTS_FILE")" = "127.0.0.1 localhost
10.0.0.5 gateway.site
# the operator's
127.0.1.1 edge-1
127.0.1.1 edge-1 # Managed by someone else" ]

  run remove_tunnel
  [ "$status" -eq 0 ]
  [[ "$output" != *removed* && "$output" != *stopped* ]]
}

@test "remove_tunnel (systemd) disables the unit and removes it" {
  SERVICE_MANAGER=systemd
  install_build "tunnel build 1"
  install_tunnel edge-1 10.244.3.0/24 seed.example.com 30132 ""
  remove_tunnel
  grep -qx "systemctl disable --now --quiet edgeplane-tunnel" "$CALLS"
  grep -qx "systemctl daemon-reload" "$CALLS"
  [ ! -e "$SYSTEMD_UNITS/edgeplane-tunnel.service" ]
}

@test "a hosts file that cannot be renamed over (a bind mount) is rewritten in place, keeping its mode" {
  ensure_node_name_resolves edge-1
  chmod 0644 "$HOSTS_FILE"
  stub mv 'exit 1'
  remove_node_name_lines ""
  [ "$(cat "$HOSTS_FILE")" = $'127.0.0.1 localhost\n10.0.0.5 gateway.site' ]
  [ "$(stat -c %a "$HOSTS_FILE")" = 644 ]
  [ -z "$(find "$ROOT/etc" -maxdepth 1 -name '.*edgeplane-tmp')" ]
}
