#!/usr/bin/env bash
# Rehearses the first run of the README's test command on a new machine. Every cache the build
# fills starts empty, in a scratch directory: Maven's local repository, Go's module and build
# caches, and Edgeplane's caches (Kubernetes binaries, CoreDNS, test images, Go helper modules).
# The host is recorded before anything is installed and compared afterwards. The test command
# itself fails unless it leaves the host as it found it once its packages are installed; this adds
# what installing those packages changed, and how long a cold run takes.
#
# Usage, as root: bootstrap-scripts/rehearse-fresh-machine.sh [MAVEN ARGUMENTS...]
#   extra arguments go to `mvn -B verify`, e.g. -Dit.test=QuickStartE2E -Dtest=none
#   -Dsurefire.failIfNoSpecifiedTests=false to rehearse one part
#
# What it cannot make fresh, and says so: Debian packages already installed (it lists the test bed's
# that are there; a new machine gets them from the run), the JDK, Maven, Go, and the kernel.
#
# Environment knobs:
#   EDGEPLANE_REHEARSAL_DIR  scratch directory (default: a new one under /var/tmp); kept afterwards,
#                            so that a second rehearsal with the same directory is a warm run
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"

REPOSITORY="$(cd "$SCRIPT_DIR/.." && pwd)"

# test_bed_packages : the package list install-testbed-host.sh installs.
test_bed_packages() {
  # shellcheck disable=SC2016 # the pattern matches the literal default in that file
  sed -n 's/^PACKAGES="\${EDGEPLANE_TESTBED_PACKAGES:-\(.*\)}"$/\1/p' "$SCRIPT_DIR/install-testbed-host.sh"
}

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

main() {
  [[ "$(id -u)" -eq 0 ]] || fatal "the test command runs as root (it installs packages and makes network namespaces)"
  require_cmd mvn dpkg-query du
  local scratch="${EDGEPLANE_REHEARSAL_DIR:-}" package present=() absent=() started status=0
  if [[ -z "$scratch" ]]; then
    scratch="$(mktemp -d /var/tmp/edgeplane-rehearsal.XXXXXX)"
  fi
  mkdir -p "$scratch"
  for package in $(test_bed_packages); do
    if installed "$package"; then present+=("$package"); else absent+=("$package"); fi
  done
  info "scratch directory (every cache starts here): $scratch"
  info "test-bed packages already installed, so not rehearsed: ${present[*]:-none}"
  info "test-bed packages this run installs: ${absent[*]:-none}"
  bash "$SCRIPT_DIR/host-state.sh" save "$scratch/host-before-packages"

  started="$(date +%s)"
  (
    cd "$REPOSITORY"
    env GOPATH="$scratch/go" GOMODCACHE="$scratch/go/pkg/mod" GOCACHE="$scratch/go-build-cache" \
      EDGEPLANE_CACHE_DIR="$scratch/edgeplane-cache" \
      mvn -B -Dmaven.repo.local="$scratch/m2" verify "$@"
  ) || status=$?
  info "test command ended with exit code $status after $(($(date +%s) - started)) s"

  if bash "$SCRIPT_DIR/host-state.sh" compare "$scratch/host-before-packages"; then
    info "the host is exactly as before the rehearsal"
  else
    info "the differences above came with the packages installed (${absent[*]:-none});" \
      "the test command's own check, taken after them, is the one that must pass"
  fi
  info "caches filled: $(du -sh "$scratch"/m2 "$scratch"/go "$scratch"/go-build-cache "$scratch"/edgeplane-cache 2>/dev/null |
    awk '{ printf "%s %s; ", $2, $1 }')"
  return "$status"
}

main "$@"
