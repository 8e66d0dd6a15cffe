#!/usr/bin/env bash
# Builds or tests the web console (seed-manager/console) with the machine's Node.js and npm. Its Maven
# module runs it, so the build downloads no Node.js runtime:
#
#   build-console.sh build   API types from the contract copy, type check, bundle into EDGEPLANE_CONSOLE_OUT
#   build-console.sh test    the console's component tests (Vitest, jsdom)
#
# The npm packages come from the console's package-lock.json (`npm ci`) into its node_modules, installed
# again only when the lock file or Node.js changed: a marker written after a complete install records
# which, so an interrupted install is redone and a warm build installs nothing. npm's own cache lives in
# Edgeplane's cache directory; its update checks are off.
#
# Environment knobs:
#   EDGEPLANE_CACHE_DIR    root of Edgeplane's caches (default: ~/.cache/edgeplane)
#   EDGEPLANE_CONSOLE_DIR  the console's npm project (default: seed-manager/console of this checkout)
#   EDGEPLANE_CONSOLE_OUT  where `build` writes the bundle (default: the module's
#                          target/classes/edgeplane-console, which the jar serves)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=lib/node.sh
source "$SCRIPT_DIR/lib/node.sh"

CACHE_DIR="${EDGEPLANE_CACHE_DIR:-$HOME/.cache/edgeplane}"
CONSOLE_DIR="$(cd "${EDGEPLANE_CONSOLE_DIR:-$SCRIPT_DIR/../seed-manager/console}" && pwd)"
MARKER="$CONSOLE_DIR/node_modules/.edgeplane-installed"

# packages_key : what node_modules depends on: the lock file and the Node.js that installed it.
packages_key() {
  { cat "$CONSOLE_DIR/package-lock.json"; node --version; } | sha256sum | cut -c1-16
}

ensure_packages() {
  local key
  key="$(packages_key)"
  if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$key" ]]; then
    return 0
  fi
  info "installing the web console's npm packages (npm ci)"
  rm -f "$MARKER"
  (cd "$CONSOLE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$key" >"$MARKER"
}

main() {
  if [[ $# -ne 1 || ( "$1" != build && "$1" != test ) ]]; then
    fatal "usage: build-console.sh build|test (not: $*)"
  fi
  require_cmd sha256sum
  require_node node "the web console's build"
  # npm's cache and logs go to Edgeplane's cache, not ~/.npm.
  export npm_config_cache="$CACHE_DIR/console/npm-cache" npm_config_update_notifier=false
  ensure_packages
  export EDGEPLANE_CONSOLE_OUT="${EDGEPLANE_CONSOLE_OUT:-$CONSOLE_DIR/target/classes/edgeplane-console}"
  (cd "$CONSOLE_DIR" && npm run --silent "$1")
}

main "$@"
