#!/usr/bin/env bash
# Installs the tools of the API contract checks that the test command runs, from their own
# registries, into Edgeplane's cache, and optionally runs one of them:
#
#   install-contract-tools.sh               install (if needed); the last line on stdout is the tools directory
#   install-contract-tools.sh redocly ARGS  install (if needed), then run Redocly CLI (the OpenAPI linter)
#   install-contract-tools.sh st ARGS       install (if needed), then run schemathesis (the contract tester)
#
# The pins are the lock files beside this script: contract-tools/package-lock.json (npm, run with
# the machine's Node.js) and contract-tools/requirements.txt (PyPI, in a virtualenv of the machine's
# python3). They are installed into $EDGEPLANE_CACHE_DIR/contract-tools/<digest of the pins and the
# runtimes>/, so changing a pin installs anew beside the old set and a warm run takes well under a
# second. Installs wait for each other (flock), and a set counts only once its last step wrote the
# .complete marker, so an interrupted install is redone rather than used. Nothing is written
# outside the cache: npm's and pip's own caches live there too, and the tools' telemetry and update
# checks are off.
#
# Where `python3 -m venv` lacks ensurepip (Debian without python3-venv), the package is installed
# as the test bed's packages are (install-testbed-host.sh, root).
#
# Environment knobs:
#   EDGEPLANE_CACHE_DIR   root of Edgeplane's caches (default: ~/.cache/edgeplane)
#   EDGEPLANE_NODE        the Node.js to run the linter with (default: node; needs 20.19+ or 22.12+)
#   EDGEPLANE_PYTHON      the Python the contract tester's virtualenv is made from (default: python3)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=lib/node.sh
source "$SCRIPT_DIR/lib/node.sh"

CACHE_DIR="${EDGEPLANE_CACHE_DIR:-$HOME/.cache/edgeplane}"
PINS_DIR="$SCRIPT_DIR/contract-tools"
NODE="${EDGEPLANE_NODE:-node}"
PYTHON="${EDGEPLANE_PYTHON:-python3}"

# ensure_venv_support : python3 can make a virtualenv with pip in it.
ensure_venv_support() {
  require_cmd "$PYTHON"
  if "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    return 0
  fi
  command -v dpkg-query >/dev/null 2>&1 || fatal "$PYTHON cannot make virtualenvs (no ensurepip) and this is no Debian/Ubuntu host"
  info "$PYTHON cannot make virtualenvs: installing python3-venv"
  EDGEPLANE_TESTBED_PACKAGES=python3-venv bash "$SCRIPT_DIR/install-testbed-host.sh"
  "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || fatal "$PYTHON still cannot make virtualenvs after installing python3-venv"
}

# tools_key : what the installed set depends on: the pins and the runtimes that run them.
tools_key() {
  {
    cat "$PINS_DIR/package.json" "$PINS_DIR/package-lock.json" "$PINS_DIR/requirements.txt"
    "$NODE" --version
    "$PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable), sys.version)'
  } | sha256sum | cut -c1-16
}

install_redocly() {
  local dir="$1"
  mkdir -p "$dir/npm"
  cp "$PINS_DIR/package.json" "$PINS_DIR/package-lock.json" "$dir/npm/"
  info "installing Redocly CLI (npm ci)"
  (cd "$dir/npm" && npm_config_cache="$CACHE_DIR/contract-tools/npm-cache" npm_config_update_notifier=false \
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  cat >"$dir/bin/redocly" <<EOF
#!/usr/bin/env bash
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec "$NODE" "$dir/npm/node_modules/@redocly/cli/bin/cli.js" "\$@"
EOF
  chmod 0755 "$dir/bin/redocly"
}

install_schemathesis() {
  local dir="$1"
  info "installing schemathesis (pip, virtualenv of $PYTHON)"
  "$PYTHON" -m venv "$dir/venv"
  PIP_CACHE_DIR="$CACHE_DIR/contract-tools/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$dir/venv/bin/python" -m pip install --quiet --require-virtualenv -r "$PINS_DIR/requirements.txt" >&2
  ln -sfn "$dir/venv/bin/st" "$dir/bin/st"
}

# install : the tools directory, installed unless complete; prints its path.
install() {
  require_cmd flock sha256sum
  require_node "$NODE" "the OpenAPI linter"
  ensure_venv_support
  local dir lock
  dir="$CACHE_DIR/contract-tools/$(tools_key)"
  mkdir -p "$CACHE_DIR/contract-tools"
  exec {lock}>"$CACHE_DIR/contract-tools/.lock"
  if ! flock -n "$lock"; then
    info "waiting for another install of the contract tools to finish"
    flock "$lock"
  fi
  if [[ ! -e "$dir/.complete" ]]; then
    # In place, not in a scratch directory: a virtualenv's scripts name their own absolute path.
    rm -rf "$dir"
    mkdir -p "$dir/bin"
    install_redocly "$dir"
    install_schemathesis "$dir"
    "$dir/bin/redocly" --version >/dev/null 2>&1 || fatal "Redocly CLI does not run from $dir"
    "$dir/bin/st" --version >/dev/null || fatal "schemathesis does not run from $dir"
    touch "$dir/.complete"
    info "contract tools ready in $dir"
  fi
  exec {lock}>&-
  echo "$dir"
}

main() {
  if [[ $# -gt 0 && "$1" != redocly && "$1" != st ]]; then
    fatal "usage: install-contract-tools.sh [redocly|st ARGS...] (not: $1)"
  fi
  local dir
  dir="$(install | tail -n 1)"
  if [[ $# -eq 0 ]]; then
    echo "$dir"
    return 0
  fi
  local tool="$1"
  shift
  exec "$dir/bin/$tool" "$@"
}

main "$@"
