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
