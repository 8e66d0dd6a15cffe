#!/usr/bin/env bash
# Builds the Kubernetes conformance test binary and the program its network tests run in their pods,
# from the pinned k8s.io/kubernetes module, plus the shell those pods need, for this machine's
# architecture:
#
#   $EDGEPLANE_CACHE_DIR/conformance/<kubernetes version>/linux-<arch>/
#       e2e.test agnhost sh SHA256SUMS
#
# sh (e2e-shell/ beside this script) stands in for the Debian userland of the real agnhost image: a
# POSIX shell from mvdan.cc/sh with the tools the tests call inside agnhost containers built in.
#
# The version is KUBERNETES_VERSION from bootstrap-scripts/versions.env (the pin fetch-binaries.sh
# builds the components from), so the tests match the apiserver and kubelet they run against.
# All are static (CGO_ENABLED=0): agnhost and sh make a one-layer image without a libc.
#
# A directory whose SHA256SUMS lists all three and verifies, and whose sh was built from the
# e2e-shell sources as they are now (sh.sources holds their digest), is left untouched (a warm run
# takes a second); when only the shell's sources changed, only sh is built again. Work happens in a scratch directory moved into place only once complete, so an
# interrupted run never leaves half a cache; runs for the same target wait for each other.
#
# Usage: build-conformance.sh            (no arguments; the last line on stdout is the directory)
#
# Environment knobs:
#   EDGEPLANE_CACHE_DIR   root of Edgeplane's caches (default: ~/.cache/edgeplane)
#   EDGEPLANE_GO_WORK     where the helper Go module lives (default: $EDGEPLANE_CACHE_DIR/go-build)
#   KUBERNETES_VERSION    overrides the pin in versions.env
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BOOTSTRAP_DIR="$(cd "$SCRIPT_DIR/../../../bootstrap-scripts" && pwd)"
# shellcheck source-path=SCRIPTDIR/../../../bootstrap-scripts
# shellcheck source=lib/lib.sh
source "$BOOTSTRAP_DIR/lib/lib.sh"
PINNED_KUBERNETES_VERSION="${KUBERNETES_VERSION:-}"
# shellcheck source-path=SCRIPTDIR/../../../bootstrap-scripts
# shellcheck source=versions.env
source "$BOOTSTRAP_DIR/versions.env"
KUBERNETES_VERSION="${PINNED_KUBERNETES_VERSION:-$KUBERNETES_VERSION}"

CACHE_DIR="${EDGEPLANE_CACHE_DIR:-$HOME/.cache/edgeplane}"
GO_WORK="${EDGEPLANE_GO_WORK:-$CACHE_DIR/go-build}"
BINARIES=(e2e.test agnhost sh)

usage() {
  echo "usage: $(basename "$0")   (no arguments; see the comment at the top for the environment knobs)" >&2
  exit 2
}

# prepare_conformance_module DIR : a helper module requiring k8s.io/kubernetes at the pin, each staging
# module it replaces locally pinned to its published v0.<minor> twin instead. A small copy of
# prepare_kubernetes_module in fetch-binaries.sh (which runs its main when sourced), in a directory of
# its own: e2e.test needs test-only dependencies the components' helper module should not gather.
prepare_conformance_module() {
  local dir="$1" gomod go_line minor staging
  mkdir -p "$dir"
  gomod="$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || fatal "cannot download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
  go_line="$(grep -m1 '^go ' "$gomod")"
  minor="${KUBERNETES_VERSION#v1.}"
  {
    echo "module edgeplane.local/conformance-build"
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

# sound DIR BINARY : true when BINARY is in DIR, executable, listed in its SHA256SUMS, and the list verifies.
sound() {
  [[ -x "$1/$2" ]] && grep -qE "^[0-9a-f]{64}  $2\$" "$1/SHA256SUMS" 2>/dev/null && verify_sums "$1"
}

# shell_sources : one digest of the e2e-shell module's files (names and contents).
shell_sources() {
  (cd "$SCRIPT_DIR/e2e-shell" && find . -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# complete DIR : true when every binary is sound in DIR and sh is built from the current sources.
complete() {
  local dir="$1" binary
  for binary in "${BINARIES[@]}"; do
    sound "$dir" "$binary" || return 1
  done
  [[ "$(cat "$dir/sh.sources" 2>/dev/null)" == "$(shell_sources)" ]]
}

# build OUT TARGET : e2e.test, agnhost and sh into OUT; e2e.test and agnhost are copied from TARGET
# where sound there (a change of the shell's sources rebuilds the shell only).
build() {
  local out="$1" target="$2" mdir="$GO_WORK/conformance-$KUBERNETES_VERSION" minor ldflags var
  if sound "$target" e2e.test && sound "$target" agnhost; then
    info "keeping e2e.test and agnhost from $target"
    cp -p "$target/e2e.test" "$target/agnhost" "$out/"
    build_shell "$out"
    return
  fi
  minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  prepare_conformance_module "$mdir"
  # e2e.test compares the server's version with its own and logs both: stamp the pin, as the
  # components are stamped.
  ldflags="-s -w"
  for var in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $var.gitVersion=$KUBERNETES_VERSION -X $var.gitMajor=1 -X $var.gitMinor=$minor"
    ldflags+=" -X $var.gitTreeState=clean -X $var.buildDate=1970-01-01T00:00:00Z"
  done
  info "building e2e.test $KUBERNETES_VERSION linux/$ARCH from Go modules (cold: about 12 minutes on 2 cores; 5 after fetch-binaries.sh built the components)"
  (cd "$mdir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go test -c -trimpath -ldflags "$ldflags" -o "$out/e2e.test" k8s.io/kubernetes/test/e2e)
  info "building agnhost $KUBERNETES_VERSION linux/$ARCH from Go modules"
  (cd "$mdir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "-s -w" -o "$out/agnhost" k8s.io/kubernetes/test/images/agnhost)
  build_shell "$out"
}

# build_shell OUT : sh from the e2e-shell module beside this script, and the digest of its sources.
build_shell() {
  local out="$1"
  info "building sh (the test images' shell) from $SCRIPT_DIR/e2e-shell"
  (cd "$SCRIPT_DIR/e2e-shell" && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOOS=linux GOARCH="$ARCH" \
    go build -trimpath -ldflags "-s -w" -o "$out/sh" .)
  shell_sources >"$out/sh.sources"
}

main() {
  [[ $# -eq 0 ]] || usage
  [[ "$KUBERNETES_VERSION" =~ ^v1\.[0-9]+\.[0-9]+$ ]] ||
    fatal "KUBERNETES_VERSION must look like v1.<minor>.<patch>, not: $KUBERNETES_VERSION"
  require_cmd go flock sha256sum
  ARCH="$(host_arch)"
  local root="$CACHE_DIR/conformance/$KUBERNETES_VERSION" lock
  local target="$root/linux-$ARCH" scratch
  mkdir -p "$root" "$GO_WORK"
  exec {lock}>"$root/.linux-$ARCH.lock"
  if ! flock -n "$lock"; then
    info "waiting for another build of the conformance binaries $KUBERNETES_VERSION linux/$ARCH to finish"
    flock "$lock"
  fi
  if complete "$target"; then
    info "conformance binaries up to date in $target"
    echo "$target"
    return 0
  fi
  scratch="$(mktemp -d "$root/.linux-$ARCH.partial.XXXXXX")"
  chmod 0755 "$scratch"
  # shellcheck disable=SC2064 # expand now: scratch is local
  trap "rm -rf '$scratch'" EXIT
  build "$scratch" "$target"
  (cd "$scratch" && chmod 0755 "${BINARIES[@]}")
  (cd "$scratch" && sha256sum "${BINARIES[@]}" >SHA256SUMS)
  rm -rf "$target"
  mv "$scratch" "$target"
  trap - EXIT
  info "conformance binaries ready in $target"
  exec {lock}>&-
  echo "$target"
}

main "$@"
