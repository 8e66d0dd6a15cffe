#!/usr/bin/env bash
# Offline bundles: importing a workload exported by the seed manager
# (GET .../workloads/{name}/bundle?node=<device>) on a device that has no network. Functions only,
# all named bundle_*, so that provision.sh can write them (with the few helpers they use) as the
# standalone program $IMPORT_PROGRAM; import-bundle.sh is the same program for development.
# Source it after lib.sh, layout.sh and files.sh.
#
# On a device with the device agent ($AGENT_BIN), the agent owns the workloads' static pods: the
# importer verifies the bundle, loads its images and writes its configuration as before, then hands
# the verified pod to the agent (`edgeplane-device workloads import-verified`), which runs it and
# records the import as a local action the seed manager learns of once the device is online.
# Devices provisioned before the agent keep the importer's own static pod.
#
# A bundle is a tar of bundle.env (KEY=VALUE lines, parsed, never sourced), pod.yaml (the static
# pod), app.yaml (the workload's configuration), images/<n>.tar (OCI image layouts), SHA256SUMS
# (sha256sum format, every other file) and SHA256SUMS.sig (SHA-256 signature over SHA256SUMS by
# the cluster CA's key). Nothing of it is used before it verified against this device's CA.

BUNDLE_USAGE="usage: edgeplane-import-bundle BUNDLE.tar | --remove WORKLOAD | --help

Imports an offline bundle of an Edgeplane workload on this device, as root, without network:
verifies that it was made for this device's cluster and node by the cluster's seed manager and
was not altered, loads its images into containerd (namespace k8s.io), writes its configuration
and starts it as a static pod of the kubelet: through the device agent edgeplane-device where it
is installed (which records the import for the seed manager), else itself. Running it again with
the same bundle changes nothing; a newer bundle of the same workload replaces the older one.

  --remove WORKLOAD   removes a workload's static pod and configuration (its images stay): with the
                      device agent, as edgeplane-device workloads delete WORKLOAD does; without it,
                      an imported one, handing it back to the seed manager once the device is online

Environment: EDGEPLANE_IMPORT_REASON  why (recorded by the device agent with the import)"

bundle_main() {
  local mode="" arg=""
  case "${1:-}" in
    -h | --help)
      [[ $# -eq 1 ]] || bundle_usage_error "--help takes no arguments"
      echo "$BUNDLE_USAGE"
      return 0
      ;;
    --remove)
      [[ $# -eq 2 ]] || bundle_usage_error "--remove takes exactly one workload name"
      mode=remove arg="$2"
      bundle_valid_name "$arg" || bundle_usage_error "not a workload name: $arg"
      ;;
    "") bundle_usage_error "no bundle given" ;;
    -*) bundle_usage_error "unknown option: $1" ;;
    *)
      [[ $# -eq 1 ]] || bundle_usage_error "exactly one bundle, got $#"
      mode=import arg="$1"
      [[ -f "$arg" && -r "$arg" ]] || bundle_usage_error "no readable file: $arg"
      ;;
  esac
  BUNDLE_TMP=""
  trap bundle_on_exit EXIT
  bundle_step preflight bundle_preflight
  if [[ "$mode" == remove ]]; then
    bundle_step remove bundle_remove "$arg"
  else
    bundle_import "$arg"
  fi
}

bundle_usage_error() {
  printf 'edgeplane-import-bundle: %s\n\n%s\n' "$1" "$BUNDLE_USAGE" >&2
  exit 2
}

bundle_step() {
  EDGEPLANE_STEP="$1"
  shift
  "$@"
}

bundle_on_exit() {
  local status=$?
  [[ -z "${BUNDLE_TMP:-}" ]] || rm -rf "$BUNDLE_TMP"
  if ((status != 0)); then
    printf '%s [edgeplane] bundle import FAILED in step [%s] (exit %d); nothing after that step was changed, run it again once fixed\n' \
      "$(date -u +%H:%M:%S)" "${EDGEPLANE_STEP:-start}" "$status" >&2
  fi
}

# bundle_valid_name NAME : a workload name (DNS-1123 label), safe in paths.
bundle_valid_name() {
  [[ "$1" =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]]
}

# bundle_agent_installed : the device agent is installed, so it owns the workloads' static pods.
bundle_agent_installed() {
  [[ -f "$AGENT_BIN" && -x "$AGENT_BIN" ]]
}

bundle_require_root() {
  [[ "$(id -u)" -eq 0 ]] || fatal "run it as root (it writes the kubelet's static pods and talks to containerd)"
}

# One import at a time; a lock held by a killed run is released by the kernel.
bundle_preflight() {
  bundle_require_root
  require_cmd tar openssl sha256sum ctr awk flock
  mkdir -p "$(dirname "$IMPORT_LOCK")"
  exec 9>"$IMPORT_LOCK"
  flock -n 9 || fatal "another bundle import is in progress (it holds $IMPORT_LOCK)"
  # Scratch space of runs that were killed (no trap ran); none runs now, we hold the lock.
  rm -rf "${TMPDIR:-/tmp}"/edgeplane-bundle.*
}

bundle_import() {
  local bundle="$1" dir
  BUNDLE_TMP="$(mktemp -d "${TMPDIR:-/tmp}/edgeplane-bundle.XXXXXX")"
  dir="$BUNDLE_TMP/content"
  declare -gA BUNDLE=()
  bundle_step extract bundle_extract "$bundle" "$dir"
  bundle_step verify bundle_verify "$dir"
  bundle_step images bundle_load_images "$dir"
  bundle_step configuration bundle_write_configuration "$dir"
  if bundle_agent_installed; then
    bundle_step pod bundle_hand_to_agent "$dir"
    EDGEPLANE_STEP=finish
    info "workload ${BUNDLE[WORKLOAD]} (spec ${BUNDLE[SPEC_HASH]}) imported, $EDGEPLANE_CHANGES change(s); the device agent runs it (edgeplane-device workloads list)"
    return 0
  fi
  bundle_step pod bundle_write_pod "$dir"
  EDGEPLANE_STEP=finish
  if ((EDGEPLANE_CHANGES == 0)); then
    info "workload ${BUNDLE[WORKLOAD]} (spec ${BUNDLE[SPEC_HASH]}) is already imported; nothing changed"
  else
    info "workload ${BUNDLE[WORKLOAD]} (spec ${BUNDLE[SPEC_HASH]}) imported, $EDGEPLANE_CHANGES change(s); the kubelet runs it as static pod ${BUNDLE[WORKLOAD]} in namespace edgeplane-workloads"
  fi
}

# bundle_extract TAR DIR : only the names a bundle has, only regular files, into DIR (private).
bundle_extract() {
  local tar="$1" dir="$2" name names odd
  names="$(tar -tf "$tar" 2>/dev/null)" || fatal "$tar is not a tar archive (or is truncated)"
  while IFS= read -r name; do
    [[ "$name" =~ ^(bundle\.env|pod\.yaml|app\.yaml|SHA256SUMS|SHA256SUMS\.sig|images/|images/[1-9][0-9]{0,2}\.tar)$ ]] ||
      fatal "$tar is not an Edgeplane bundle: unexpected member '$name'"
  done <<<"$names"
  mkdir -m 0700 "$dir"
  tar -xf "$tar" -C "$dir" --no-same-owner --no-same-permissions ||
    fatal "cannot extract $tar (is the disk full?)"
  odd="$(find "$dir" -mindepth 1 ! -type f ! -type d | head -n1)"
  [[ -z "$odd" ]] || fatal "$tar is not an Edgeplane bundle: ${odd#"$dir"/} is not a regular file"
  for name in bundle.env pod.yaml app.yaml SHA256SUMS SHA256SUMS.sig; do
    [[ -f "$dir/$name" ]] || fatal "$tar is not an Edgeplane bundle: it has no $name"
  done
  info "extracted $tar"
}

# bundle_read_env FILE : fills BUNDLE from strict KEY=VALUE lines (no quoting, no expansion, ever).
bundle_read_env() {
  local line key
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=([A-Za-z0-9._:/@+=-]*)$ ]] || fatal "bundle.env has a malformed line: ${line:0:80}"
    BUNDLE["${BASH_REMATCH[1]}"]="${BASH_REMATCH[2]}"
  done <"$1"
  for key in BUNDLE_FORMAT CLUSTER CLUSTER_CA_SHA256 WORKLOAD NODE SPEC_HASH CREATED IMAGES; do
    [[ -n "${BUNDLE[$key]:-}" ]] || fatal "bundle.env lacks $key"
  done
  [[ "${BUNDLE[BUNDLE_FORMAT]}" == 1 ]] ||
    fatal "the bundle has format ${BUNDLE[BUNDLE_FORMAT]}; this device reads format 1: provision it again to update the import program"
}

# bundle_ca_sha256 : SHA-256 (hex) of this device's cluster CA certificate in DER.
bundle_ca_sha256() {
  [[ -s "$CLUSTER_CA" ]] || fatal "this device has no cluster CA ($CLUSTER_CA): is it provisioned?"
  openssl x509 -in "$CLUSTER_CA" -outform DER | sha256sum | cut -d' ' -f1
}

bundle_verify() {
  local dir="$1" ca line sum name file node="" listed=" " i
  bundle_read_env "$dir/bundle.env"
  ca="$(bundle_ca_sha256)"
  [[ "${BUNDLE[CLUSTER_CA_SHA256]}" == "$ca" ]] ||
    fatal "this bundle was made for cluster ${BUNDLE[CLUSTER]}; this device belongs to another cluster (its CA $CLUSTER_CA differs)"
  openssl x509 -in "$CLUSTER_CA" -pubkey -noout >"$BUNDLE_TMP/ca.pub" || fatal "cannot read the public key of $CLUSTER_CA"
  openssl dgst -sha256 -verify "$BUNDLE_TMP/ca.pub" -signature "$dir/SHA256SUMS.sig" "$dir/SHA256SUMS" >/dev/null 2>&1 ||
    fatal "signature does not verify: the bundle was altered or not made by this cluster's seed manager"
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^([0-9a-f]{64})\ \ (.+)$ ]] || fatal "SHA256SUMS has a malformed line: ${line:0:80}"
    sum="${BASH_REMATCH[1]}" name="${BASH_REMATCH[2]}"
    [[ "$name" =~ ^(bundle\.env|pod\.yaml|app\.yaml|images/[1-9][0-9]{0,2}\.tar)$ ]] || fatal "SHA256SUMS lists an unexpected file: ${name:0:80}"
    [[ "$name" != SHA256SUMS* && -f "$dir/$name" ]] || fatal "file $name listed in SHA256SUMS is missing from the bundle"
    [[ "$(sha256_of "$dir/$name")" == "$sum" ]] || fatal "file $name was altered (its SHA-256 differs from SHA256SUMS)"
    listed+="$name "
  done <"$dir/SHA256SUMS"
  while IFS= read -r file; do
    name="${file#"$dir"/}"
    [[ "$name" == SHA256SUMS || "$name" == SHA256SUMS.sig || "$listed" == *" $name "* ]] ||
      fatal "file $name is not covered by SHA256SUMS"
  done < <(find "$dir" -type f)
  # Signed and intact from here on: the values can be trusted, but are still checked before use.
  bundle_valid_name "${BUNDLE[WORKLOAD]}" || fatal "bundle.env: not a workload name: ${BUNDLE[WORKLOAD]}"
  [[ "${BUNDLE[SPEC_HASH]}" =~ ^[0-9a-f]{10}$ ]] || fatal "bundle.env: not a spec hash: ${BUNDLE[SPEC_HASH]}"
  [[ "${BUNDLE[IMAGES]}" =~ ^(0|[1-9][0-9]{0,2})$ ]] || fatal "bundle.env: IMAGES is not a count: ${BUNDLE[IMAGES]}"
  [[ -z "${BUNDLE[VERSION]:-}" || "${BUNDLE[VERSION]}" =~ ^[A-Za-z0-9]([A-Za-z0-9._+-]{0,62}[A-Za-z0-9])?$ ]] ||
    fatal "bundle.env: not a version: ${BUNDLE[VERSION]}"
  for ((i = 1; i <= BUNDLE[IMAGES]; i++)); do
    [[ -f "$dir/images/$i.tar" && -n "${BUNDLE[IMAGE_$i]:-}" && "${BUNDLE[IMAGE_${i}_DIGEST]:-}" =~ ^sha256:[0-9a-f]{64}$ ]] ||
      fatal "bundle.env: image $i is incomplete"
  done
  [[ ! -f "$NODE_NAME_FILE" ]] || node="$(<"$NODE_NAME_FILE")"
  [[ -z "$node" || "$node" == "${BUNDLE[NODE]}" ]] ||
    fatal "this bundle was made for node ${BUNDLE[NODE]} of cluster ${BUNDLE[CLUSTER]}; this device is node $node: export one for it (?node=$node)"
  info "bundle of workload ${BUNDLE[WORKLOAD]} for node ${BUNDLE[NODE]} of cluster ${BUNDLE[CLUSTER]}, made ${BUNDLE[CREATED]}: signature and checksums verify"
}

bundle_ctr() {
  ctr --address "$CONTAINERD_SOCKET" --namespace k8s.io "$@"
}

# bundle_image_digest REF : the digest containerd holds for REF, or nothing.
bundle_image_digest() {
  bundle_ctr images ls "name==$1" 2>/dev/null | awk -v ref="$1" 'NR > 1 && $1 == ref { print $3 }'
}

bundle_load_images() {
  local dir="$1" i ref want have
  bundle_ctr version >/dev/null 2>&1 || fatal "containerd does not answer on $CONTAINERD_SOCKET"
  for ((i = 1; i <= BUNDLE[IMAGES]; i++)); do
    ref="${BUNDLE[IMAGE_$i]}" want="${BUNDLE[IMAGE_${i}_DIGEST]}"
    have="$(bundle_image_digest "$ref")"
    if [[ "$have" == "$want" ]]; then
      info "image $ref is present ($want)"
      continue
    fi
    bundle_ctr images import "$dir/images/$i.tar" >/dev/null || fatal "containerd could not import image $ref"
    have="$(bundle_image_digest "$ref")"
    [[ "$have" == "$want" ]] || fatal "image $ref was imported as '${have:-nothing}', the bundle says $want"
    note_change "imported image $ref ($want)"
  done
}

bundle_write_configuration() {
  local dir="$1" target="$WORKLOAD_CONFIGS/${BUNDLE[WORKLOAD]}/${BUNDLE[SPEC_HASH]}"
  put_file "$target/app.yaml" 0644 <"$dir/app.yaml"
  $LAST_CHANGED || info "configuration $target/app.yaml is up to date"
}

# The static pod file is replaced atomically (a hidden temporary file, which the kubelet ignores,
# then a rename), so the kubelet sees the old version or the new one, never half of one.
bundle_write_pod() {
  local dir="$1" w="${BUNDLE[WORKLOAD]}" old
  {
    printf '%s: offline bundle of workload %s, cluster %s, node %s, spec %s, made %s\n' "$MANAGED_MARKER" \
      "$w" "${BUNDLE[CLUSTER]}" "${BUNDLE[NODE]}" "${BUNDLE[SPEC_HASH]}" "${BUNDLE[CREATED]}"
    cat "$dir/pod.yaml"
  } | put_file "$STATIC_PODS/$STATIC_POD_PREFIX$w.yaml" 0644
  $LAST_CHANGED || info "static pod $STATIC_PODS/$STATIC_POD_PREFIX$w.yaml is up to date"
  for old in "$WORKLOAD_CONFIGS/$w"/*; do
    [[ "$old" == "$WORKLOAD_CONFIGS/$w/${BUNDLE[SPEC_HASH]}" || ! -e "$old" ]] || remove_path "$old"
  done
}

# bundle_hand_to_agent DIR : the agent records the import and writes the static pod (its file is
# named by spec hash); it copies pod and configuration before it answers. The importer's own file
# of the workload, from before the agent was installed, goes once the agent has taken over, so
# that the old pod serves until then.
bundle_hand_to_agent() {
  local dir="$1" w="${BUNDLE[WORKLOAD]}" args output status
  args=(workloads import-verified --workload "$w" --spec-hash "${BUNDLE[SPEC_HASH]}")
  [[ -z "${BUNDLE[VERSION]:-}" ]] || args+=(--version "${BUNDLE[VERSION]}")
  args+=(--pod "$dir/pod.yaml" --config "$dir/app.yaml")
  [[ -z "${EDGEPLANE_IMPORT_REASON:-}" ]] || args+=(--reason "$EDGEPLANE_IMPORT_REASON")
  output="$("$AGENT_BIN" "${args[@]}" 2>&1)" || {
    status=$?
    fatal "the device agent did not take workload $w (exit $status): ${output:-no message}"
  }
  note_change "handed workload $w (spec ${BUNDLE[SPEC_HASH]}) to the device agent${output:+: $output}"
  remove_path "$STATIC_PODS/$STATIC_POD_PREFIX$w.yaml"
}

# bundle_remove_by_agent W : the agent deletes the workload (a local action the seed manager learns
# of). A static pod the importer wrote before the agent was installed is not the agent's: it goes
# here, and with it the configuration when the agent does not know the workload (exit 4).
bundle_remove_by_agent() {
  local w="$1" output status=0
  output="$("$AGENT_BIN" workloads delete "$w" 2>&1)" || status=$?
  case "$status" in
    0)
      note_change "the device agent deleted workload $w; its images stay in containerd${output:+ ($output)}"
      remove_path "$STATIC_PODS/$STATIC_POD_PREFIX$w.yaml"
      ;;
    4)
      remove_path "$STATIC_PODS/$STATIC_POD_PREFIX$w.yaml" "$WORKLOAD_CONFIGS/$w"
      if ((EDGEPLANE_CHANGES == 0)); then
        info "workload $w is not on this device; nothing changed"
      else
        info "workload $w (imported before the device agent) removed; its images stay in containerd"
      fi
      ;;
    *) fatal "the device agent did not delete workload $w (exit $status): ${output:-no message}" ;;
  esac
}

bundle_remove() {
  local w="$1"
  if bundle_agent_installed; then
    bundle_remove_by_agent "$w"
    return 0
  fi
  remove_path "$STATIC_PODS/$STATIC_POD_PREFIX$w.yaml" "$WORKLOAD_CONFIGS/$w"
  if ((EDGEPLANE_CHANGES == 0)); then
    info "workload $w was not imported on this device; nothing changed"
  else
    info "workload $w removed; the kubelet stops its static pod, its images stay in containerd"
  fi
}

# bundle_program : the standalone import program, as provision.sh installs it at $IMPORT_PROGRAM.
bundle_program() {
  local fn
  echo "#!/usr/bin/env bash"
  echo "$MANAGED_MARKER: the offline bundle import; written by provision.sh, do not edit."
  echo "# Usage: edgeplane-import-bundle BUNDLE.tar | --remove WORKLOAD | --help"
  echo "set -euo pipefail"
  echo "shopt -s lastpipe"
  declare -p MANAGED_MARKER CLUSTER_CA STATIC_PODS STATIC_POD_PREFIX WORKLOAD_CONFIGS IMPORT_LOCK NODE_NAME_FILE \
    CONTAINERD_SOCKET AGENT_BIN BUNDLE_USAGE
  echo "EDGEPLANE_CHANGES=0"
  echo "LAST_CHANGED=false"
  declare -f info warn fatal require_cmd sha256_of file_mode note_change put_file remove_path
  for fn in $(declare -F | awk '$3 ~ /^bundle_/ && $3 != "bundle_program" { print $3 }'); do
    declare -f "$fn"
  done
  echo 'bundle_main "$@"'
}
