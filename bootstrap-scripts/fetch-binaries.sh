#!/usr/bin/env bash
# Fills a binaries directory with the Kubernetes components, etcd, konnectivity and CoreDNS at the
# pinned versions, and on request with the test-side tools KWOK, helm and kube-bench:
#
#   $EDGEPLANE_BINARIES_DIR/<kubernetes version>/linux-<arch>/
#       etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy
#       konnectivity-server konnectivity-agent coredns [kwok] [helm] [kube-bench kube-bench-cfg/]
#       SHA256SUMS
#
# The seed manager runs this script when a cluster or a device first needs a version's binaries
# (and serves the layout to devices as its artifact mirror); operators run it to prepare ahead of
# time, e.g. on a machine with internet for an air-gapped seed; the test bed runs from it.
#
# A directory holding every requested component, each listed in a SHA256SUMS that verifies, is left
# untouched, so a warm run takes a second; a sound directory missing some gets only those (one whose
# SHA256SUMS no longer verifies is filled again from scratch). konnectivity and CoreDNS publish
# container images (CoreDNS also tarballs without checksums we could pin), so their binaries are
# built from their Go modules whatever the source: static, to run in the images devices build. Work happens in
# a scratch directory that replaces the target only once complete, so an interrupted run never
# leaves a half-written target; runs for the same target wait for each other.
#
# kwok (KWOK, simulated kubelets for the test side's fleet benchmark), helm (the seed manager's chart)
# and kube-bench (the CIS benchmark of tenant control planes, with its benchmark definitions in
# kube-bench-cfg/) are opt-in: never part of the default set (the seed manager runs this script for
# clusters and devices and never needs them), only fetched when EDGEPLANE_BINARIES_COMPONENTS names
# them, and always built from their Go modules. Once in a sound target they stay there, whatever
# later runs prepare.
#
# Progress goes to stderr as "[edgeplane] <message>" lines; the line "source: <name> ..." says which
# source is in use. The last line on stdout is the target directory.
#
# Environment knobs:
#   EDGEPLANE_CACHE_DIR        root of Edgeplane's caches (default: ~/.cache/edgeplane)
#   EDGEPLANE_BINARIES_DIR     target root (default: $EDGEPLANE_CACHE_DIR/binaries)
#   EDGEPLANE_BINARIES_SOURCE  auto:    official release downloads where they can be reached,
#                                       otherwise a build from the Go modules
#                              release: official release downloads, each checked against its
#                                       published SHA-256 (needs internet or a mirror of dl.k8s.io)
#                              go:      build from the Go modules (needs Go and the Go module proxy)
#                              (default: auto)
#   EDGEPLANE_BINARIES_COMPONENTS  space-separated components to prepare, e.g. "kubelet" for a device
#                              architecture the seed does not run, or "helm kube-bench" (default:
#                              all of the above but kwok, helm and kube-bench, prepared only when named)
#   EDGEPLANE_ARCH             amd64 or arm64 (default: this machine)
#   KUBERNETES_VERSION, ETCD_VERSION, KONNECTIVITY_VERSION, COREDNS_VERSION, KWOK_VERSION,
#   HELM_VERSION, KUBE_BENCH_VERSION
#                              override the pins in versions.env
#   EDGEPLANE_GO_WORK          where the Go build keeps its helper modules
#                              (default: $EDGEPLANE_CACHE_DIR/go-build)
#   EDGEPLANE_K8S_RELEASE_URL  default https://dl.k8s.io/release
#   EDGEPLANE_ETCD_RELEASE_URL default https://github.com/etcd-io/etcd/releases/download
#   EDGEPLANE_DOWNLOAD_CA_FILE CA bundle that release downloads are verified against instead of the
#                              system's (a mirror with an internal CA); TLS is never skipped
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=versions.env
source "$SCRIPT_DIR/versions.env"

CACHE_DIR="${EDGEPLANE_CACHE_DIR:-$HOME/.cache/edgeplane}"
BINARIES_DIR="${EDGEPLANE_BINARIES_DIR:-$CACHE_DIR/binaries}"
SOURCE="${EDGEPLANE_BINARIES_SOURCE:-auto}"
ARCH="${EDGEPLANE_ARCH:-$(host_arch)}"
GO_WORK="${EDGEPLANE_GO_WORK:-$CACHE_DIR/go-build}"
K8S_RELEASE_URL="${EDGEPLANE_K8S_RELEASE_URL:-https://dl.k8s.io/release}"
ETCD_RELEASE_URL="${EDGEPLANE_ETCD_RELEASE_URL:-https://github.com/etcd-io/etcd/releases/download}"
# DEFAULT_COMPONENTS: what a run prepares unless told otherwise; KNOWN_COMPONENTS: those plus the
# opt-in ones (test-side tools), in the canonical order.
DEFAULT_COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy
  konnectivity-server konnectivity-agent coredns)
KNOWN_COMPONENTS=("${DEFAULT_COMPONENTS[@]}" kwok helm kube-bench)
# COMPONENTS: what the target must hold; FETCH: those of them this run gets (the others are kept
# from the target); K8S_COMPONENTS, KONNECTIVITY_COMPONENTS and COREDNS_COMPONENTS: FETCH split by
# where they come from (the opt-in tools each come from their own Go module).
COMPONENTS=()
FETCH=()
K8S_COMPONENTS=()
KONNECTIVITY_COMPONENTS=()
COREDNS_COMPONENTS=()

# choose_components : COMPONENTS from EDGEPLANE_BINARIES_COMPONENTS (every name checked), in the
# canonical order.
choose_components() {
  local wanted=" ${EDGEPLANE_BINARIES_COMPONENTS:-${DEFAULT_COMPONENTS[*]}} " name component
  for name in ${EDGEPLANE_BINARIES_COMPONENTS:-}; do
    [[ " ${KNOWN_COMPONENTS[*]} " == *" $name "* ]] ||
      fatal "EDGEPLANE_BINARIES_COMPONENTS: unknown component '$name' (known: ${KNOWN_COMPONENTS[*]})"
  done
  for component in "${KNOWN_COMPONENTS[@]}"; do
    [[ "$wanted" == *" $component "* ]] && COMPONENTS+=("$component")
  done
  [[ ${#COMPONENTS[@]} -gt 0 ]] || fatal "EDGEPLANE_BINARIES_COMPONENTS names no component"
}

# plan_fetch FETCH... : FETCH and its split by source.
plan_fetch() {
  local component
  FETCH=("$@")
  for component in "${FETCH[@]}"; do
    case "$component" in
      etcd) ;;
      konnectivity-*) KONNECTIVITY_COMPONENTS+=("$component") ;;
      coredns) COREDNS_COMPONENTS+=("$component") ;;
      kwok | helm | kube-bench) ;;
      *) K8S_COMPONENTS+=("$component") ;;
    esac
  done
}

wants_etcd() { [[ " ${FETCH[*]} " == *" etcd "* ]]; }
# wants_release_kind : a Kubernetes component or etcd is to be fetched (they come from the chosen source).
wants_release_kind() { [[ ${#K8S_COMPONENTS[@]} -gt 0 ]] || wants_etcd; }

# --- release downloads -------------------------------------------------------------------------

# release_reachable : true when the first published checksum of this release can be fetched; the
# reason goes to stderr otherwise. Only reachability decides here: a file that does not match its
# checksum later is an error, never a reason to switch sources.
release_reachable() {
  local url="$K8S_RELEASE_URL/$KUBERNETES_VERSION/bin/linux/$ARCH/${K8S_COMPONENTS[0]:-kubelet}.sha256" err
  if err="$(curl --proto '=https' --tlsv1.2 -fsS --connect-timeout 10 --max-time 30 \
    ${EDGEPLANE_DOWNLOAD_CA_FILE:+--cacert "$EDGEPLANE_DOWNLOAD_CA_FILE"} -o /dev/null "$url" 2>&1)"; then
    return 0
  fi
  printf '%s' "${err:-no answer from $url}" | tr '\n' ' ' >&2
  return 1
}

fetch_release() {
  local out="$1" component sum tmp
  require_cmd curl tar sha256sum
  info "source: release ($K8S_RELEASE_URL)"
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" RETURN
  for component in ${K8S_COMPONENTS[@]+"${K8S_COMPONENTS[@]}"}; do
    info "downloading $component $KUBERNETES_VERSION linux/$ARCH"
    download "$K8S_RELEASE_URL/$KUBERNETES_VERSION/bin/linux/$ARCH/$component.sha256" "$tmp/$component.sha256"
    sum="$(tr -d '[:space:]' <"$tmp/$component.sha256")"
    download_verified "$K8S_RELEASE_URL/$KUBERNETES_VERSION/bin/linux/$ARCH/$component" "$out/$component" "$sum"
  done
  wants_etcd || return 0
  local tarball="etcd-$ETCD_VERSION-linux-$ARCH.tar.gz"
  info "downloading etcd $ETCD_VERSION linux/$ARCH"
  download "$ETCD_RELEASE_URL/$ETCD_VERSION/SHA256SUMS" "$tmp/etcd.sums"
  sum="$(awk -v f="$tarball" '$2 == f { print $1 }' "$tmp/etcd.sums")"
  [[ -n "$sum" ]] || fatal "no checksum for $tarball in the etcd $ETCD_VERSION release"
  download_verified "$ETCD_RELEASE_URL/$ETCD_VERSION/$tarball" "$tmp/$tarball" "$sum"
  tar -xzf "$tmp/$tarball" -C "$tmp"
  cp "$tmp/etcd-$ETCD_VERSION-linux-$ARCH/etcd" "$out/etcd"
}

# fetch_konnectivity OUT : konnectivity's binaries, from its Go module whatever the source.
fetch_konnectivity() {
  local out="$1" dir gomod component lock
  [[ ${#KONNECTIVITY_COMPONENTS[@]} -gt 0 ]] || return 0
  command -v go >/dev/null 2>&1 ||
    fatal "konnectivity publishes container images only, so ${KONNECTIVITY_COMPONENTS[*]} are built from the" \
      "Go module sigs.k8s.io/apiserver-network-proxy $KONNECTIVITY_VERSION: install Go, or put them in" \
      "$BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH (see the README)"
  dir="$GO_WORK/konnectivity-$KONNECTIVITY_VERSION"
  mkdir -p "$dir"
  exec {lock}>"$GO_WORK/.lock"
  flock "$lock"
  # The proxy here refuses the module's version list but serves the exact version: a helper module
  # that requires it builds its commands where `go install module/cmd@version` would fail.
  if [[ ! -f "$dir/go.mod" ]]; then
    info "downloading the Go module of konnectivity $KONNECTIVITY_VERSION"
    gomod="$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/apiserver-network-proxy@$KONNECTIVITY_VERSION" |
      sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    [[ -f "$gomod" ]] || fatal "cannot download sigs.k8s.io/apiserver-network-proxy@$KONNECTIVITY_VERSION from the Go module proxy"
    printf 'module edgeplane.local/konnectivity-build\n\n%s\n\nrequire sigs.k8s.io/apiserver-network-proxy %s\n' \
      "$(grep -m1 '^go ' "$gomod")" "$KONNECTIVITY_VERSION" >"$dir/go.mod.new"
    mv "$dir/go.mod.new" "$dir/go.mod"
  fi
  for component in "${KONNECTIVITY_COMPONENTS[@]}"; do
    info "building $component $KONNECTIVITY_VERSION linux/$ARCH from its Go module"
    (cd "$dir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
      go build -trimpath -ldflags "-s -w" -o "$out/$component" "sigs.k8s.io/apiserver-network-proxy/cmd/${component#konnectivity-}")
  done
  exec {lock}>&-
}

# fetch_coredns OUT : CoreDNS, from its Go module whatever the source. The helper module is the one
# the Java test bed builds CoreDNS in (CoreDnsBinary): the same directory and go.mod.
fetch_coredns() {
  local out="$1" dir lock
  [[ ${#COREDNS_COMPONENTS[@]} -gt 0 ]] || return 0
  command -v go >/dev/null 2>&1 ||
    fatal "coredns is built from the Go module github.com/coredns/coredns $COREDNS_VERSION: install Go, or put" \
      "it in $BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH (see the README)"
  dir="$GO_WORK/coredns-$COREDNS_VERSION"
  mkdir -p "$dir"
  exec {lock}>"$GO_WORK/.lock"
  flock "$lock"
  if [[ ! -f "$dir/go.mod" ]]; then
    printf 'module edgeplane.local/coredns-build\n\ngo 1.25\n\nrequire github.com/coredns/coredns %s\n' \
      "$COREDNS_VERSION" >"$dir/go.mod.new"
    mv "$dir/go.mod.new" "$dir/go.mod"
  fi
  info "building coredns $COREDNS_VERSION linux/$ARCH from its Go module (cold: minutes)"
  (cd "$dir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "-s -w" -o "$out/coredns" github.com/coredns/coredns)
  exec {lock}>&-
}

# build_tool OUT NAME MODULE VERSION PACKAGE LDFLAGS... : one opt-in test-side tool (kwok, helm,
# kube-bench), from its Go module whatever the source. Their releases publish binaries too, but the Go
# module is the one source every machine here reaches; a ready binary is used as is by the test bed
# (EDGEPLANE_<NAME>_BIN) without this script. Prints the module's directory (for files beside the binary).
build_tool() {
  local out="$1" name="$2" module="$3" version="$4" package="$5" ldflags="$6" dir gomod lock env_var
  env_var="EDGEPLANE_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')_BIN"
  command -v go >/dev/null 2>&1 ||
    fatal "$name is built from the Go module $module $version: install Go, or put it in" \
      "$BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH (or point the test bed's $env_var at a release binary)"
  dir="$GO_WORK/$name-$version"
  mkdir -p "$dir"
  exec {lock}>"$GO_WORK/.lock"
  flock "$lock"
  # As for konnectivity: the proxy serves the exact version but may refuse the version list, so a
  # helper module requires it (with the Go version the module itself asks for).
  if [[ ! -f "$dir/go.mod" ]]; then
    info "downloading the Go module of $name $version"
    gomod="$(cd "$dir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off go mod download -json "$module@$version" |
      sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
    [[ -f "$gomod" ]] || fatal "cannot download $module@$version from the Go module proxy"
    printf 'module edgeplane.local/%s-build\n\n%s\n\nrequire %s %s\n' \
      "$name" "$(grep -m1 '^go ' "$gomod")" "$module" "$version" >"$dir/go.mod.new"
    mv "$dir/go.mod.new" "$dir/go.mod"
  fi
  info "building $name $version linux/$ARCH from its Go module (cold: a few minutes)"
  (cd "$dir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "$ldflags" -o "$out/$name" "$package")
  exec {lock}>&-
}

# fetch_kwok OUT : KWOK's controller (simulated kubelets for the fleet benchmark).
fetch_kwok() {
  [[ " ${FETCH[*]} " == *" kwok "* ]] || return 0
  build_tool "$1" kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "-s -w"
}

# fetch_helm OUT : helm (the seed manager's chart is linted, rendered and installed with it). Its
# version string is set at link time, as upstream's Makefile does; unset it would say "v4.2".
fetch_helm() {
  [[ " ${FETCH[*]} " == *" helm "* ]] || return 0
  build_tool "$1" helm helm.sh/helm/v4 "$HELM_VERSION" helm.sh/helm/v4/cmd/helm \
    "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
}

# fetch_kube_bench OUT : kube-bench (the CIS benchmark of tenant control planes), with the benchmark
# definitions it reads at run time copied beside it as kube-bench-cfg/ (writable: the module cache is
# read-only, and a user overlays their own audits there).
fetch_kube_bench() {
  local out="$1" moddir
  [[ " ${FETCH[*]} " == *" kube-bench "* ]] || return 0
  build_tool "$out" kube-bench github.com/aquasecurity/kube-bench "$KUBE_BENCH_VERSION" github.com/aquasecurity/kube-bench \
    "-s -w -X github.com/aquasecurity/kube-bench/cmd.KubeBenchVersion=$KUBE_BENCH_VERSION"
  moddir="$(cd "$GO_WORK/kube-bench-$KUBE_BENCH_VERSION" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off \
    go mod download -json "github.com/aquasecurity/kube-bench@$KUBE_BENCH_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$moddir/cfg/config.yaml" ]] ||
    fatal "no cfg/config.yaml in the Go module github.com/aquasecurity/kube-bench@$KUBE_BENCH_VERSION ($moddir)"
  rm -rf "$out/kube-bench-cfg"
  cp -R "$moddir/cfg" "$out/kube-bench-cfg"
  chmod -R u+w,go-w "$out/kube-bench-cfg"
}

# --- Go build ------------------------------------------------------------------------------------

# A helper module per version: k8s.io/kubernetes only builds outside its own repository when
# each staging module it replaces locally is pinned to its published v0.x.y twin instead.
prepare_kubernetes_module() {
  local dir="$1" gomod go_line minor staging
  mkdir -p "$dir"
  gomod="$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || fatal "cannot download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
  go_line="$(grep -m1 '^go ' "$gomod")"
  minor="${KUBERNETES_VERSION#v1.}"
  {
    echo "module edgeplane.local/kubernetes-build"
    echo
    echo "$go_line"
    echo
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo
    echo "replace ("
    sed -n 's|^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*|\1|p' "$gomod" |
      while read -r staging; do
        echo "	$staging => $staging v0.$minor"
      done
    echo ")"
  } >"$dir/go.mod.new"
  if ! cmp -s "$dir/go.mod.new" "$dir/go.mod.pinned" 2>/dev/null; then
    cp "$dir/go.mod.new" "$dir/go.mod"
    cp "$dir/go.mod.new" "$dir/go.mod.pinned"
    rm -f "$dir/go.sum"
  fi
  rm -f "$dir/go.mod.new"
}

build_go() {
  local out="$1" kdir edir ldflags pkgs=() component lock
  require_cmd go
  info "source: go (Go module proxy, $(go version | cut -d' ' -f3))"
  kdir="$GO_WORK/kubernetes-$KUBERNETES_VERSION"
  edir="$GO_WORK/etcd-$ETCD_VERSION"
  mkdir -p "$GO_WORK"
  # Another run (another architecture, the test bed) may be rewriting the helper modules.
  exec {lock}>"$GO_WORK/.lock"
  flock "$lock"
  if [[ ${#K8S_COMPONENTS[@]} -gt 0 ]]; then
    info "downloading the Go modules of Kubernetes $KUBERNETES_VERSION"
    prepare_kubernetes_module "$kdir"
    local minor="${KUBERNETES_VERSION#v1.}"
    minor="${minor%%.*}"
    ldflags="-s -w"
    for var in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $var.gitVersion=$KUBERNETES_VERSION -X $var.gitMajor=1 -X $var.gitMinor=$minor"
      ldflags+=" -X $var.gitTreeState=clean -X $var.buildDate=1970-01-01T00:00:00Z"
    done
    for component in "${K8S_COMPONENTS[@]}"; do
      pkgs+=("k8s.io/kubernetes/cmd/$component")
    done
    info "building ${K8S_COMPONENTS[*]} $KUBERNETES_VERSION linux/$ARCH from Go modules (cold: about 10 minutes on 2 cores; cached afterwards)"
    (cd "$kdir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
      go build -trimpath -ldflags "$ldflags" -o "$out/" "${pkgs[@]}")
  fi
  if wants_etcd; then
    mkdir -p "$edir"
    if [[ ! -f "$edir/go.mod" ]]; then
      printf 'module edgeplane.local/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$edir/go.mod"
    fi
    info "building etcd $ETCD_VERSION linux/$ARCH from Go modules"
    (cd "$edir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
      go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
  fi
  exec {lock}>&-
}

# fetch_auto OUT : release downloads where reachable, else the Go build.
fetch_auto() {
  local out="$1" why
  wants_release_kind || return 0
  if why="$(release_reachable 2>&1)"; then
    fetch_release "$out"
    return
  fi
  if ! command -v go >/dev/null 2>&1; then
    fatal "release downloads unreachable ($why) and no Go toolchain to build from the Go module proxy:" \
      "install Go, or put the binaries in $BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH (see the README)"
  fi
  info "release downloads unreachable ($why); building from Go modules instead"
  build_go "$out"
}

# has_component DIR NAME : NAME is in DIR, executable and listed in its SHA256SUMS (kube-bench with
# its definitions); the caller checks the sums.
has_component() {
  [[ -x "$1/$2" ]] && grep -qE "^[0-9a-f]{64}  $2\$" "$1/SHA256SUMS" || return 1
  [[ "$2" != kube-bench ]] || grep -qE "^[0-9a-f]{64}  kube-bench-cfg/config.yaml\$" "$1/SHA256SUMS"
}

# complete DIR : true when every requested component is in DIR, executable, listed in SHA256SUMS and matching it.
complete() {
  local dir="$1" component
  verify_sums "$dir" || return 1
  for component in "${COMPONENTS[@]}"; do
    has_component "$dir" "$component" || return 1
  done
}

main() {
  case "$SOURCE" in
    auto | release | go) ;;
    *) fatal "EDGEPLANE_BINARIES_SOURCE must be auto, release or go, not: $SOURCE" ;;
  esac
  case "$ARCH" in
    amd64 | arm64) ;;
    *) fatal "EDGEPLANE_ARCH must be amd64 or arm64, not: $ARCH" ;;
  esac
  choose_components
  require_cmd flock
  local target="$BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH" lock
  mkdir -p "$BINARIES_DIR/$KUBERNETES_VERSION"
  exec {lock}>"$BINARIES_DIR/$KUBERNETES_VERSION/.linux-$ARCH.lock"
  if ! flock -n "$lock"; then
    info "waiting for another preparation of $KUBERNETES_VERSION linux/$ARCH to finish"
    flock "$lock"
  fi
  if complete "$target"; then
    info "binaries up to date in $target"
    echo "$target"
    return 0
  fi
  local scratch="$target.partial" missing=() have
  rm -rf "$scratch"
  mkdir -p "$scratch"
  # Every component of a sound target is kept and only the missing ones are fetched: preparing the
  # kubelet alone must not drop a control plane prepared before, a default run must not drop an
  # opt-in kwok, and a new component (a newer Edgeplane) must not rebuild the others.
  local sound=false
  [[ -d "$target" ]] && verify_sums "$target" && sound=true
  for have in "${KNOWN_COMPONENTS[@]}"; do
    if $sound && has_component "$target" "$have"; then
      cp -p "$target/$have" "$scratch/$have"
      if [[ "$have" == kube-bench ]]; then cp -Rp "$target/kube-bench-cfg" "$scratch/kube-bench-cfg"; fi
    elif [[ " ${COMPONENTS[*]} " == *" $have "* ]]; then
      missing+=("$have")
    fi
  done
  plan_fetch "${missing[@]}"
  case "$SOURCE" in
    auto) fetch_auto "$scratch" ;;
    release) if wants_release_kind; then fetch_release "$scratch"; fi ;;
    go) if wants_release_kind; then build_go "$scratch"; fi ;;
  esac
  fetch_konnectivity "$scratch"
  fetch_coredns "$scratch"
  fetch_kwok "$scratch"
  fetch_helm "$scratch"
  fetch_kube_bench "$scratch"
  chmod 0755 "$scratch"/*
  local present=() component
  for component in "${KNOWN_COMPONENTS[@]}"; do
    [[ -e "$scratch/$component" ]] && present+=("$component")
  done
  # kube-bench's definitions are listed too, so that a changed one is noticed like a changed binary.
  (cd "$scratch" && sha256sum "${present[@]}" >SHA256SUMS &&
    if [[ -d kube-bench-cfg ]]; then find kube-bench-cfg -type f | LC_ALL=C sort | xargs -d '\n' sha256sum >>SHA256SUMS; fi)
  # Moved aside rather than deleted first: readers of the old directory see it go for an instant only.
  if [[ -e "$target" ]]; then
    rm -rf "$target.old"
    mv "$target" "$target.old"
  fi
  mv "$scratch" "$target"
  rm -rf "$target.old"
  info "binaries ready in $target"
  exec {lock}>&-
  echo "$target"
}

main "$@"
