#!/usr/bin/env bats
# Unit tests of lib.sh with stubbed commands.

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "host_arch maps kernel names to Kubernetes names" {
  stub uname 'echo x86_64'
  [ "$(host_arch)" = amd64 ]
  stub uname 'echo aarch64'
  [ "$(host_arch)" = arm64 ]
}

@test "host_arch refuses an unsupported architecture" {
  stub uname 'echo riscv64'
  run host_arch
  [ "$status" -ne 0 ]
  [[ "$output" == *"unsupported architecture: riscv64"* ]]
}

@test "require_cmd names the missing command" {
  run require_cmd bash no-such-command-here
  [ "$status" -eq 1 ]
  [[ "$output" == *"required command not found: no-such-command-here"* ]]
}

@test "verify_sums accepts matching files and rejects changed or missing ones" {
  dir="$BATS_TEST_TMPDIR/bins"
  mkdir -p "$dir"
  echo one >"$dir/a"
  (cd "$dir" && sha256sum a >SHA256SUMS)
  verify_sums "$dir"
  echo changed >"$dir/a"
  ! verify_sums "$dir"
  rm "$dir/SHA256SUMS"
  ! verify_sums "$dir"
}

@test "download never disables certificate checks and is https-only" {
  stub curl 'echo "$@" >"$BATS_TEST_TMPDIR/curl-args"; printf data >"${@: -2:1}"'
  download https://example.invalid/file "$BATS_TEST_TMPDIR/out"
  args="$(cat "$BATS_TEST_TMPDIR/curl-args")"
  [[ "$args" == *"--proto =https"* ]]
  # Whole words: the temporary directory's random name may well contain "-k".
  [[ " $args " != *" -k "* && " $args " != *" --insecure "* ]]
}

@test "download_verified refuses a file whose checksum differs" {
  stub curl 'printf tampered >"${@: -2:1}"'
  run download_verified https://example.invalid/file "$BATS_TEST_TMPDIR/out" 0000
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch"* ]]
}

@test "download_pinned is https-only, verifies against the mirror CA and never disables certificate checks" {
  stub curl 'echo "$@" >"$BATS_TEST_TMPDIR/curl-args"; printf data >"${@: -2:1}"'
  MIRROR_CA_FILE="$BATS_TEST_TMPDIR/mirror-ca.crt"
  echo "-----BEGIN CERTIFICATE-----" >"$MIRROR_CA_FILE"
  sum="$(printf data | sha256sum | cut -d' ' -f1)"
  download_pinned https://mirror.invalid/kubelet "$BATS_TEST_TMPDIR/out" "$sum"
  args="$(cat "$BATS_TEST_TMPDIR/curl-args")"
  [[ " $args " == *" --proto =https "* ]]
  [[ "$args" == *"--cacert $MIRROR_CA_FILE "* ]]
  [[ " $args " != *" -k "* && "$args" != *"--insecure"* ]]
}

@test "download_pinned without a mirror CA downloads nothing" {
  stub curl 'touch "$BATS_TEST_TMPDIR/curl-ran"'
  MIRROR_CA_FILE=""
  run download_pinned https://mirror.invalid/kubelet "$BATS_TEST_TMPDIR/out" 0000
  [ "$status" -eq 1 ]
  [[ "$output" == *"no mirror CA to verify https://mirror.invalid/kubelet against"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/curl-ran" ]
}

@test "download_pinned refuses and deletes a file whose checksum differs" {
  stub curl 'printf tampered >"${@: -2:1}"'
  MIRROR_CA_FILE="$BATS_TEST_TMPDIR/mirror-ca.crt"
  echo "-----BEGIN CERTIFICATE-----" >"$MIRROR_CA_FILE"
  run download_pinned https://mirror.invalid/kubelet "$BATS_TEST_TMPDIR/out" 0000
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch"*"refusing to install it"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "messages name the running step" {
  EDGEPLANE_STEP=containerd run info "configured"
  [[ "$output" == *"[edgeplane] [containerd] configured" ]]
  run info "plain"
  [[ "$output" == *"[edgeplane] plain" ]]
}
