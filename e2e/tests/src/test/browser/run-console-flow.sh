#!/usr/bin/env bash
# Runs the web console's browser flow (console-flow.mjs, ConsoleE2E's browser half) with the machine's
# Node.js and Debian's Chromium:
#
#   run-console-flow.sh WORK_DIR
#
# Playwright's library (playwright-core, pinned by package-lock.json beside this script) is installed
# with `npm ci` into WORK_DIR (the E2E module's target/), again only when the lock file or Node.js
# changed: a marker written after a complete install records which. It downloads no browser
# (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD); npm's own cache lives in Edgeplane's cache directory. The flow's
# settings come from the environment ConsoleE2E sets (CONSOLE_URL, ADMIN_TOKEN, ...; see console-flow.mjs).
#
# Environment knobs:
#   EDGEPLANE_CACHE_DIR   root of Edgeplane's caches (default: ~/.cache/edgeplane)
#   EDGEPLANE_CHROMIUM    the browser to drive (default: /usr/bin/chromium, Debian's package)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BOOTSTRAP_DIR="$(cd "$SCRIPT_DIR/../../../../../bootstrap-scripts" && pwd)"
# shellcheck source=SCRIPTDIR/../../../../../bootstrap-scripts/lib/lib.sh
source "$BOOTSTRAP_DIR/lib/lib.sh"
# shellcheck source=SCRIPTDIR/../../../../../bootstrap-scripts/lib/node.sh
source "$BOOTSTRAP_DIR/lib/node.sh"

CACHE_DIR="${EDGEPLANE_CACHE_DIR:-$HOME/.cache/edgeplane}"
export EDGEPLANE_CHROMIUM="${EDGEPLANE_CHROMIUM:-/usr/bin/chromium}"

# packages_key : what node_modules depends on: the pins and the Node.js that installed them.
packages_key() {
  { cat "$SCRIPT_DIR/package.json" "$SCRIPT_DIR/package-lock.json"; node --version; } | sha256sum | cut -c1-16
}

ensure_packages() {
  local work="$1" key marker
  marker="$work/node_modules/.edgeplane-installed"
  key="$(packages_key)"
  if [[ -f "$marker" && "$(cat "$marker")" == "$key" ]]; then
    return 0
  fi
  info "installing Playwright's library for the browser E2E (npm ci)"
  rm -f "$marker"
  cp "$SCRIPT_DIR/package.json" "$SCRIPT_DIR/package-lock.json" "$work/"
  (cd "$work" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_cache="$CACHE_DIR/browser-e2e/npm-cache" \
    npm_config_update_notifier=false npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$key" >"$marker"
}

main() {
  [[ $# -eq 1 ]] || fatal "usage: run-console-flow.sh WORK_DIR"
  local work="$1"
  require_cmd sha256sum
  require_node node "the browser E2E"
  [[ -x "$EDGEPLANE_CHROMIUM" ]] || fatal "the browser E2E drives Chromium at $EDGEPLANE_CHROMIUM, which is not there (Debian: apt-get install chromium)"
  mkdir -p "$work"
  ensure_packages "$work"
  # Beside its node_modules: an ES module resolves its imports from where it lies.
  cp "$SCRIPT_DIR/console-flow.mjs" "$work/"
  # Chromium's profile, crash database and caches stay in the work directory, out of the user's home.
  export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
  exec node "$work/console-flow.mjs"
}

main "$@"
