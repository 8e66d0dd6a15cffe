#!/usr/bin/env bash
# Idempotent file changes for installers. A file is rewritten only when its content or mode
# differs, and atomically (a hidden temporary file in the same directory, then a rename), so a run
# killed at any point leaves the old or the new file, never half of one, and a second run with the
# same input writes nothing. Source it after lib.sh.

# `render | put_file ...` must count its change in this shell, not in a pipeline's subshell.
shopt -s lastpipe

# How many files and services this run changed; 0 at the end means "nothing changed".
EDGEPLANE_CHANGES=0
# Whether the last put_file/put_binary/remove_path changed anything: true or false.
LAST_CHANGED=false

# note_change MESSAGE : counts a change and says what it was.
note_change() {
  EDGEPLANE_CHANGES=$((EDGEPLANE_CHANGES + 1))
  info "$*"
}

# file_mode FILE : permission bits in octal without leading zeros, as stat prints them (e.g. 644).
file_mode() {
  stat -c %a "$1"
}

# put_file DEST MODE : writes stdin to DEST unless DEST already holds exactly that content and MODE.
# The temporary file is created 0600, so a secret is never readable by others, not even briefly.
put_file() {
  local dest="$1" mode="$2" dir tmp
  LAST_CHANGED=false
  dir="$(dirname "$dest")"
  mkdir -p "$dir"
  tmp="$dir/.$(basename "$dest").edgeplane-tmp"
  (umask 077 && cat >"$tmp")
  if [[ -f "$dest" && ! -L "$dest" ]] && cmp -s "$tmp" "$dest" && [[ "$(file_mode "$dest")" == "${mode#0}" ]]; then
    rm -f "$tmp"
    return 0
  fi
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
  LAST_CHANGED=true
  note_change "wrote $dest"
}

# put_binary SRC DEST : installs SRC as an executable DEST (0755) unless DEST is already identical.
put_binary() {
  local src="$1" dest="$2" tmp
  LAST_CHANGED=false
  if [[ -f "$dest" ]] && cmp -s "$src" "$dest" && [[ "$(file_mode "$dest")" == 755 ]]; then
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  tmp="$(dirname "$dest")/.$(basename "$dest").edgeplane-tmp"
  cp "$src" "$tmp"
  chmod 0755 "$tmp"
  # A rename, not a copy over the file: a running binary stays intact ("text file busy").
  mv -f "$tmp" "$dest"
  LAST_CHANGED=true
  note_change "installed $dest"
}

# remove_path PATH... : removes files or directories that exist, counting each as a change.
remove_path() {
  local path
  LAST_CHANGED=false
  for path in "$@"; do
    if [[ -e "$path" || -L "$path" ]]; then
      rm -rf -- "$path"
      # shellcheck disable=SC2034 # read by the caller
      LAST_CHANGED=true
      note_change "removed $path"
    fi
  done
}

# fingerprint FILE... : one SHA-256 over the files' names and contents ("absent" for a missing
# file). A service records the fingerprint of its inputs when it starts; a different one means
# that it must restart.
fingerprint() {
  local file
  for file in "$@"; do
    if [[ -f "$file" ]]; then
      printf '%s %s\n' "$file" "$(sha256_of "$file")"
    else
      printf '%s absent\n' "$file"
    fi
  done | sha256sum | cut -d' ' -f1
}
