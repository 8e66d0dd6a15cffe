#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the local Kubernetes test bed runs on: containerd, runc and
# the CNI plugins (what a device runs besides the kubelet), sshd for device sandboxes, sudo (a
# device's /etc starts as a copy of the host's, so SSH delivery as a non-root user can be tested),
# a plain registry for locally built images, the shell test tools, python3-venv for the
# virtualenv of the API contract tester (install-contract-tools.sh), and Chromium, the browser the
# web console's E2E drives (ConsoleE2E, through Playwright's library). Only missing packages are
# installed, so a second run changes nothing and takes well under a second.
#
# Package installs never start services here: the test bed starts every daemon itself, with its
# own state directories, and a host sshd or containerd left running would be noise.
#
# Environment knobs:
#   EDGEPLANE_TESTBED_PACKAGES  space-separated package list (default: see PACKAGES below)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"

PACKAGES="${EDGEPLANE_TESTBED_PACKAGES:-containerd runc containernetworking-plugins docker-registry openssh-server openssh-client sudo iproute2 iptables util-linux curl ca-certificates bats shellcheck python3-venv chromium}"

missing_packages() {
  local pkg
  for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$pkg"
    fi
  done
}

main() {
  require_cmd dpkg-query
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  if [[ -z "${missing// /}" ]]; then
    info "test-bed packages present"
    return 0
  fi
  [[ "$(id -u)" -eq 0 ]] || fatal "installing $missing needs root (run as root or with sudo)"
  require_cmd apt-get
  local policy=/usr/sbin/policy-rc.d own_policy=false
  if [[ ! -e "$policy" ]]; then
    # Debian's hook to keep maintainer scripts from starting services; removed again on exit.
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    own_policy=true
  fi
  # shellcheck disable=SC2064 # expand now
  trap "if $own_policy; then rm -f '$policy'; fi" EXIT
  info "installing: $missing"
  apt-get update -qq
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  info "installed: $missing"
}

main "$@"
