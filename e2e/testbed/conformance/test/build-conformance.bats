#!/usr/bin/env bats
# build-conformance.sh against a stubbed go (every build writes a small file; FAIL_ON names a package to fail).

setup() {
  # A copy of the script in the repository's layout, with a shell module of its own to change.
  repo="$BATS_TEST_TMPDIR/repo"
  mkdir -p "$repo/e2e/testbed/conformance/e2e-shell" "$repo/bootstrap-scripts/lib"
  cp "$BATS_TEST_DIRNAME/../build-conformance.sh" "$repo/e2e/testbed/conformance/"
  cp "$BATS_TEST_DIRNAME/../../../../bootstrap-scripts/lib/lib.sh" "$repo/bootstrap-scripts/lib/"
  cp "$BATS_TEST_DIRNAME/../../../../bootstrap-scripts/versions.env" "$repo/bootstrap-scripts/"
  printf 'package main\n' >"$repo/e2e/testbed/conformance/e2e-shell/main.go"
  printf 'module edgeplane.local/e2e-shell\n' >"$repo/e2e/testbed/conformance/e2e-shell/go.mod"
  SCRIPT="$repo/e2e/testbed/conformance/build-conformance.sh"
  source "$repo/bootstrap-scripts/versions.env"
  export EDGEPLANE_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
  export CALLS="$BATS_TEST_TMPDIR/go-calls"
  mkdir -p "$BATS_TEST_TMPDIR/stubs"
  printf 'module k8s.io/kubernetes\n\ngo 1.25.0\n\nreplace (\n\tk8s.io/api => ./staging/src/k8s.io/api\n\tk8s.io/client-go => ./staging/src/k8s.io/client-go\n)\n' \
    >"$BATS_TEST_TMPDIR/kubernetes.mod"
  cat >"$BATS_TEST_TMPDIR/stubs/go" <<STUB
#!/usr/bin/env bash
echo "go \$* (in \$PWD)" >>"$CALLS"
case "\$1" in
  mod) printf '{\n\t"GoMod": "%s",\n}\n' "$BATS_TEST_TMPDIR/kubernetes.mod" ;;
  build | test)
    out="" pkg=""
    while [ \$# -gt 0 ]; do
      case "\$1" in
        -o) out="\$2"; shift 2 ;;
        -ldflags) shift 2 ;;
        -*) shift ;;
        *) pkg="\$1"; shift ;;
      esac
    done
    [ "\$pkg" != "\${FAIL_ON:-none}" ] || { echo "stub: build of \$pkg failed" >&2; exit 1; }
    printf '#!/bin/sh\necho %s\n' "\$pkg" >"\$out"
    ;;
esac
STUB
  chmod +x "$BATS_TEST_TMPDIR/stubs/go"
  export PATH="$BATS_TEST_TMPDIR/stubs:$PATH"
  TARGET="$EDGEPLANE_CACHE_DIR/conformance/$KUBERNETES_VERSION/linux-$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/')"
}

@test "refuses arguments with its usage" {
  run "$SCRIPT" --force
  [ "$status" -eq 2 ]
  [[ "$output" == *"usage: build-conformance.sh"* ]]
}

@test "builds e2e.test, agnhost and sh from the pinned module into the cache, with checksums" {
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "$TARGET" ]
  for b in e2e.test agnhost sh; do [ -x "$TARGET/$b" ]; done
  (cd "$TARGET" && sha256sum -c --quiet SHA256SUMS)
  grep -q "go test -c .* k8s.io/kubernetes/test/e2e" "$CALLS"
  grep -q "go build .* k8s.io/kubernetes/test/images/agnhost" "$CALLS"
  gomod="$EDGEPLANE_CACHE_DIR/go-build/conformance-$KUBERNETES_VERSION/go.mod"
  grep -q "require k8s.io/kubernetes $KUBERNETES_VERSION" "$gomod"
  minor="${KUBERNETES_VERSION#v1.}"
  grep -q "k8s.io/client-go => k8s.io/client-go v0.$minor" "$gomod"
}

@test "a second run builds nothing" {
  "$SCRIPT"
  : >"$CALLS"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"up to date"* ]]
  [ ! -s "$CALLS" ]
}

@test "a failed build leaves neither a target nor a scratch directory" {
  FAIL_ON=k8s.io/kubernetes/test/images/agnhost run "$SCRIPT"
  [ "$status" -ne 0 ]
  [ ! -e "$TARGET" ]
  [ -z "$(find "$(dirname "$TARGET")" -name '*.partial.*')" ]
}

@test "a target whose checksums no longer match is built again" {
  "$SCRIPT"
  echo tampered >>"$TARGET/agnhost"
  : >"$CALLS"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  grep -q "agnhost" "$CALLS"
  (cd "$TARGET" && sha256sum -c --quiet SHA256SUMS)
}

@test "a change of the shell's sources rebuilds sh only" {
  "$SCRIPT"
  printf '// changed\n' >>"$repo/e2e/testbed/conformance/e2e-shell/main.go"
  : >"$CALLS"
  run "$SCRIPT"
  [ "$status" -eq 0 ]
  [[ "$output" == *"keeping e2e.test and agnhost"* ]]
  grep -q "go build .* \. (in .*e2e-shell)" "$CALLS"
  ! grep -q "k8s.io/kubernetes" "$CALLS"
  : >"$CALLS"
  run "$SCRIPT"
  [[ "$output" == *"up to date"* ]]
  [ ! -s "$CALLS" ]
}
