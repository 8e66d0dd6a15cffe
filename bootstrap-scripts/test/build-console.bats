#!/usr/bin/env bats
# build-console.sh with stubbed node and npm (no registry is asked).

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../build-console.sh"
  export EDGEPLANE_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
  export EDGEPLANE_CONSOLE_DIR="$BATS_TEST_TMPDIR/console"
  mkdir -p "$EDGEPLANE_CONSOLE_DIR"
  echo '{"lockfileVersion": 3}' >"$EDGEPLANE_CONSOLE_DIR/package-lock.json"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  export CALLS="$BATS_TEST_TMPDIR/calls"
  mkdir -p "$STUBS"
  export PATH="$STUBS:$PATH"
  export NODE_VERSION=v20.20.2
  stub node 'echo "$NODE_VERSION"'
  # npm ci makes node_modules; npm run records the script and where it writes.
  stub npm 'echo "npm $* cache=${npm_config_cache:-} out=${EDGEPLANE_CONSOLE_OUT:-}" >>"$CALLS"
if [ "$1" = ci ]; then mkdir -p node_modules; fi
if [ "${FAIL_NPM_CI:-}" = 1 ] && [ "$1" = ci ]; then exit 1; fi'
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "installs the packages once, then builds into the jar's classes" {
  run bash "$SCRIPT" build
  [ "$status" -eq 0 ]
  run bash "$SCRIPT" test
  [ "$status" -eq 0 ]
  [ "$(grep -c '^npm ci' "$CALLS")" -eq 1 ]
  grep -q "^npm ci .*cache=$EDGEPLANE_CACHE_DIR/console/npm-cache" "$CALLS"
  grep -q "^npm run --silent build .*out=$EDGEPLANE_CONSOLE_DIR/target/classes/edgeplane-console" "$CALLS"
  grep -q '^npm run --silent test' "$CALLS"
}

@test "a changed lock file or Node.js installs again" {
  bash "$SCRIPT" build
  echo '{"lockfileVersion": 3, "changed": true}' >"$EDGEPLANE_CONSOLE_DIR/package-lock.json"
  bash "$SCRIPT" build
  NODE_VERSION=v22.12.0 bash "$SCRIPT" build
  [ "$(grep -c '^npm ci' "$CALLS")" -eq 3 ]
}

@test "an install that failed is redone, and nothing is built after it" {
  FAIL_NPM_CI=1 run bash "$SCRIPT" build
  [ "$status" -ne 0 ]
  ! grep -q '^npm run' "$CALLS"
  run bash "$SCRIPT" build
  [ "$status" -eq 0 ]
  [ "$(grep -c '^npm ci' "$CALLS")" -eq 2 ]
}

@test "refuses a Node.js too old for Vite, before installing anything" {
  NODE_VERSION=v20.18.1 run bash "$SCRIPT" build
  [ "$status" -eq 1 ]
  [[ "$output" == *"the web console's build needs Node.js 20.19+ or 22.12+, found 20.18.1"* ]]
  [ ! -e "$CALLS" ]
}

@test "says so when Node.js is missing" {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/node.sh"
  run require_node no-such-node "the web console's build"
  [ "$status" -eq 1 ]
  [[ "$output" == *"the web console's build needs Node.js 20.19+ or 22.12+ with npm; no-such-node is not installed"* ]]
}

@test "builds or tests, nothing else" {
  run bash "$SCRIPT" publish
  [ "$status" -eq 1 ]
  [[ "$output" == *"usage: build-console.sh build|test (not: publish)"* ]]
  [ ! -e "$CALLS" ]
}
