#!/usr/bin/env bash
# Fills a binaries directory with the Kubernetes components and etcd at the pinned versions:
#
#   $EDGEPLANE_BINARIES_DIR/<kubernetes version>/linux-<arch>/
#       etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy SHA256SUMS
#
# The seed manager serves this layout to devices as its artifact mirror, and the test bed runs
# from it (kube-proxy serves its seed cluster's Services). A directory holding every component
# above, each listed in a SHA256SUMS that verifies, is left untouched, so a warm run takes a
# second; a directory missing one (e.g. filled by an older version of this script) is filled
# again, and an interrupted run leaves only a scratch directory that the next run replaces.
#
# Environment knobs:
#   EDGEPLANE_BINARIES_DIR     target root (default: ~/.cache/edgeplane/binaries)
#   EDGEPLANE_BINARIES_SOURCE  release: official release downloads, checked against their
#                                       published SHA-256 (needs internet)
#                              go:      build from the Go modules (needs only the Go module proxy)
#                              (default: release)
#   EDGEPLANE_ARCH             amd64 or arm64 (default: this machine)
#   KUBERNETES_VERSION, ETCD_VERSION   override the pins in versions.env
#   EDGEPLANE_GO_WORK          where the Go build keeps its helper modules
#                              (default: ~/.cache/edgeplane/go-build)
#   EDGEPLANE_K8S_RELEASE_URL  default https://dl.k8s.io/release
#   EDGEPLANE_ETCD_RELEASE_URL default https://github.com/etcd-io/etcd/releases/download
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=versions.env
source "$SCRIPT_DIR/versions.env"

BINARIES_DIR="${EDGEPLANE_BINARIES_DIR:-$HOME/.cache/edgeplane/binaries}"
SOURCE="${EDGEPLANE_BINARIES_SOURCE:-release}"
ARCH="${EDGEPLANE_ARCH:-$(host_arch)}"
GO_WORK="${EDGEPLANE_GO_WORK:-$HOME/.cache/edgeplane/go-build}"
K8S_RELEASE_URL="${EDGEPLANE_K8S_RELEASE_URL:-https://dl.k8s.io/release}"
ETCD_RELEASE_URL="${EDGEPLANE_ETCD_RELEASE_URL:-https://github.com/etcd-io/etcd/releases/download}"
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy)

# --- release downloads -------------------------------------------------------------------------

fetch_release() {
  local out="$1" component sum tmp
  require_cmd curl tar sha256sum
  tmp="$(mktemp -d)"
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" RETURN
  for component in "${K8S_COMPONENTS[@]}"; do
    info "downloading $component $KUBERNETES_VERSION linux/$ARCH"
    download "$K8S_RELEASE_URL/$KUBERNETES_VERSION/bin/linux/$ARCH/$component.sha256" "$tmp/$component.sha256"
    sum="$(tr -d '[:space:]' <"$tmp/$component.sha256")"
    download_verified "$K8S_RELEASE_URL/$KUBERNETES_VERSION/bin/linux/$ARCH/$component" "$out/$component" "$sum"
  done
  local tarball="etcd-$ETCD_VERSION-linux-$ARCH.tar.gz"
  info "downloading etcd $ETCD_VERSION linux/$ARCH"
  download "$ETCD_RELEASE_URL/$ETCD_VERSION/SHA256SUMS" "$tmp/etcd.sums"
  sum="$(awk -v f="$tarball" '$2 == f { print $1 }' "$tmp/etcd.sums")"
  [[ -n "$sum" ]] || fatal "no checksum for $tarball in the etcd $ETCD_VERSION release"
  download_verified "$ETCD_RELEASE_URL/$ETCD_VERSION/$tarball" "$tmp/$tarball" "$sum"
  tar -xzf "$tmp/$tarball" -C "$tmp"
  cp "$tmp/etcd-$ETCD_VERSION-linux-$ARCH/etcd" "$out/etcd"
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
  local out="$1" kdir edir ldflags pkgs=() component
  require_cmd go
  kdir="$GO_WORK/kubernetes-$KUBERNETES_VERSION"
  edir="$GO_WORK/etcd-$ETCD_VERSION"
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
  info "building ${K8S_COMPONENTS[*]} $KUBERNETES_VERSION linux/$ARCH from Go modules (cold: tens of minutes; cached afterwards)"
  (cd "$kdir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "$ldflags" -o "$out/" "${pkgs[@]}")

  mkdir -p "$edir"
  if [[ ! -f "$edir/go.mod" ]]; then
    printf 'module edgeplane.local/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$edir/go.mod"
  fi
  info "building etcd $ETCD_VERSION linux/$ARCH from Go modules"
  (cd "$edir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
}

# complete DIR : true when every component is in DIR, executable, listed in SHA256SUMS and matching it.
complete() {
  local dir="$1" component
  verify_sums "$dir" || return 1
  for component in etcd "${K8S_COMPONENTS[@]}"; do
    [[ -x "$dir/$component" ]] || return 1
    grep -qE "^[0-9a-f]{64}  $component\$" "$dir/SHA256SUMS" || return 1
  done
}

main() {
  local target="$BINARIES_DIR/$KUBERNETES_VERSION/linux-$ARCH"
  if complete "$target"; then
    info "binaries up to date in $target"
    echo "$target"
    return 0
  fi
  mkdir -p "$BINARIES_DIR/$KUBERNETES_VERSION"
  local scratch="$target.partial"
  rm -rf "$scratch"
  mkdir -p "$scratch"
  case "$SOURCE" in
    release) fetch_release "$scratch" ;;
    go) build_go "$scratch" ;;
    *) fatal "EDGEPLANE_BINARIES_SOURCE must be release or go, not: $SOURCE" ;;
  esac
  chmod 0755 "$scratch"/*
  (cd "$scratch" && sha256sum etcd "${K8S_COMPONENTS[@]}" >SHA256SUMS)
  # Moved aside rather than deleted first: readers of the old directory see it go for an instant only.
  if [[ -e "$target" ]]; then
    rm -rf "$target.old"
    mv "$target" "$target.old"
  fi
  mv "$scratch" "$target"
  rm -rf "$target.old"
  info "binaries ready in $target"
  echo "$target"
}

main "$@"
