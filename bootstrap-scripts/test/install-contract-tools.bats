#!/usr/bin/env bats
# install-contract-tools.sh with stubbed node, npm and python3 (no registry is asked).

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../install-contract-tools.sh"
  export EDGEPLANE_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  export CALLS="$BATS_TEST_TMPDIR/calls"
  mkdir -p "$STUBS"
  export PATH="$STUBS:$PATH"
  export NODE_VERSION=v20.20.2
  # node: its version, or runs the "JavaScript" (a bash script here).
  stub node 'if [ "$1" = --version ]; then echo "$NODE_VERSION"; else exec bash "$@"; fi'
  # npm ci: a Redocly CLI that prints its version.
  stub npm 'echo "npm $*" >>"$CALLS"
mkdir -p node_modules/@redocly/cli/bin
echo "echo 2.77.0 \"\$@\"" >node_modules/@redocly/cli/bin/cli.js'
  # python3: venv makes a virtualenv whose pip install makes an st that prints its version.
  stub python3 'case "$1" in
  -c) case "$2" in *print*) echo "stub-python 3.11" ;; esac ;;
  -m) mkdir -p "$3/bin"
      printf "%s\n" "#!/usr/bin/env bash" "echo \"pip \$*\" >>\"$CALLS\"" \
        "printf \"%s\\n\" \"#!/usr/bin/env bash\" \"echo st, version 4.32.5 \\\"\\\$@\\\"\" >\"$3/bin/st\"" \
        "chmod +x \"$3/bin/st\"" >"$3/bin/python"
      chmod +x "$3/bin/python" ;;
esac'
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "installs both tools into the cache once, then runs them from there" {
  run bash "$SCRIPT"
  [ "$status" -eq 0 ]
  dir="${lines[-1]}"
  [[ "$dir" == "$EDGEPLANE_CACHE_DIR/contract-tools/"* ]]
  [ -e "$dir/.complete" ]
  run bash "$SCRIPT" redocly lint x.yml
  [ "$status" -eq 0 ]
  [ "$output" = "2.77.0 lint x.yml" ]
  run bash "$SCRIPT" st run --seed 1
  [ "$output" = "st, version 4.32.5 run --seed 1" ]
  [ "$(grep -c '^npm ci' "$CALLS")" -eq 1 ]
  [ "$(grep -c '^pip -m pip install' "$CALLS")" -eq 1 ]
}

@test "an install that did not finish is redone" {
  run bash "$SCRIPT"
  dir="${lines[-1]}"
  rm "$dir/.complete"
  run bash "$SCRIPT"
  [ "$status" -eq 0 ]
  [ -e "$dir/.complete" ]
  [ "$(grep -c '^npm ci' "$CALLS")" -eq 2 ]
}

@test "another runtime installs a set of its own" {
  run bash "$SCRIPT"
  first="${lines[-1]}"
  NODE_VERSION=v22.12.0 run bash "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" != "$first" ]
}

@test "refuses a Node.js too old for the pinned linter" {
  NODE_VERSION=v20.18.1 run bash "$SCRIPT"
  [ "$status" -eq 1 ]
  [[ "$output" == *"needs Node.js 20.19+ or 22.12+, found 20.18.1"* ]]
  [ ! -e "$CALLS" ]
}

@test "runs only the tools it installs" {
  run bash "$SCRIPT" curl --version
  [ "$status" -eq 1 ]
  [[ "$output" == *"usage: install-contract-tools.sh [redocly|st ARGS...] (not: curl)"* ]]
  [ ! -e "$CALLS" ]
}
