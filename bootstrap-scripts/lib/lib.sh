#!/usr/bin/env bash
# Shared helpers for Edgeplane's bootstrap scripts. Source it; it defines functions only.

# Messages name the running step when a script sets EDGEPLANE_STEP (e.g. "[containerd] ...").
info() { printf '%s [edgeplane] %s%s\n' "$(date -u +%H:%M:%S)" "${EDGEPLANE_STEP:+[$EDGEPLANE_STEP] }" "$*" >&2; }
warn() { printf '%s [edgeplane] %sWARNING: %s\n' "$(date -u +%H:%M:%S)" "${EDGEPLANE_STEP:+[$EDGEPLANE_STEP] }" "$*" >&2; }
fatal() {
  printf '%s [edgeplane] %sERROR: %s\n' "$(date -u +%H:%M:%S)" "${EDGEPLANE_STEP:+[$EDGEPLANE_STEP] }" "$*" >&2
  exit 1
}

# require_cmd NAME... : fail with the missing command's name rather than halfway through a step.
require_cmd() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || fatal "required command not found: $cmd"
  done
}

# host_arch : the machine's architecture in Kubernetes' spelling (amd64, arm64).
host_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) fatal "unsupported architecture: $(uname -m)" ;;
  esac
}

# sha256_of FILE : the file's SHA-256 in hex.
sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# verify_sums DIR : true when DIR/SHA256SUMS exists and every file it lists matches.
verify_sums() {
  [[ -s "$1/SHA256SUMS" ]] || return 1
  (cd "$1" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1)
}

# download URL DEST : HTTPS only, certificates always verified (against EDGEPLANE_DOWNLOAD_CA_FILE
# instead of the system's CAs when set, e.g. for an internal mirror), fails on HTTP errors.
download() {
  curl --proto '=https' --tlsv1.2 -fsSL --retry 3 --retry-delay 2 --connect-timeout 15 \
    ${EDGEPLANE_DOWNLOAD_CA_FILE:+--cacert "$EDGEPLANE_DOWNLOAD_CA_FILE"} -o "$2" "$1" ||
    fatal "download failed: $1"
}

# download_verified URL DEST SHA256 : download, then refuse the file unless its checksum matches.
download_verified() {
  download "$1" "$2"
  local actual
  actual="$(sha256_of "$2")"
  [[ "$actual" == "$3" ]] || fatal "checksum mismatch for $1: expected $3, got $actual"
}

# download_pinned URL DEST SHA256 : from the seed's artifact mirror over https, its certificate verified against
# the mirror CA in the file MIRROR_CA_FILE (the one the rendered script carries, never the system's CAs: the mirror
# is the seed itself), then refuse the file unless its checksum matches.
download_pinned() {
  [[ -s "${MIRROR_CA_FILE:-}" ]] || fatal "no mirror CA to verify $1 against (MIRROR_CA_FILE is unset or empty)"
  curl --proto '=https' --tlsv1.2 --cacert "$MIRROR_CA_FILE" -fsSL --retry 3 --retry-delay 2 --connect-timeout 15 \
    --max-time "${EDGEPLANE_DOWNLOAD_TIMEOUT:-900}" -o "$2" "$1" || fatal "download failed: $1"
  local actual
  actual="$(sha256_of "$2")"
  if [[ "$actual" != "$3" ]]; then
    rm -f "$2"
    fatal "checksum mismatch for $1: expected $3, got $actual; refusing to install it"
  fi
}
