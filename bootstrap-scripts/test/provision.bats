#!/usr/bin/env bats
# provision.sh and deprovision.sh as a whole, unrendered (values from EDGEPLANE_VALUES_FILE), only
# on paths that stop before changing anything: this runs on the developer's machine.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/host.sh"
  VALUES="$BATS_TEST_TMPDIR/values.sh"
  # An OS other than this machine's, so that the script stops at the OS check at the latest.
  if [[ "$(os_id)" == ubuntu-20.04 ]]; then other_os=ubuntu-22.04; else other_os=ubuntu-20.04; fi
  cat >"$VALUES" <<VALUES
EP_NODE_NAME='edge-1'
EP_OS='$other_os'
EP_ARCH='amd64'
EP_NODE_LABELS=()
EP_TAINTS=()
EP_APISERVER_URL='https://10.0.0.1:6443'
EP_CA_CERT='-----BEGIN CERTIFICATE-----'
EP_BOOTSTRAP_TOKEN='abcdef.0123456789abcdef'
EP_KUBERNETES_VERSION='v1.36.3'
EP_KUBELET_URL='https://mirror.invalid/kubelet'
EP_KUBELET_SHA256='0000000000000000000000000000000000000000000000000000000000000000'
EP_AGENT_URL='https://mirror.invalid/edgeplane-device'
EP_AGENT_SHA256='0000000000000000000000000000000000000000000000000000000000000000'
EP_MIRROR_CA_CERT='-----BEGIN CERTIFICATE-----'
EP_TUNNEL_AGENT_URL='https://mirror.invalid/konnectivity-agent'
EP_TUNNEL_AGENT_SHA256='0000000000000000000000000000000000000000000000000000000000000000'
EP_TUNNEL_SERVER_HOST='seed.invalid'
EP_TUNNEL_SERVER_PORT='30132'
EP_POD_CIDR='10.244.3.0/24'
EP_KUBE_PROXY_URL='https://mirror.invalid/kube-proxy'
EP_KUBE_PROXY_SHA256='0000000000000000000000000000000000000000000000000000000000000000'
EP_COREDNS_URL='https://mirror.invalid/coredns'
EP_COREDNS_SHA256='0000000000000000000000000000000000000000000000000000000000000000'
EP_COREDNS_VERSION='v1.14.7'
EP_CLUSTER_CIDR='10.244.0.0/16'
EP_POD_NETWORK_HOST=''
EP_POD_NETWORK_PORT=''
EP_POD_NETWORK_NAME=''
EP_HTTP_PROXY=''
EP_NO_PROXY=()
EP_REGISTRY_MIRRORS=()
EP_INSECURE_REGISTRIES=()
EP_PAUSE_IMAGE=''
VALUES
}

@test "unrendered and without a values file, provision.sh explains itself and runs nothing" {
  run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -ne 0 ]
  [[ "$output" == *"rendered by machine-provisioner"* ]]
}

@test "on another OS provision.sh fails in step preflight, naming it, and never shows the token" {
  EDGEPLANE_VALUES_FILE="$VALUES" run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[preflight] ERROR:"* ]]
  [[ "$output" == *"provisioning of node edge-1 FAILED in step [preflight]"* ]]
  if [[ "$(id -u)" -eq 0 ]]; then
    [[ "$output" == *"but the script was rendered for $other_os"* ]]
  fi
  [[ "$output" != *0123456789abcdef* ]]
}

@test "a bad knob is refused in step preflight" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  sed -i "s/^EP_OS=.*/EP_OS='$(os_id)'/" "$VALUES"
  sed -i "s/^EP_ARCH=.*/EP_ARCH='$(host_arch)'/" "$VALUES"
  EDGEPLANE_VALUES_FILE="$VALUES" EDGEPLANE_SWAP=sometimes run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_SWAP must be off or keep, not: sometimes"* ]]
  [[ "$output" == *"FAILED in step [preflight]"* ]]
}

@test "a loopback or foreign node address is refused in step preflight, naming EDGEPLANE_NODE_IP" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  sed -i "s/^EP_OS=.*/EP_OS='$(os_id)'/" "$VALUES"
  sed -i "s/^EP_ARCH=.*/EP_ARCH='$(host_arch)'/" "$VALUES"
  EDGEPLANE_VALUES_FILE="$VALUES" EDGEPLANE_NODE_IP=127.0.0.1 run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[preflight] ERROR: EDGEPLANE_NODE_IP=127.0.0.1 is a loopback address"*"without any address"* ]]
  [[ "$output" == *"FAILED in step [preflight]"* ]]
  [[ "$output" != *"[download]"* ]]
  EDGEPLANE_VALUES_FILE="$VALUES" EDGEPLANE_NODE_IP=198.51.100.254 run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[preflight] ERROR: EDGEPLANE_NODE_IP=198.51.100.254 is not assigned to any interface of this device"* ]]
}

@test "an incomplete tunnel input is refused in step preflight" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  sed -i "s/^EP_OS=.*/EP_OS='$(os_id)'/" "$VALUES"
  sed -i "s/^EP_ARCH=.*/EP_ARCH='$(host_arch)'/" "$VALUES"
  sed -i "s/^EP_TUNNEL_SERVER_PORT=.*/EP_TUNNEL_SERVER_PORT='70000'/" "$VALUES"
  EDGEPLANE_VALUES_FILE="$VALUES" run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"EP_TUNNEL_SERVER_PORT must be a port from 1 to 65535, not: 70000"* ]]
  sed -i "s/^EP_TUNNEL_SERVER_HOST=.*/EP_TUNNEL_SERVER_HOST=''/" "$VALUES"
  EDGEPLANE_VALUES_FILE="$VALUES" run bash "$BATS_TEST_DIRNAME/../provision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"EP_TUNNEL_AGENT_URL, EP_TUNNEL_AGENT_SHA256 and EP_TUNNEL_SERVER_HOST must all be set, or none"* ]]
}

@test "an incomplete or malformed cluster services input is refused in step preflight, naming it" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  sed -i "s/^EP_OS=.*/EP_OS='$(os_id)'/" "$VALUES"
  sed -i "s/^EP_ARCH=.*/EP_ARCH='$(host_arch)'/" "$VALUES"
  # Without a tunnel, so that its check cannot fail first.
  sed -i -E "s/^(EP_TUNNEL_[A-Z0-9_]+)=.*/\1=''/" "$VALUES"
  for bad in "EP_CLUSTER_CIDR='10.244.0.1/16'|EP_CLUSTER_CIDR must be an IPv4 network such as 10.244.0.0/16, not: 10.244.0.1/16" \
    "EP_COREDNS_VERSION='latest'|EP_COREDNS_VERSION must be a version such as v1.14.7, not: latest" \
    "EP_COREDNS_SHA256='ABC'|EP_COREDNS_SHA256 must be 64 lowercase hexadecimal digits, not: ABC" \
    "EP_KUBE_PROXY_URL='ftp://mirror.invalid/kube-proxy'|EP_KUBE_PROXY_URL must be an http(s) URL" \
    "EP_KUBE_PROXY_SHA256=''|EP_KUBE_PROXY_URL, EP_KUBE_PROXY_SHA256, EP_COREDNS_URL, EP_COREDNS_SHA256, EP_COREDNS_VERSION and EP_CLUSTER_CIDR must all be set, or none"; do
    cp "$VALUES" "$VALUES.bad"
    echo "${bad%%|*}" >>"$VALUES.bad"
    EDGEPLANE_VALUES_FILE="$VALUES.bad" run bash "$BATS_TEST_DIRNAME/../provision.sh"
    [ "$status" -eq 1 ]
    [[ "$output" == *"[preflight] ERROR: ${bad#*|}"* ]]
    [[ "$output" == *"FAILED in step [preflight]"* ]]
  done
}

@test "an incomplete or malformed pod network input is refused in step preflight, naming it" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  sed -i "s/^EP_OS=.*/EP_OS='$(os_id)'/" "$VALUES"
  sed -i "s/^EP_ARCH=.*/EP_ARCH='$(host_arch)'/" "$VALUES"
  sed -i -E "s/^(EP_TUNNEL_[A-Z0-9_]+)=.*/\1=''/" "$VALUES"
  good="EP_POD_NETWORK_HOST='203.0.113.10' EP_POD_NETWORK_PORT='8134' EP_POD_NETWORK_NAME='cabc.pod-network.edgeplane.invalid'"
  for bad in "EP_POD_NETWORK_PORT='0'|EP_POD_NETWORK_PORT must be a port from 1 to 65535, not: 0" \
    "EP_POD_NETWORK_NAME='Not A Name'|EP_POD_NETWORK_NAME must be a DNS name, not: Not A Name" \
    "EP_POD_NETWORK_HOST=''|EP_POD_NETWORK_HOST, EP_POD_NETWORK_PORT and EP_POD_NETWORK_NAME must all be set, or none" \
    "EP_POD_CIDR='10.88.3.0/24'|EP_POD_CIDR=10.88.3.0/24 must lie inside the cluster's pod range 10.244.0.0/16 for the cluster's pod network"; do
    cp "$VALUES" "$VALUES.bad"
    echo "$good" >>"$VALUES.bad"
    echo "${bad%%|*}" >>"$VALUES.bad"
    EDGEPLANE_VALUES_FILE="$VALUES.bad" run bash "$BATS_TEST_DIRNAME/../provision.sh"
    [ "$status" -eq 1 ]
    [[ "$output" == *"[preflight] ERROR: ${bad#*|}"* ]]
  done
}

@test "deprovision.sh refuses a device provisioned as another node" {
  [[ "$(id -u)" -eq 0 ]] || skip "needs root to get past the root check"
  [[ ! -e /etc/edgeplane/node-name ]] || skip "this machine is an Edgeplane node"
  # A copy of the script whose every path lies in the test's directory: nothing on this machine is touched.
  scripts="$BATS_TEST_TMPDIR/scripts"
  root="$BATS_TEST_TMPDIR/root"
  mkdir -p "$scripts" "$root/etc/edgeplane"
  cp -r "$BATS_TEST_DIRNAME/../deprovision.sh" "$BATS_TEST_DIRNAME/../lib" "$scripts/"
  sed -i -E "s#^( *[A-Z_]+)=/#\1=$root/#" "$scripts/lib/layout.sh" "$scripts/lib/service-starter.sh"
  [ -z "$(grep -hE '^ *[A-Z_]+=/' "$scripts/lib/layout.sh" "$scripts/lib/service-starter.sh" | grep -v "=$root/")" ]
  grep -q "EDGEPLANE_ETC=$root/etc/edgeplane" "$scripts/lib/layout.sh"
  echo edge-2 >"$root/etc/edgeplane/node-name"
  EDGEPLANE_VALUES_FILE="$VALUES" run bash "$scripts/deprovision.sh"
  [ "$status" -eq 1 ]
  [[ "$output" == *"this device is node edge-2, not edge-1: refusing to deprovision it"* ]]
  [[ "$output" == *"FAILED in step [preflight]"* ]]
}
