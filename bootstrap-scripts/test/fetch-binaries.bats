#!/usr/bin/env bats
# fetch-binaries.sh against a stubbed curl serving local files (and a stubbed go for the Go build).

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
    --cacert) echo "$2" >"$MIRROR/cacert"; shift 2 ;;
    https://*) url="$1"; shift ;;
    *) shift ;;
  esac
done
echo "$url" >>"$MIRROR/requests"
if [ -e "$MIRROR/unreachable" ]; then
  echo "curl: (7) Failed to connect to ${url#https://} port 443: Connection refused" >&2
  exit 7
fi
src="$MIRROR/${url#https://}"
[ -f "$src" ] || exit 22
cp "$src" "$out"
STUB
  chmod +x "$BATS_TEST_TMPDIR/stubs/curl"
  PATH="$BATS_TEST_TMPDIR/stubs:$PATH"
  # konnectivity is built from its Go module whatever the source: every test needs the go stub.
  export EDGEPLANE_GO_WORK="$BATS_TEST_TMPDIR/gowork"
  stub_go
}

@test "downloads every component, verifies it and writes SHA256SUMS" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "${lines[-1]}" = "$target" ]
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy \
    konnectivity-server konnectivity-agent coredns; do
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
  [[ "$output" == *"EDGEPLANE_BINARIES_SOURCE must be auto, release or go, not: ftp"* ]]
}

# go stub: "go build -o OUT/ pkgs..." writes one small program per package; everything else succeeds.
stub_go() {
  cat >"$BATS_TEST_TMPDIR/stubs/go" <<'STUB'
#!/usr/bin/env bash
echo "go $*" >>"$MIRROR/go-calls"
case "$1" in
  version) echo "go version go1.26.8 linux/amd64" ;;
  mod) printf '{\n\t"Dir": "%s",\n\t"GoMod": "%s",\n}\n' "$MIRROR/moddir" "$MIRROR/kubernetes.mod" ;;
  build)
    out="" pkgs=()
    shift
    while [ $# -gt 0 ]; do
      case "$1" in
        -o) out="$2"; shift 2 ;;
        -ldflags) shift 2 ;;
        -*) shift ;;
        *) pkgs+=("$1"); shift ;;
      esac
    done
    for pkg in "${pkgs[@]}"; do
      name="${pkg##*/}"
      [ "$name" = v3 ] && name=etcd
      if [[ "$out" == */ ]]; then dest="$out$name"; else dest="$out"; fi
      printf '#!/bin/sh
echo built %s
' "$name" >"$dest"
    done ;;
esac
STUB
  chmod +x "$BATS_TEST_TMPDIR/stubs/go"
  printf 'module k8s.io/kubernetes

go 1.25.0

replace (
	k8s.io/api => ./staging/src/k8s.io/api
)
' >"$MIRROR/kubernetes.mod"
}

@test "auto downloads the release where it is reachable, and builds only konnectivity and coredns" {
  EDGEPLANE_BINARIES_SOURCE=auto run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"source: release"* ]]
  [ "$(grep -c '^go build' "$MIRROR/go-calls")" -eq 3 ]
  ! grep -q 'k8s.io/kubernetes\|etcd' "$MIRROR/go-calls"
  (cd "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" && sha256sum -c --quiet SHA256SUMS)
}

@test "auto builds from the Go modules when the release cannot be reached" {
  touch "$MIRROR/unreachable"
  EDGEPLANE_BINARIES_SOURCE=auto run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"release downloads unreachable (curl: (7) Failed to connect"*"building from Go modules instead"* ]]
  [[ "$output" == *"source: go"* ]]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  grep -q 'built kube-apiserver' "$target/kube-apiserver"
  grep -q 'built etcd' "$target/etcd"
  grep -q 'k8s.io/api => k8s.io/api v0.' "$BATS_TEST_TMPDIR/gowork/kubernetes-$KUBERNETES_VERSION/go.mod"
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "auto without reachable release and without Go says what to do and installs nothing" {
  rm "$BATS_TEST_TMPDIR/stubs/go"
  touch "$MIRROR/unreachable"
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_SOURCE=auto run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"release downloads unreachable"*"no Go toolchain"*"install Go, or put the binaries in"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "a tampered release is an error in auto mode too, never a reason to build instead" {
  echo evil >>"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/amd64/kubectl"
  EDGEPLANE_BINARIES_SOURCE=auto run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"checksum mismatch"*"kubectl"* ]]
  [ ! -e "$MIRROR/go-calls" ]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "a component subset fetches only those, for another architecture" {
  mkdir -p "$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/arm64"
  printf '#!/bin/sh
echo arm64 kubelet
' >"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/arm64/kubelet"
  sha256sum "$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/arm64/kubelet" | cut -d' ' -f1 \
    >"$MIRROR/k8s.test/$KUBERNETES_VERSION/bin/linux/arm64/kubelet.sha256"
  EDGEPLANE_ARCH=arm64 EDGEPLANE_BINARIES_COMPONENTS=kubelet run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-arm64"
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\nkubelet')" ]
  [ "$(grep -c . "$MIRROR/requests")" -eq 2 ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "fetching a subset keeps the other components of a sound directory" {
  "$SCRIPT"
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  echo changed >>"$target/kubelet"
  EDGEPLANE_BINARIES_COMPONENTS=kubelet run "$SCRIPT"
  [ "$status" -eq 0 ]
  # SHA256SUMS no longer matched, so nothing was kept: everything requested comes back, nothing else was lost.
  [ -x "$target/kubelet" ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
  EDGEPLANE_BINARIES_COMPONENTS="etcd kubectl" run "$SCRIPT"
  [ "$status" -eq 0 ]
  for b in etcd kubectl kubelet; do grep -q "  $b\$" "$target/SHA256SUMS"; done
}

@test "an unknown component is rejected by name" {
  EDGEPLANE_BINARIES_COMPONENTS="kubelet kube-dns" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"EDGEPLANE_BINARIES_COMPONENTS: unknown component 'kube-dns'"* ]]
}

@test "an interrupted run leaves no target, and the next run completes" {
  cat >"$BATS_TEST_TMPDIR/stubs/sha256sum" <<'STUB'
#!/usr/bin/env bash
# dies like a killed run once the first binaries are in the scratch directory
[ -e "$MIRROR/die" ] && { rm "$MIRROR/die"; kill -9 $PPID; exit 1; }
exec /usr/bin/sha256sum "$@"
STUB
  chmod +x "$BATS_TEST_TMPDIR/stubs/sha256sum"
  touch "$MIRROR/die"
  run "$SCRIPT"
  [ "$status" -ne 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ ! -e "$target" ]
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
  [ ! -e "$target.partial" ]
}

@test "a second run for the same target waits for the first" {
  mkdir -p "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION"
  lock="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/.linux-amd64.lock"
  flock "$lock" sleep 2 &
  sleep 0.3
  run "$SCRIPT"
  wait
  [ "$status" -eq 0 ]
  [[ "$output" == *"waiting for another preparation of $KUBERNETES_VERSION linux/amd64"* ]]
}

@test "release downloads are verified against a given CA bundle" {
  EDGEPLANE_DOWNLOAD_CA_FILE=/etc/edgeplane/mirror-ca.pem run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "$(cat "$MIRROR/cacert")" = /etc/edgeplane/mirror-ca.pem ]
}

@test "konnectivity is built from its pinned Go module through a helper module" {
  EDGEPLANE_BINARIES_COMPONENTS="konnectivity-server konnectivity-agent" run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  grep -q 'built server' "$target/konnectivity-server"
  grep -q 'built agent' "$target/konnectivity-agent"
  grep -q "go build .*sigs.k8s.io/apiserver-network-proxy/cmd/server" "$MIRROR/go-calls"
  grep -q "go build .*sigs.k8s.io/apiserver-network-proxy/cmd/agent" "$MIRROR/go-calls"
  grep -q "^require sigs.k8s.io/apiserver-network-proxy $KONNECTIVITY_VERSION\$" "$EDGEPLANE_GO_WORK/konnectivity-$KONNECTIVITY_VERSION/go.mod"
  [ ! -s "$MIRROR/requests" ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "a directory filled before konnectivity and coredns were components gets only those" {
  EDGEPLANE_BINARIES_COMPONENTS="etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy" "$SCRIPT"
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  : >"$MIRROR/requests"
  rm -f "$MIRROR/go-calls"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ ! -s "$MIRROR/requests" ]
  [ "$(grep -c '^go build' "$MIRROR/go-calls")" -eq 3 ]
  for b in kubelet konnectivity-agent coredns; do [ -x "$target/$b" ]; done
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "without Go, konnectivity's source is explained and nothing is installed" {
  rm "$BATS_TEST_TMPDIR/stubs/go"
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_COMPONENTS="kubelet konnectivity-agent" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"konnectivity publishes container images only"*"install Go, or put them in"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "coredns is built statically from its pinned Go module through the test bed's helper module" {
  EDGEPLANE_BINARIES_COMPONENTS="coredns" run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  grep -q 'built coredns' "$target/coredns"
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\ncoredns')" ]
  [ "$(grep -c '^go build' "$MIRROR/go-calls")" -eq 1 ]
  grep -q "^go build -trimpath -ldflags -s -w -o $target.partial/coredns github.com/coredns/coredns\$" "$MIRROR/go-calls"
  [ "$(cat "$EDGEPLANE_GO_WORK/coredns-$COREDNS_VERSION/go.mod")" = "$(printf 'module edgeplane.local/coredns-build\n\ngo 1.25\n\nrequire github.com/coredns/coredns %s' "$COREDNS_VERSION")" ]
  [ ! -s "$MIRROR/requests" ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "coredns is built static for the requested architecture" {
  cat >>"$BATS_TEST_TMPDIR/stubs/go" <<'STUB'
echo "env CGO_ENABLED=$CGO_ENABLED GOOS=$GOOS GOARCH=$GOARCH GOTOOLCHAIN=$GOTOOLCHAIN GOWORK=$GOWORK" >>"$MIRROR/go-calls"
STUB
  EDGEPLANE_ARCH=arm64 EDGEPLANE_BINARIES_COMPONENTS="coredns" run "$SCRIPT"
  [ "$status" -eq 0 ]
  grep -q '^env CGO_ENABLED=0 GOOS=linux GOARCH=arm64 GOTOOLCHAIN=local GOWORK=off$' "$MIRROR/go-calls"
  [ -x "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-arm64/coredns" ]
}

@test "without Go, coredns's source is explained and nothing is installed" {
  rm "$BATS_TEST_TMPDIR/stubs/go"
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_COMPONENTS="kubelet coredns" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"coredns is built from the Go module github.com/coredns/coredns $COREDNS_VERSION: install Go, or put"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "kwok is not in the default set: a default run builds no kwok" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ ! -e "$target/kwok" ]
  ! grep -q ' kwok$' "$target/SHA256SUMS" || false
  ! grep -q 'sigs.k8s.io/kwok' "$MIRROR/go-calls" || false
  [ ! -e "$EDGEPLANE_GO_WORK/kwok-$KWOK_VERSION" ]
}

@test "kwok, when named, is built statically from its pinned Go module through a helper module" {
  cat >>"$BATS_TEST_TMPDIR/stubs/go" <<'STUB'
echo "env CGO_ENABLED=$CGO_ENABLED GOOS=$GOOS GOARCH=$GOARCH GOTOOLCHAIN=$GOTOOLCHAIN GOWORK=$GOWORK" >>"$MIRROR/go-calls"
STUB
  printf 'module sigs.k8s.io/kwok\n\ngo 1.26.0\n' >"$MIRROR/kubernetes.mod"
  EDGEPLANE_BINARIES_COMPONENTS=kwok run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "${lines[-1]}" = "$target" ]
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\nkwok')" ]
  grep -q 'built kwok' "$target/kwok"
  grep -q "^go mod download -json sigs.k8s.io/kwok@$KWOK_VERSION\$" "$MIRROR/go-calls"
  grep -q "^go build -trimpath -ldflags -s -w -o $target.partial/kwok sigs.k8s.io/kwok/cmd/kwok\$" "$MIRROR/go-calls"
  grep -q '^env CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOTOOLCHAIN=local GOWORK=off$' "$MIRROR/go-calls"
  [ "$(cat "$EDGEPLANE_GO_WORK/kwok-$KWOK_VERSION/go.mod")" = "$(printf 'module edgeplane.local/kwok-build\n\ngo 1.26.0\n\nrequire sigs.k8s.io/kwok %s' "$KWOK_VERSION")" ]
  [ ! -s "$MIRROR/requests" ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "kwok is built from its Go module even with release downloads as the source" {
  EDGEPLANE_BINARIES_SOURCE=release EDGEPLANE_BINARIES_COMPONENTS="kubelet kwok" run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\nkubelet\nkwok')" ]
  grep -q 'kubelet$' "$MIRROR/requests"
  [ "$(grep -c '^go build' "$MIRROR/go-calls")" -eq 1 ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "an unknown component is still rejected by name, and the message lists the opt-in tools" {
  EDGEPLANE_BINARIES_COMPONENTS="kwok kwokctl" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"EDGEPLANE_BINARIES_COMPONENTS: unknown component 'kwokctl'"*"coredns kwok helm kube-bench)"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "kwok alone keeps the components of a sound directory, and a later default run keeps kwok" {
  "$SCRIPT"
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  rm -f "$MIRROR/go-calls"
  : >"$MIRROR/requests"
  EDGEPLANE_BINARIES_COMPONENTS=kwok run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ ! -s "$MIRROR/requests" ]
  [ "$(grep -c '^go build' "$MIRROR/go-calls")" -eq 1 ]
  for b in etcd kube-apiserver kubelet konnectivity-agent coredns kwok; do grep -q "  $b\$" "$target/SHA256SUMS"; done
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
  # A warm default run leaves the directory as it is...
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"up to date"* ]]
  [ -x "$target/kwok" ]
  # ...and one that has something to fill keeps kwok without building it again.
  rm "$target/kube-proxy"
  (cd "$target" && grep -v ' kube-proxy$' SHA256SUMS >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
  rm -f "$MIRROR/go-calls"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" != *"up to date"* ]]
  [ -x "$target/kube-proxy" ]
  grep -q 'built kwok' "$target/kwok"
  grep -q '  kwok$' "$target/SHA256SUMS"
  ! grep -q 'sigs.k8s.io/kwok' "$MIRROR/go-calls" || false
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "without Go, kwok's source is explained and nothing is installed" {
  rm "$BATS_TEST_TMPDIR/stubs/go"
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_COMPONENTS="kwok" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"kwok is built from the Go module sigs.k8s.io/kwok $KWOK_VERSION: install Go, or put it in"*"EDGEPLANE_KWOK_BIN"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}

@test "helm and kube-bench are not in the default set either" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ ! -e "$target/helm" ]
  [ ! -e "$target/kube-bench" ]
  [ ! -e "$target/kube-bench-cfg" ]
  ! grep -qE 'helm|kube-bench' "$target/SHA256SUMS" "$MIRROR/go-calls" || false
}

@test "helm, when named, is built from its pinned Go module with its version linked in" {
  printf 'module helm.sh/helm/v4\n\ngo 1.26.0\n' >"$MIRROR/kubernetes.mod"
  EDGEPLANE_BINARIES_COMPONENTS=helm run "$SCRIPT"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\nhelm')" ]
  grep -q 'built helm' "$target/helm"
  grep -q "^go mod download -json helm.sh/helm/v4@$HELM_VERSION\$" "$MIRROR/go-calls"
  grep -q "^go build -trimpath -ldflags -s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION -o $target.partial/helm helm.sh/helm/v4/cmd/helm\$" "$MIRROR/go-calls"
  [ "$(cat "$EDGEPLANE_GO_WORK/helm-$HELM_VERSION/go.mod")" = "$(printf 'module edgeplane.local/helm-build\n\ngo 1.26.0\n\nrequire helm.sh/helm/v4 %s' "$HELM_VERSION")" ]
  [ ! -s "$MIRROR/requests" ]
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

# kube_bench_module : the stubbed module directory, with the benchmark definitions read-only as in Go's module cache.
kube_bench_module() {
  printf 'module github.com/aquasecurity/kube-bench\n\ngo 1.24.4\n' >"$MIRROR/kubernetes.mod"
  mkdir -p "$MIRROR/moddir/cfg/cis-1.11"
  echo 'master: {}' >"$MIRROR/moddir/cfg/config.yaml"
  echo 'groups: []' >"$MIRROR/moddir/cfg/cis-1.11/master.yaml"
  chmod -R a-w "$MIRROR/moddir/cfg"
}

@test "kube-bench, when named, is built with its version linked in and its definitions beside it, writable and summed" {
  kube_bench_module
  EDGEPLANE_BINARIES_COMPONENTS=kube-bench run "$SCRIPT"
  chmod -R u+w "$MIRROR/moddir"
  [ "$status" -eq 0 ]
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  [ "$(ls "$target")" = "$(printf 'SHA256SUMS\nkube-bench\nkube-bench-cfg')" ]
  grep -q 'built kube-bench' "$target/kube-bench"
  grep -q "^go build -trimpath -ldflags -s -w -X github.com/aquasecurity/kube-bench/cmd.KubeBenchVersion=$KUBE_BENCH_VERSION -o $target.partial/kube-bench github.com/aquasecurity/kube-bench\$" "$MIRROR/go-calls"
  [ "$(cat "$EDGEPLANE_GO_WORK/kube-bench-$KUBE_BENCH_VERSION/go.mod")" = "$(printf 'module edgeplane.local/kube-bench-build\n\ngo 1.24.4\n\nrequire github.com/aquasecurity/kube-bench %s' "$KUBE_BENCH_VERSION")" ]
  [ "$(cat "$target/kube-bench-cfg/cis-1.11/master.yaml")" = 'groups: []' ]
  [ -w "$target/kube-bench-cfg/cis-1.11/master.yaml" ]
  grep -q '  kube-bench-cfg/config.yaml$' "$target/SHA256SUMS"
  grep -q '  kube-bench-cfg/cis-1.11/master.yaml$' "$target/SHA256SUMS"
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "a changed kube-bench definition is noticed, and a later default run keeps kube-bench with its definitions" {
  kube_bench_module
  EDGEPLANE_BINARIES_COMPONENTS="kubelet kube-bench" "$SCRIPT"
  target="$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64"
  echo changed >>"$target/kube-bench-cfg/cis-1.11/master.yaml"
  rm -f "$MIRROR/go-calls"
  EDGEPLANE_BINARIES_COMPONENTS=kube-bench run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" != *"up to date"* ]]
  [ "$(cat "$target/kube-bench-cfg/cis-1.11/master.yaml")" = 'groups: []' ]
  grep -q 'github.com/aquasecurity/kube-bench' "$MIRROR/go-calls"
  # A default run fills the rest and keeps kube-bench and its definitions without building them again.
  rm -f "$MIRROR/go-calls"
  run "$SCRIPT"
  chmod -R u+w "$MIRROR/moddir"
  [ "$status" -eq 0 ]
  [ -x "$target/kube-bench" ]
  [ -f "$target/kube-bench-cfg/config.yaml" ]
  grep -q '  kube-bench-cfg/config.yaml$' "$target/SHA256SUMS"
  ! grep -q 'kube-bench' "$MIRROR/go-calls" || false
  (cd "$target" && sha256sum -c --quiet SHA256SUMS)
}

@test "without Go, helm's and kube-bench's sources are explained and nothing is installed" {
  rm "$BATS_TEST_TMPDIR/stubs/go"
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_COMPONENTS="helm" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"helm is built from the Go module helm.sh/helm/v4 $HELM_VERSION: install Go, or put it in"*"EDGEPLANE_HELM_BIN"* ]]
  PATH="$BATS_TEST_TMPDIR/stubs:/usr/bin:/bin" EDGEPLANE_BINARIES_COMPONENTS="kube-bench" run "$SCRIPT"
  [ "$status" -ne 0 ]
  [[ "$output" == *"kube-bench is built from the Go module github.com/aquasecurity/kube-bench $KUBE_BENCH_VERSION"*"EDGEPLANE_KUBE_BENCH_BIN"* ]]
  [ ! -e "$EDGEPLANE_BINARIES_DIR/$KUBERNETES_VERSION/linux-amd64" ]
}
