#!/usr/bin/env bats
# lib/containerd.sh: containerd's configuration from the node settings, with stubbed commands.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/containerd.sh"
  CONTAINERD_CERTS_D="$BATS_TEST_TMPDIR/certs.d"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "render_containerd_config sets the sandbox image, cgroup driver, OOM clamp and CNI directory" {
  config="$(render_containerd_config registry.example:5000/pause:3.10 true true /usr/lib/cni)"
  [[ "$config" == *'sandbox_image = "registry.example:5000/pause:3.10"'* ]]
  [[ "$config" == *"SystemdCgroup = true"* ]]
  [[ "$config" == *"restrict_oom_score_adj = true"* ]]
  [[ "$config" == *'bin_dir = "/usr/lib/cni"'* ]]
  [[ "$config" == *"config_path = \"$CONTAINERD_CERTS_D\""* ]]
  [[ "$config" == "# Managed by Edgeplane provisioning"* ]]
}

@test "render_containerd_config keeps containerd's default sandbox image when none is given" {
  config="$(render_containerd_config "" false false /opt/cni/bin)"
  [[ "$config" != *sandbox_image* ]]
  [[ "$config" == *"SystemdCgroup = false"* ]]
}

@test "render_containerd_env sets the proxy for pulls, or nothing" {
  [ "$(render_containerd_env "" | grep -c =)" -eq 0 ]
  env="$(render_containerd_env http://proxy.example:3128 10.0.0.0/8 .svc localhost)"
  [[ "$env" == *"HTTP_PROXY=http://proxy.example:3128"* ]]
  [[ "$env" == *"HTTPS_PROXY=http://proxy.example:3128"* ]]
  [[ "$env" == *"NO_PROXY=10.0.0.0/8,.svc,localhost"* ]]
}

@test "write_registry_hosts sends docker.io through the mirrors and insecure registries over HTTP" {
  write_registry_hosts 2 https://mirror-a.example https://mirror-b.example 10.0.0.1:5000
  hosts="$(cat "$CONTAINERD_CERTS_D/docker.io/hosts.toml")"
  [[ "$hosts" == *'server = "https://registry-1.docker.io"'* ]]
  [[ "$hosts" == *'[host."https://mirror-a.example"]'*'[host."https://mirror-b.example"]'* ]]
  insecure="$(cat "$CONTAINERD_CERTS_D/10.0.0.1:5000/hosts.toml")"
  [[ "$insecure" == *'server = "http://10.0.0.1:5000"'* ]]
  [[ "$insecure" == *'[host."http://10.0.0.1:5000"]'* ]]
}

@test "write_registry_hosts removes its own stale entries and keeps the operator's" {
  mkdir -p "$CONTAINERD_CERTS_D/operator.example"
  echo 'server = "https://operator.example"' >"$CONTAINERD_CERTS_D/operator.example/hosts.toml"
  write_registry_hosts 1 https://mirror.example 10.0.0.1:5000
  write_registry_hosts 0 10.0.0.2:5000
  [ ! -e "$CONTAINERD_CERTS_D/docker.io" ]
  [ ! -e "$CONTAINERD_CERTS_D/10.0.0.1:5000" ]
  [ -f "$CONTAINERD_CERTS_D/10.0.0.2:5000/hosts.toml" ]
  [ -f "$CONTAINERD_CERTS_D/operator.example/hosts.toml" ]
  before="$EDGEPLANE_CHANGES"
  write_registry_hosts 0 10.0.0.2:5000
  [ "$EDGEPLANE_CHANGES" -eq "$before" ]
}

@test "valid_ipv4_cidr accepts a pod range and refuses others" {
  valid_ipv4_cidr 10.88.0.0/16
  valid_ipv4_cidr 192.168.7.0/24
  run ! valid_ipv4_cidr 10.88.0.0
  run ! valid_ipv4_cidr 300.1.1.1/16
  run ! valid_ipv4_cidr 10.0.0.0/4
  run ! valid_ipv4_cidr '10.0.0.0/16;reboot'
  valid_ipv4_cidr 10.244.3.0/24
  run ! valid_ipv4_cidr 10.88.0.1/16
  run ! valid_ipv4_cidr 10.244.3.128/24
}

@test "cidr_within: a device's range inside the cluster's, and not outside or wider" {
  cidr_within 10.244.3.0/24 10.244.0.0/16
  cidr_within 10.244.0.0/16 10.244.0.0/16
  cidr_within 10.1.2.3/32 10.0.0.0/8
  run ! cidr_within 10.245.3.0/24 10.244.0.0/16
  run ! cidr_within 10.0.0.0/8 10.244.0.0/16
  run ! cidr_within 192.168.1.0/24 10.244.0.0/16
}

@test "proxy_applies follows NO_PROXY: exact hosts, domains, IPv4 ranges and *" {
  proxy_applies seed.example.com
  proxy_applies seed.example.com other.example.com 10.0.0.0/8
  run ! proxy_applies seed.example.com seed.example.com
  run ! proxy_applies seed.example.com .example.com
  run ! proxy_applies seed.example.com example.com
  run proxy_applies seed.example.com ample.com
  [ "$status" -eq 0 ]
  run ! proxy_applies 203.0.113.10 203.0.113.0/24
  proxy_applies 203.0.113.10 198.51.100.0/24
  run ! proxy_applies 203.0.113.10 203.0.113.10
  run ! proxy_applies anything '*'
}

@test "select_pod_cidr: the seed's range wins over the knob, which wins over the default" {
  select_pod_cidr "" ""
  [ "$POD_CIDR" = 10.88.0.0/16 ] && [ "$POD_CIDR_SOURCE" = EDGEPLANE_POD_CIDR ]
  select_pod_cidr "" 10.99.0.0/16
  [ "$POD_CIDR" = 10.99.0.0/16 ] && [ "$POD_CIDR_SOURCE" = EDGEPLANE_POD_CIDR ]
  select_pod_cidr 10.244.3.0/24 ""
  [ "$POD_CIDR" = 10.244.3.0/24 ] && [ "$POD_CIDR_SOURCE" = EP_POD_CIDR ]
  run select_pod_cidr 10.244.3.0/24 10.99.0.0/16
  [[ "$output" == *"WARNING: EDGEPLANE_POD_CIDR=10.99.0.0/16 is not used: the seed allocated the pod range 10.244.3.0/24 to this device"* ]]
  select_pod_cidr 10.244.3.0/24 10.99.0.0/16 2>/dev/null
  [ "$POD_CIDR" = 10.244.3.0/24 ]
}

@test "pod_gateway is the range's first address with its prefix length, as the bridge plugin sets it" {
  [ "$(pod_gateway 10.88.0.0/16)" = 10.88.0.1/16 ]
  [ "$(pod_gateway 10.244.3.0/24)" = 10.244.3.1/24 ]
  [ "$(pod_gateway 10.244.255.0/24)" = 10.244.255.1/24 ]
}

# A pod bridge (its address in $BATS_TEST_TMPDIR/bridge, absent without one), a containerd holding
# the pods' containers, and a service starter running the kubelet and containerd.
pod_network_stubs() {
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  source "$BATS_TEST_DIRNAME/../lib/pods.sh"
  PATH="$STUBS:$PATH"
  export CALLS="$BATS_TEST_TMPDIR/calls" STATE="$BATS_TEST_TMPDIR"
  CNI_STATE="$BATS_TEST_TMPDIR/cni/networks/edgeplane"
  CNI_NETNS="$BATS_TEST_TMPDIR/netns"
  mkdir -p "$CNI_STATE" "$CNI_NETNS"
  echo 10.88.0.5 >"$CNI_STATE/last_reserved_ip.0"
  SVC_PROGRAM="$STUBS/edgeplane-service"
  SERVICE_MANAGER=supervisor
  touch "$STATE/running-kubelet" "$STATE/running-containerd"
  echo "pod-a pod-b" >"$STATE/containers"
  stub ip '
echo "ip $*" >>"$CALLS"
case "$*" in
  "-o -4 addr show dev cni0") [ -e "$STATE/bridge" ] && echo "5: cni0    inet $(cat "$STATE/bridge") scope global cni0" || { echo "Device "cni0" does not exist." >&2; exit 1; } ;;
  "link show cni0") [ -e "$STATE/bridge" ] ;;
  "link delete cni0") rm "$STATE/bridge" ;;
esac'
  stub ctr '
echo "ctr $*" >>"$CALLS"
case "$*" in
  *" version") ;;
  *" tasks list -q"|*" containers list -q") cat "$STATE/containers" ;;
  *" containers delete "*) sed -i "s/${*: -1}//" "$STATE/containers" ;;
esac'
  stub edgeplane-service '
echo "edgeplane-service $*" >>"$CALLS"
case "$1" in
  status) [ -e "$STATE/running-$2" ] && echo 7 ;;
  start | restart) touch "$STATE/running-$2" ;;
  stop) rm -f "$STATE/running-$2" ;;
esac'
}

@test "move_pod_network leaves a bridge of the current range, and a node without one, alone" {
  pod_network_stubs
  echo 10.244.3.1/24 >"$BATS_TEST_TMPDIR/bridge"
  run move_pod_network 10.244.3.0/24
  [ "$status" -eq 0 ] && [ -z "$output" ]
  rm "$BATS_TEST_TMPDIR/bridge"
  run move_pod_network 10.244.3.0/24
  [ "$status" -eq 0 ] && [ -z "$output" ]
  ! grep -qE "edgeplane-service (stop|restart)|containers delete" "$CALLS" || false
  [ -e "$CNI_STATE/last_reserved_ip.0" ]
}

@test "move_pod_network: after the range changed, the kubelet stops and the pods, their addresses and the bridge go, bridge last" {
  pod_network_stubs
  echo 10.88.0.1/16 >"$BATS_TEST_TMPDIR/bridge"
  touch "$CNI_NETNS/cni-1234"
  run move_pod_network 10.244.3.0/24
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: the pod range is now 10.244.3.0/24, but the pod bridge cni0 has 10.88.0.1/16: every pod of this node restarts in the new range"* ]]
  [[ "$output" == *"stopped the kubelet while its pods move to 10.244.3.0/24"* ]]
  [[ "$output" == *"removed 2 container(s) of the node's pods"* ]]
  [[ "$output" == *"removed the pod bridge cni0"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/running-kubelet" ]
  [ ! -e "$CNI_STATE" ] && [ ! -e "$CNI_NETNS/cni-1234" ] && [ ! -e "$BATS_TEST_TMPDIR/bridge" ]
  grep -qx "edgeplane-service restart containerd" "$CALLS"
  [ "$(grep -nx "edgeplane-service stop kubelet" "$CALLS" | cut -d: -f1)" -lt "$(grep -n "containers delete" "$CALLS" | head -n1 | cut -d: -f1)" ]
  [ "$(tail -n1 "$CALLS")" = "ip link delete cni0" ]

  # Done: the next run finds nothing to move (the start step starts the kubelet again).
  : >"$CALLS"
  run move_pod_network 10.244.3.0/24
  [ "$status" -eq 0 ] && [ -z "$output" ]
}

@test "move_pod_network completes a move that a killed run left half done" {
  pod_network_stubs
  echo 10.88.0.1/16 >"$BATS_TEST_TMPDIR/bridge"
  rm "$BATS_TEST_TMPDIR/running-kubelet" # stopped by the killed run
  : >"$BATS_TEST_TMPDIR/containers"     # and its pods' containers removed
  run move_pod_network 10.244.3.0/24
  [ "$status" -eq 0 ]
  [[ "$output" == *"removed the pod bridge cni0"* ]]
  [[ "$output" != *"stopped the kubelet"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/bridge" ]
}

@test "render_cni_config is a bridge network with the pod range, as JSON" {
  config="$(render_cni_config 10.88.0.0/16)"
  [[ "$config" == *'"subnet": "10.88.0.0/16"'* ]]
  [[ "$config" == *'"type": "bridge"'* && "$config" == *'"type": "portmap"'* ]]
  if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$config"
  fi
}

@test "ensure_containerd_installed installs only what is missing, through the proxy" {
  for tool in bash date awk cat cut; do ln -s "$(command -v "$tool")" "$STUBS/$tool"; done
  stub containerd 'echo "containerd github.com/containerd/containerd 1.7.12 x"'
  stub dpkg 'true'
  stub apt-get 'echo "$* proxy=${https_proxy:-}" >>"$BATS_TEST_TMPDIR/apt"'
  EP_HTTP_PROXY=http://proxy.example:3128
  EP_NO_PROXY=(localhost)
  PATH="$STUBS" run ensure_containerd_installed none
  [ "$status" -eq 0 ]
  grep -q 'install -y -q --no-install-recommends runc proxy=http://proxy.example:3128' "$BATS_TEST_TMPDIR/apt"
  [[ "$output" == *"containerd 1.7.12 installed"* ]]

  stub runc 'true'
  : >"$BATS_TEST_TMPDIR/apt"
  PATH="$STUBS" run ensure_containerd_installed none
  [ "$status" -eq 0 ]
  [ ! -s "$BATS_TEST_TMPDIR/apt" ]
}
