#!/usr/bin/env bats
# lib/bundle.sh and import-bundle.sh: importing offline bundles, with a throwaway cluster CA made by
# openssl, bundles built here as the seed manager builds them, and a stub ctr that remembers
# imported images (by the io.containerd.image.name and digest in the image tar's index.json).

bats_require_minimum_version 1.5.0

setup_file() {
  export CAS="$BATS_FILE_TMPDIR/cas"
  mkdir -p "$CAS"
  local ca
  for ca in device other; do
    openssl ecparam -name prime256v1 -genkey -noout -out "$CAS/$ca.key" 2>/dev/null
    openssl req -x509 -new -key "$CAS/$ca.key" -subj "/CN=$ca-ca" -days 2 -out "$CAS/$ca.crt" 2>/dev/null
  done
}

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/bundle.sh"
  T="$BATS_TEST_TMPDIR"
  CLUSTER_CA="$T/pki/ca.crt"
  STATIC_PODS="$T/manifests"
  WORKLOAD_CONFIGS="$T/workloads"
  IMPORT_LOCK="$T/run/import.lock"
  NODE_NAME_FILE="$T/node-name"
  CONTAINERD_SOCKET="$T/containerd.sock"
  # No device agent unless a test installs one (stub_agent).
  AGENT_BIN="$T/agent/edgeplane-device"
  export TMPDIR="$T/tmp"
  mkdir -p "$T/pki" "$TMPDIR" "$T/bin"
  cp "$CAS/device.crt" "$CLUSTER_CA"
  echo edge-1 >"$NODE_NAME_FILE"
  bundle_require_root() { :; }
  stub_ctr
  PATH="$T/bin:$PATH"
}

# ctr [--address A] [--namespace N] version | images ls name==REF | images import TAR
stub_ctr() {
  cat >"$T/bin/ctr" <<'STUB'
#!/usr/bin/env bash
state="${CTR_STATE:?}"
echo "ctr $*" >>"$state.calls"
while [[ "$1" == --* ]]; do shift 2; done
touch "$state"
case "$1 $2" in
  "version ") exit 0 ;;
  "images ls")
    ref="${3#name==}"
    echo "REF TYPE DIGEST SIZE PLATFORMS LABELS"
    awk -v ref="$ref" '$1 == ref { print $1, "application/vnd.oci.image.manifest.v1+json", $2, "1KiB", "linux/amd64", "-" }' "$state"
    ;;
  "images import")
    index="$(tar -xOf "$3" index.json)" || exit 1
    name="$(sed -E 's/.*"io\.containerd\.image\.name":"([^"]+)".*/\1/' <<<"$index")"
    digest="$(sed -E 's/.*"digest":"([^"]+)".*/\1/' <<<"$index")"
    grep -v "^$name " "$state" >"$state.new" || true
    echo "$name $digest" >>"$state.new"
    mv "$state.new" "$state"
    echo "unpacking $name ($digest)...done"
    ;;
  *) echo "stub ctr: unexpected $*" >&2; exit 1 ;;
esac
STUB
  chmod +x "$T/bin/ctr"
  export CTR_STATE="$T/ctr-images"
}

# stub_agent EXIT [MESSAGE] : an installed device agent that notes each call's arguments (one per
# line, then "--"), keeps copies of the pod and configuration it is given, says MESSAGE and exits
# with EXIT.
stub_agent() {
  mkdir -p "$(dirname "$AGENT_BIN")"
  cat >"$AGENT_BIN" <<STUB
#!/usr/bin/env bash
{ printf '%s\n' "\$@"; echo --; } >>"$T/agent.calls"
while ((\$#)); do
  case "\$1" in
    --pod) cp "\$2" "$T/agent.pod" ;;
    --config) cp "\$2" "$T/agent.config" ;;
  esac
  shift
done
${2:+echo "$2"}
exit $1
STUB
  chmod +x "$AGENT_BIN"
}

# make_bundle OUT [KEY=VALUE...] : a bundle signed by the device CA; KEY=VALUE override bundle.env
# and the knobs SPEC (spec hash), CA_CERT (whose hash bundle.env names), SIGN_KEY (signing key).
make_bundle() {
  local out="$1" dir spec=0123456789 ca_cert="$CAS/device.crt" sign_key="$CAS/device.key" kv digest
  shift
  declare -A env=([CLUSTER]=acme/line [WORKLOAD]=hello [NODE]=edge-1)
  for kv in "$@"; do
    case "$kv" in
      SPEC=*) spec="${kv#*=}" ;;
      CA_CERT=*) ca_cert="${kv#*=}" ;;
      SIGN_KEY=*) sign_key="${kv#*=}" ;;
      *) env["${kv%%=*}"]="${kv#*=}" ;;
    esac
  done
  dir="$(mktemp -d "$T/bundle.XXXXXX")"
  mkdir -p "$dir/layout/blobs/sha256" "$dir/images"
  echo "manifest of spec $spec" >"$dir/layout/blobs/sha256/m"
  digest="sha256:$(sha256_of "$dir/layout/blobs/sha256/m")"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":24,"annotations":{"io.containerd.image.name":"registry.example.com/hello:%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$digest" "$spec" "$spec" >"$dir/layout/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/layout/oci-layout"
  tar -cf "$dir/images/1.tar" -C "$dir/layout" oci-layout index.json blobs
  rm -rf "$dir/layout"
  {
    echo BUNDLE_FORMAT=1
    echo "CLUSTER=${env[CLUSTER]}"
    echo "CLUSTER_CA_SHA256=$(openssl x509 -in "$ca_cert" -outform DER | sha256sum | cut -d' ' -f1)"
    echo "WORKLOAD=${env[WORKLOAD]}"
    echo "NODE=${env[NODE]}"
    echo "SPEC_HASH=$spec"
    echo CREATED=2025-03-01T12:00:00Z
    echo IMAGES=1
    echo "IMAGE_1=registry.example.com/hello:$spec"
    echo "IMAGE_1_DIGEST=$digest"
    [[ -z "${env[VERSION]:-}" ]] || echo "VERSION=${env[VERSION]}"
  } >"$dir/bundle.env"
  printf -- '---\napiVersion: "v1"\nkind: "Pod"\nmetadata:\n  name: "%s"\n  annotations:\n    edgeplane.io/spec-hash: "%s"\n' \
    "${env[WORKLOAD]}" "$spec" >"$dir/pod.yaml"
  printf '{\n  "greeting" : "hi %s"\n}\n' "$spec" >"$dir/app.yaml"
  (cd "$dir" && sha256sum bundle.env pod.yaml app.yaml images/1.tar >SHA256SUMS)
  openssl dgst -sha256 -sign "$sign_key" -out "$dir/SHA256SUMS.sig" "$dir/SHA256SUMS"
  tar -cf "$out" -C "$dir" bundle.env pod.yaml app.yaml images/1.tar SHA256SUMS SHA256SUMS.sig
  echo "$dir"
}

# retar DIR OUT : the bundle again from DIR after a test changed a file in it.
retar() {
  tar -cf "$2" -C "$1" bundle.env pod.yaml app.yaml images/1.tar SHA256SUMS SHA256SUMS.sig
}

import() {
  run bundle_main "$@"
}

nothing_written() {
  [ ! -e "$STATIC_PODS" ] && [ ! -e "$WORKLOAD_CONFIGS" ] && [ ! -s "$CTR_STATE" ]
}

@test "a good bundle loads its image, writes its configuration and its static pod" {
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"[verify] bundle of workload hello for node edge-1 of cluster acme/line"* ]]
  [[ "$output" == *"[images] imported image registry.example.com/hello:0123456789"* ]]
  [[ "$output" == *"workload hello (spec 0123456789) imported, 3 change(s)"* ]]
  grep -q "images import" "$CTR_STATE.calls"
  grep -q '"greeting" : "hi 0123456789"' "$WORKLOAD_CONFIGS/hello/0123456789/app.yaml"
  head -n1 "$STATIC_PODS/edgeplane-workload-hello.yaml" | grep -q "^$MANAGED_MARKER: offline bundle of workload hello, cluster acme/line"
  grep -q 'edgeplane.io/spec-hash: "0123456789"' "$STATIC_PODS/edgeplane-workload-hello.yaml"
  [ -z "$(ls -A "$TMPDIR")" ]
}

@test "importing the same bundle again changes nothing and imports no image" {
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 0 ]
  : >"$CTR_STATE.calls"
  import "$T/b.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"image registry.example.com/hello:0123456789 is present"* ]]
  [[ "$output" == *"workload hello (spec 0123456789) is already imported; nothing changed"* ]]
  ! grep -q "images import" "$CTR_STATE.calls"
}

@test "a newer bundle of the workload replaces the older version" {
  make_bundle "$T/v1.tar" >/dev/null
  make_bundle "$T/v2.tar" SPEC=abcdef0123 >/dev/null
  import "$T/v1.tar"
  import "$T/v2.tar"
  [ "$status" -eq 0 ]
  grep -q 'spec-hash: "abcdef0123"' "$STATIC_PODS/edgeplane-workload-hello.yaml"
  [ "$(ls "$WORKLOAD_CONFIGS/hello")" = abcdef0123 ]
  [ "$(ls -A "$STATIC_PODS")" = edgeplane-workload-hello.yaml ]
}

@test "a bundle of another cluster is refused before anything is written" {
  make_bundle "$T/b.tar" CLUSTER=acme/other CA_CERT="$CAS/other.crt" SIGN_KEY="$CAS/other.key" >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[verify] ERROR: this bundle was made for cluster acme/other; this device belongs to another cluster"* ]]
  [[ "$output" == *"bundle import FAILED in step [verify]"* ]]
  nothing_written
}

@test "an altered file is named and nothing is written" {
  dir="$(make_bundle "$T/b.tar")"
  echo '{"greeting": "pwned"}' >"$dir/app.yaml"
  retar "$dir" "$T/b.tar"
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"ERROR: file app.yaml was altered"* ]]
  nothing_written
}

@test "an altered checksum list or a foreign signature does not verify" {
  dir="$(make_bundle "$T/b.tar")"
  echo '{"greeting": "pwned"}' >"$dir/app.yaml"
  (cd "$dir" && sha256sum bundle.env pod.yaml app.yaml images/1.tar >SHA256SUMS)
  retar "$dir" "$T/b.tar"
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"ERROR: signature does not verify: the bundle was altered or not made by this cluster's seed manager"* ]]
  make_bundle "$T/b2.tar" SIGN_KEY="$CAS/other.key" >/dev/null
  import "$T/b2.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"signature does not verify"* ]]
  nothing_written
}

@test "a file the checksums do not cover is refused" {
  dir="$(make_bundle "$T/b.tar")"
  cp "$dir/images/1.tar" "$dir/images/2.tar"
  tar -cf "$T/b.tar" -C "$dir" bundle.env pod.yaml app.yaml images/1.tar images/2.tar SHA256SUMS SHA256SUMS.sig
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"file images/2.tar is not covered by SHA256SUMS"* ]]
}

@test "a bundle for another node is refused" {
  make_bundle "$T/b.tar" NODE=edge-2 >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"this bundle was made for node edge-2 of cluster acme/line; this device is node edge-1"* ]]
  nothing_written
}

@test "bundle.env is parsed, never run" {
  dir="$(make_bundle "$T/b.tar")"
  echo "WORKLOAD=\$(touch $T/ran)" >>"$dir/bundle.env"
  retar "$dir" "$T/b.tar"
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"bundle.env has a malformed line"* ]]
  [ ! -e "$T/ran" ]
}

@test "archives with other members, links or no tar at all are refused in step extract" {
  dir="$(make_bundle "$T/b.tar")"
  ln -s /etc/passwd "$dir/images/9.tar"
  tar -cf "$T/link.tar" -C "$dir" bundle.env pod.yaml app.yaml images/9.tar SHA256SUMS SHA256SUMS.sig
  import "$T/link.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[extract] ERROR:"*"images/9.tar is not a regular file"* ]]
  tar -cf "$T/evil.tar" -C "$dir" bundle.env ../"$(basename "$dir")"/pod.yaml 2>/dev/null
  import "$T/evil.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"unexpected member"* ]]
  echo "not a tar" >"$T/junk.tar"
  import "$T/junk.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"is not a tar archive"* ]]
}

@test "containerd must answer before images are imported" {
  make_bundle "$T/b.tar" >/dev/null
  printf '#!/usr/bin/env bash\nexit 1\n' >"$T/bin/ctr"
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[images] ERROR: containerd does not answer on $CONTAINERD_SOCKET"* ]]
  [ ! -e "$STATIC_PODS" ]
}

@test "--remove hands a workload back, and a second time changes nothing" {
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  import --remove hello
  [ "$status" -eq 0 ]
  [[ "$output" == *"workload hello removed"* ]]
  [ ! -e "$STATIC_PODS/edgeplane-workload-hello.yaml" ]
  [ ! -e "$WORKLOAD_CONFIGS/hello" ]
  import --remove hello
  [ "$status" -eq 0 ]
  [[ "$output" == *"nothing changed"* ]]
}

@test "import-bundle.sh validates its arguments and explains itself" {
  script="$BATS_TEST_DIRNAME/../import-bundle.sh"
  run bash "$script" --help
  [ "$status" -eq 0 ]
  [[ "$output" == "usage: edgeplane-import-bundle BUNDLE.tar"* ]]
  run bash "$script"
  [ "$status" -eq 2 ]
  [[ "$output" == *"no bundle given"* ]]
  run bash "$script" a.tar b.tar
  [ "$status" -eq 2 ]
  run bash "$script" --force
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown option: --force"* ]]
  run bash "$script" "$T/missing.tar"
  [ "$status" -eq 2 ]
  [[ "$output" == *"no readable file"* ]]
  run bash "$script" --remove "../etc"
  [ "$status" -eq 2 ]
  [[ "$output" == *"not a workload name"* ]]
  run bash "$script" --remove
  [ "$status" -eq 2 ]
}

@test "the program provision.sh installs is self-contained and imports as import-bundle.sh does" {
  bundle_program >"$T/edgeplane-import-bundle"
  bash -n "$T/edgeplane-import-bundle"
  if command -v shellcheck >/dev/null; then
    shellcheck -S style "$T/edgeplane-import-bundle"
  fi
  run env -i PATH="$PATH" bash "$T/edgeplane-import-bundle" --help
  [ "$status" -eq 0 ]
  [[ "$output" == *"--remove WORKLOAD"* ]]
  grep -q "^declare -- CLUSTER_CA=\"$CLUSTER_CA\"" "$T/edgeplane-import-bundle"
  # With this test's paths baked in (and root required of no one), it imports a bundle.
  sed -i 's/^bundle_main "\$@"$/bundle_require_root() { :; }\nbundle_main "$@"/' "$T/edgeplane-import-bundle"
  make_bundle "$T/b.tar" >/dev/null
  run env -i PATH="$PATH" CTR_STATE="$CTR_STATE" TMPDIR="$TMPDIR" bash "$T/edgeplane-import-bundle" "$T/b.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"workload hello (spec 0123456789) imported"* ]]
}

@test "with the device agent installed, the verified pod and configuration are handed to it" {
  stub_agent 0 "workload hello: imported 1.2.0, running as static pod"
  make_bundle "$T/b.tar" VERSION=1.2.0 >/dev/null
  EDGEPLANE_IMPORT_REASON="maintenance shift" import "$T/b.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"[images] imported image registry.example.com/hello:0123456789"* ]]
  [[ "$output" == *"[pod] handed workload hello (spec 0123456789) to the device agent: workload hello: imported 1.2.0"* ]]
  [[ "$output" == *"workload hello (spec 0123456789) imported, 3 change(s); the device agent runs it"* ]]
  # One argument a line; the extracted files' directory shown as DIR.
  [ "$(sed -E "s#^$TMPDIR/edgeplane-bundle\.[^/]+/content/#DIR/#" "$T/agent.calls" | paste -sd'|')" = \
    "workloads|import-verified|--workload|hello|--spec-hash|0123456789|--version|1.2.0|--pod|DIR/pod.yaml|--config|DIR/app.yaml|--reason|maintenance shift|--" ]
  grep -q 'edgeplane.io/spec-hash: "0123456789"' "$T/agent.pod"
  grep -q '"greeting" : "hi 0123456789"' "$T/agent.config"
  # The configuration is written as before; the static pod is the agent's to write.
  grep -q '"greeting" : "hi 0123456789"' "$WORKLOAD_CONFIGS/hello/0123456789/app.yaml"
  [ ! -e "$STATIC_PODS/edgeplane-workload-hello.yaml" ]
  [ -z "$(ls -A "$TMPDIR")" ]
}

@test "without VERSION in bundle.env or a reason, neither is passed to the agent" {
  stub_agent 0
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 0 ]
  [ "$(sed -E "s#^$TMPDIR/edgeplane-bundle\.[^/]+/content/#DIR/#" "$T/agent.calls" | paste -sd'|')" = \
    "workloads|import-verified|--workload|hello|--spec-hash|0123456789|--pod|DIR/pod.yaml|--config|DIR/app.yaml|--" ]
}

@test "the importer's own static pod of the workload, from before the agent, goes once the agent took over" {
  make_bundle "$T/v1.tar" >/dev/null
  make_bundle "$T/v2.tar" SPEC=abcdef0123 >/dev/null
  make_bundle "$T/other.tar" WORKLOAD=other >/dev/null
  import "$T/v1.tar"
  import "$T/other.tar"
  [ -f "$STATIC_PODS/edgeplane-workload-hello.yaml" ]
  stub_agent 0
  import "$T/v2.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"removed $STATIC_PODS/edgeplane-workload-hello.yaml"* ]]
  [ "$(ls -A "$STATIC_PODS")" = edgeplane-workload-other.yaml ]
}

@test "an agent that refuses the import fails step pod with its message, and the importer's pod stays" {
  make_bundle "$T/v1.tar" >/dev/null
  make_bundle "$T/v2.tar" SPEC=abcdef0123 >/dev/null
  import "$T/v1.tar"
  stub_agent 5 "the device agent does not run: start it with edgeplane-service start edgeplane-device"
  import "$T/v2.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[pod] ERROR: the device agent did not take workload hello (exit 5): the device agent does not run: start it with"* ]]
  [[ "$output" == *"bundle import FAILED in step [pod]"* ]]
  grep -q 'spec-hash: "0123456789"' "$STATIC_PODS/edgeplane-workload-hello.yaml"
}

@test "a VERSION in bundle.env that is not a version is refused" {
  stub_agent 0
  make_bundle "$T/b.tar" VERSION=-1.0 >/dev/null
  import "$T/b.tar"
  [ "$status" -eq 1 ]
  [[ "$output" == *"[verify] ERROR: bundle.env: not a version: -1.0"* ]]
  [ ! -e "$T/agent.calls" ]
  nothing_written
}

@test "--remove with the device agent installed deletes the workload through it" {
  stub_agent 0 "workload hello deleted"
  import --remove hello
  [ "$status" -eq 0 ]
  [ "$(paste -sd' ' "$T/agent.calls")" = "workloads delete hello --" ]
  [[ "$output" == *"[remove] the device agent deleted workload hello; its images stay in containerd (workload hello deleted)"* ]]
}

@test "--remove with the agent: a workload it does not know, imported before it, goes as before; else nothing changes" {
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  stub_agent 4 "no workload hello on this device"
  import --remove hello
  [ "$status" -eq 0 ]
  [[ "$output" == *"workload hello (imported before the device agent) removed"* ]]
  [ ! -e "$STATIC_PODS/edgeplane-workload-hello.yaml" ]
  [ ! -e "$WORKLOAD_CONFIGS/hello" ]
  import --remove hello
  [ "$status" -eq 0 ]
  [[ "$output" == *"workload hello is not on this device; nothing changed"* ]]
}

@test "--remove fails with the agent's message when it refuses" {
  make_bundle "$T/b.tar" >/dev/null
  import "$T/b.tar"
  stub_agent 5 "the device agent does not run"
  import --remove hello
  [ "$status" -eq 1 ]
  [[ "$output" == *"[remove] ERROR: the device agent did not delete workload hello (exit 5): the device agent does not run"* ]]
  [ -f "$STATIC_PODS/edgeplane-workload-hello.yaml" ]
}

@test "the installed program hands over to the agent too: it knows where the agent is" {
  bundle_program >"$T/edgeplane-import-bundle"
  grep -q "^declare -- AGENT_BIN=\"$AGENT_BIN\"" "$T/edgeplane-import-bundle"
  sed -i 's/^bundle_main "\$@"$/bundle_require_root() { :; }\nbundle_main "$@"/' "$T/edgeplane-import-bundle"
  stub_agent 0
  make_bundle "$T/b.tar" VERSION=1.2.0 >/dev/null
  run env -i PATH="$PATH" CTR_STATE="$CTR_STATE" TMPDIR="$TMPDIR" EDGEPLANE_IMPORT_REASON="on site" \
    bash "$T/edgeplane-import-bundle" "$T/b.tar"
  [ "$status" -eq 0 ]
  [[ "$output" == *"handed workload hello (spec 0123456789) to the device agent"* ]]
  grep -qx -- "--version" "$T/agent.calls"
  grep -qx -- "on site" "$T/agent.calls"
  run env -i PATH="$PATH" bash "$T/edgeplane-import-bundle" --remove hello
  [ "$status" -eq 0 ]
  grep -qx "delete" "$T/agent.calls"
}
