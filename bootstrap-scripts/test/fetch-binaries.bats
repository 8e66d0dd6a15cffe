#!/usr/bin/env bats
# fetch-binaries.sh with the release source, against a stubbed curl serving local files.

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../fetch-binaries.sh"
  source "$BATS_TEST_DIRNAME/../versions.env"
  export EDGEPLANE_BINARIES_DIR="$BATS_TEST_TMPDIR/out"
  export EDGEPLANE_BINARIES_SOURCE=release
  export EDGEPLANE_ARCH=amd64
  export EDGEPLANE_K8S_RELEASE_URL=https://k8s.test
  export EDGEPLANE_ETCD_RELEASE_URL=https://etcd.test
  MIRROR="$BATS_TEST_TMPDIR/mirror"
  export MIRROR
  mkdir -p "$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64" "$MIRROR/etcd.test/$ETCD_VERSION"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy; do
    printf '#!/bin/sh\necho %s\n' "$c" >"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64/$c"
    sha256sum "$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64/$c" | cut -d' ' -f1 \
      >"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64/$c.sha256"
  done
  pkg="$BATS_TEST_TMPDIR/etcd-$ETCD_VERSION-linux-amd64"
  mkdir -p "$pkg"
  printf '#!/bin/sh\necho etcd\n' >"$pkg/etcd"
  tar -czf "$MIRROR/etcd.test/$ETCD_VERSION/etcd-$ETCD_VERSION-linux-amd64.tar.gz" -C "$BATS_TEST_TMPDIR" "etcd-$ETCD_VERSION-linux-amd64"
  (cd "$MIRROR/etcd.test/$ETCD_VERSION" && sha256sum "etcd-$ETCD_VERSION-linux-amd64.tar.gz" >SHA256SUMS)
  mkdir -p "$BATS_TEST_TMPDIR/stubs"
  # curl stub: map https://host/path to $MIRROR/host/path, fail like curl -f on a missing file.
  cat >"$BATS_TEST_TMPDIR/stubs/curl" <<'STUB'
#!/usr/bin/env bash
out="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    https://*) url="$1"; shift ;;
    *) shift ;;
  esac
done
echo "$url" >>"$MIRROR/requests"
src="$MIRROR/${url#https://}"
[ -f "$src" ] || exit 22
cp "$src" "$out"
STUB
  chmod +x "$BATS_TEST_TMPDIR/stubs/curl"
  PATH="$BATS_TEST_TMPDIR/stubs:$PATH"
}

@test "downloads every component, verifies it and writes SHA256SUMS" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "${lines[-1]}" = "$target" ]
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy; do
    [ -x "$target/$b" ]
  done
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "a second run downloads nothing" {
  "$SCRIPT"
  : >"$MIRROR/requests"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"up to date"* ]]
  [ ! -s "$MIRROR/requests" ]
}

@test "a tampered binary is refused and nothing is installed" {
  echo evil >>"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64/kubelet"
  run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"checksum mismatch"*"kubelet"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "a changed binary in the target is detected and fetched again" {
  "$SCRIPT"
  echo changed >>"$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64/kubectl"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" != *"up to date"* ]]
  (cd "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" && sha256sum -c --quiet SHA256SUMS)
}

@test "a directory filled before kube-proxy was a component is filled again" {
  "$SCRIPT"
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  rm "$target/kube-proxy"
  (cd "$target" && grep -v ' kube-proxy$' SHA256SUMS >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
  : >"$MIRROR/requests"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" != *"up to date"* ]]
  grep -q 'kube-proxy$' "$MIRROR/requests"
  [ -x "$target/kube-proxy" ]
  grep -q '  kube-proxy$' "$target/SHA256SUMS"
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
  [ ! -e "$target.old" ]
}

@test "an unknown source is rejected by name" {
  EDGEPLANE_BINARIES_SOURCE=ftp run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"EDGEPLANE_BINARIES_SOURCE must be release or go, not: ftp"* ]]
}
