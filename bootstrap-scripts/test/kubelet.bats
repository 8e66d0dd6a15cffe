#!/usr/bin/env bats
# lib/kubelet.sh: the kubelet's files and the wait for its Node, with stubbed commands.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  source "$BATS_TEST_DIRNAME/../lib/kubelet.sh"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  ROOT="$BATS_TEST_TMPDIR/root"
  KUBELET_BIN="$STUBS/kubelet"
  NODE_NAME_FILE="$ROOT/etc/edgeplane/node-name"
  KUBELET_KUBECONFIG="$ROOT/etc/kubernetes/kubelet.conf"
  KUBELET_CLIENT_CERT="$ROOT/var/lib/kubelet/pki/kubelet-client-current.pem"
  CLUSTER_CA="$ROOT/etc/kubernetes/pki/ca.crt"
  SVC_LOGS="$ROOT/var/log/edgeplane"
  SERVICE_MANAGER=supervisor
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "taint_parts splits key, value and effect; the value may be empty" {
  [ "$(taint_parts example.com/dedicated=edge:NoSchedule | paste -sd'|')" = "example.com/dedicated|edge|NoSchedule" ]
  [ "$(taint_parts gpu=:NoExecute | paste -sd'|')" = "gpu||NoExecute" ]
}

@test "render_kubelet_config: TLS bootstrap, rotation, cgroup v1 allowed, taints as quoted strings" {
  config="$(render_kubelet_config cgroupfs /edgeplane/edge-1 true /etc/resolv.conf "" example.com/dedicated=edge:NoSchedule flag=true:NoExecute)"
  [[ "$config" == *"serverTLSBootstrap: true"* ]]
  [[ "$config" == *"rotateCertificates: true"* ]]
  [[ "$config" == *"failCgroupV1: false"* ]]
  [[ "$config" == *"cgroupDriver: cgroupfs"* ]]
  [[ "$config" == *"cgroupRoot: /edgeplane/edge-1"* ]]
  [[ "$config" == *"failSwapOn: true"* ]]
  [[ "$config" == *$'- key: "example.com/dedicated"\n  value: "edge"\n  effect: "NoSchedule"'* ]]
  [[ "$config" == *$'- key: "flag"\n  value: "true"\n  effect: "NoExecute"'* ]]
  if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    python3 -c 'import yaml,sys; c=yaml.safe_load(sys.stdin); assert c["registerWithTaints"][1]["value"] == "true"' <<<"$config"
  fi
}

@test "render_kubelet_config without taints or cgroup root" {
  config="$(render_kubelet_config systemd "" false /run/systemd/resolve/resolv.conf "")"
  [[ "$config" == *"registerWithTaints: []"* ]]
  [[ "$config" != *cgroupRoot* ]]
  [[ "$config" == *"failSwapOn: false"* ]]
}

@test "the kubelet spec passes node name, labels and node IP as single arguments" {
  stub kubelet 'printf "%s\n" "$@"'
  render_kubelet_spec edge-1 10.0.0.7 "" site=hamburg example.com/tier=edge >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [[ "$output" == *"--hostname-override=edge-1"* ]]
  [[ "$output" == *$'\n--node-labels=site=hamburg,example.com/tier=edge\n'* ]]
  [[ "$output" == *"--node-ip=10.0.0.7"* ]]
  [[ "$output" == *"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf"* ]]
}

@test "the kubelet spec has no --node-labels or --node-ip when there are none" {
  spec="$(render_kubelet_spec edge-1 "" "")"
  [[ "$spec" != *node-labels* && "$spec" != *node-ip* ]]
}

@test "render_kubelet_config gives pods the cluster DNS address and domain only with cluster services" {
  config="$(render_kubelet_config systemd "" true /etc/resolv.conf 169.254.20.10 gpu=:NoExecute)"
  [[ "$config" == *$'staticPodPath: /etc/kubernetes/manifests\nclusterDNS:\n- 169.254.20.10\nclusterDomain: cluster.local\n'* ]]
  if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
    python3 -c 'import yaml,sys; c=yaml.safe_load(sys.stdin); assert c["clusterDNS"] == ["169.254.20.10"] and c["clusterDomain"] == "cluster.local" and c["registerWithTaints"][0]["key"] == "gpu"' <<<"$config"
  fi
  config="$(render_kubelet_config systemd "" true /etc/resolv.conf "")"
  [[ "$config" != *clusterDNS* && "$config" != *clusterDomain* ]]
}

@test "the kubelet spec sets up the cluster DNS interface before the kubelet, idempotently, and without it none" {
  calls="$BATS_TEST_TMPDIR/calls"
  export calls
  # An ip that knows the interface once it was added.
  stub ip 'echo "ip $*" >>"$calls"
case "$1 $2" in
  "link show") grep -q "^ip link add" "$calls" ;;
esac'
  stub kubelet 'echo "kubelet $1" >>"$calls"'
  render_kubelet_spec edge-1 "" 169.254.20.10 >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  "$BATS_TEST_TMPDIR/spec"
  "$BATS_TEST_TMPDIR/spec"
  [ "$(cat "$calls")" = "$(printf '%s\n' "ip link show edgeplane-dns" "ip link add edgeplane-dns type dummy" \
    "ip addr replace 169.254.20.10/32 dev edgeplane-dns" "ip link set edgeplane-dns up" "kubelet --config=/var/lib/kubelet/config.yaml" \
    "ip link show edgeplane-dns" \
    "ip addr replace 169.254.20.10/32 dev edgeplane-dns" "ip link set edgeplane-dns up" "kubelet --config=/var/lib/kubelet/config.yaml")" ]
  spec="$(render_kubelet_spec edge-1 "" "")"
  [[ "$spec" != *edgeplane-dns* ]]
}

@test "the kubelet spec makes the cluster DNS interface a bridge where the kernel has no dummy interfaces" {
  calls="$BATS_TEST_TMPDIR/calls"
  export calls
  stub ip 'echo "ip $*" >>"$calls"
case "$*" in
  "link show"*) exit 1 ;;
  *"type dummy") echo "Error: Unknown device type." >&2; exit 2 ;;
esac'
  stub kubelet 'echo "kubelet $1" >>"$calls"'
  render_kubelet_spec edge-1 "" 169.254.20.10 >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  grep -qx "ip link add edgeplane-dns type bridge" "$calls"
  grep -qx "ip link set edgeplane-dns up" "$calls"
}

@test "the kubelet starts even when the cluster DNS interface cannot be made, saying so" {
  stub ip 'exit 2'
  stub kubelet 'echo "kubelet runs"'
  render_kubelet_spec edge-1 "" 169.254.20.10 >"$BATS_TEST_TMPDIR/spec"
  chmod +x "$BATS_TEST_TMPDIR/spec"
  run "$BATS_TEST_TMPDIR/spec"
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: cannot put the cluster DNS address 169.254.20.10 on edgeplane-dns: pods get no cluster DNS"* ]]
  [[ "$output" == *"kubelet runs"* ]]
}

@test "the bootstrap kubeconfig carries the token and verifies the server with the CA file" {
  config="$(render_bootstrap_kubeconfig https://10.0.0.1:6443 abcdef.0123456789abcdef)"
  [[ "$config" == *"server: https://10.0.0.1:6443"* ]]
  [[ "$config" == *"certificate-authority: $CLUSTER_CA"* ]]
  [[ "$config" == *"token: abcdef.0123456789abcdef"* ]]
  [[ "$config" != *insecure-skip-tls-verify* ]]
}

@test "kubelet_credentials_stale: another node's or another apiserver's credentials are stale" {
  run ! kubelet_credentials_stale edge-1 https://10.0.0.1:6443
  mkdir -p "$(dirname "$KUBELET_KUBECONFIG")" "$(dirname "$NODE_NAME_FILE")"
  echo "    server: https://10.0.0.1:6443" >"$KUBELET_KUBECONFIG"
  echo edge-1 >"$NODE_NAME_FILE"
  stub openssl 'exit 0'
  run ! kubelet_credentials_stale edge-1 https://10.0.0.1:6443
  [ "$(kubelet_credentials_stale edge-2 https://10.0.0.1:6443)" = "they belong to node 'edge-1'" ]
  [ "$(kubelet_credentials_stale edge-1 https://10.0.0.9:6443)" = "they are for another apiserver" ]
}

@test "kubelet_credentials_stale: a client certificate the CA did not issue is stale" {
  mkdir -p "$(dirname "$KUBELET_CLIENT_CERT")" "$(dirname "$NODE_NAME_FILE")"
  touch "$KUBELET_CLIENT_CERT"
  echo edge-1 >"$NODE_NAME_FILE"
  stub openssl 'exit 2'
  [ "$(kubelet_credentials_stale edge-1 https://10.0.0.1:6443)" = "the cluster CA did not issue them" ]
}

@test "node_registered asks for its own Node with its client certificate, TLS verified" {
  mkdir -p "$(dirname "$KUBELET_CLIENT_CERT")"
  echo "-----BEGIN CERTIFICATE-----" >"$KUBELET_CLIENT_CERT"
  stub curl 'echo "$@" >"$BATS_TEST_TMPDIR/curl"; echo 200'
  node_registered edge-1 https://10.0.0.1:6443
  args="$(cat "$BATS_TEST_TMPDIR/curl")"
  [[ "$args" == *"--cacert $CLUSTER_CA"* ]]
  [[ "$args" == *"--cert $KUBELET_CLIENT_CERT"* ]]
  [[ "$args" == *"https://10.0.0.1:6443/api/v1/nodes/edge-1" ]]
  [[ " $args " != *" -k "* && "$args" != *--insecure* ]]
  stub curl 'echo 403'
  run ! node_registered edge-1 https://10.0.0.1:6443
}

@test "node_registered is false before the kubelet has a client certificate" {
  stub curl 'echo 200'
  run ! node_registered edge-1 https://10.0.0.1:6443
}

@test "wait_for_registration gives up after its timeout with the kubelet's last log lines" {
  mkdir -p "$SVC_LOGS"
  echo "kubelet: x509: certificate signed by unknown authority" >"$SVC_LOGS/kubelet.log"
  run wait_for_registration edge-1 https://10.0.0.1:6443 1
  [ "$status" -eq 1 ]
  [[ "$output" == *"node edge-1 did not register within 1 s"* ]]
  [[ "$output" == *"certificate signed by unknown authority"* ]]
}
