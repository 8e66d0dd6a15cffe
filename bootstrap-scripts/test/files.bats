#!/usr/bin/env bats
# lib/files.sh: idempotent, atomic file changes.

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  DIR="$BATS_TEST_TMPDIR/files"
}

@test "put_file writes a new file with its mode and counts the change" {
  echo hello | put_file "$DIR/a/b.conf" 0640
  [ "$(cat "$DIR/a/b.conf")" = hello ]
  [ "$(stat -c %a "$DIR/a/b.conf")" = 640 ]
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  [ "$LAST_CHANGED" = true ]
}

@test "put_file leaves an identical file alone: same inode, same mtime, no change counted" {
  echo hello | put_file "$DIR/f" 0644
  touch -d '2001-01-01' "$DIR/f"
  inode="$(stat -c %i "$DIR/f")"
  echo hello | put_file "$DIR/f" 0644
  [ "$(stat -c %i "$DIR/f")" = "$inode" ]
  [ "$(stat -c %Y "$DIR/f")" = "$(date -d 2001-01-01 +%s)" ]
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  [ "$LAST_CHANGED" = false ]
  [ -z "$(find "$DIR" -name '*.edgeplane-tmp')" ]
}

@test "put_file rewrites a file whose content or mode differs" {
  echo one | put_file "$DIR/f" 0644
  echo two | put_file "$DIR/f" 0644
  [ "$(cat "$DIR/f")" = two ]
  echo two | put_file "$DIR/f" 0600
  [ "$(stat -c %a "$DIR/f")" = 600 ]
  [ "$EDGEPLANE_CHANGES" -eq 3 ]
}

@test "put_file replaces a symbolic link instead of writing through it" {
  mkdir -p "$DIR"
  echo target >"$DIR/target"
  ln -s "$DIR/target" "$DIR/link"
  echo target | put_file "$DIR/link" 0644
  [ ! -L "$DIR/link" ]
  [ "$(cat "$DIR/target")" = target ]
}

@test "put_file never says what it wrote, only where" {
  run put_file "$DIR/secret" 0600 <<<"token: abcdef.0123456789abcdef"
  [ "$status" -eq 0 ]
  [[ "$output" == *"wrote $DIR/secret"* ]]
  [[ "$output" != *"abcdef"* ]]
  [ "$(stat -c %a "$DIR/secret")" = 600 ]
}

@test "put_binary installs an executable once" {
  printf '#!/bin/sh\necho v1\n' >"$BATS_TEST_TMPDIR/bin"
  put_binary "$BATS_TEST_TMPDIR/bin" "$DIR/usr/bin/tool"
  [ "$("$DIR/usr/bin/tool")" = v1 ]
  [ "$(stat -c %a "$DIR/usr/bin/tool")" = 755 ]
  put_binary "$BATS_TEST_TMPDIR/bin" "$DIR/usr/bin/tool"
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
}

@test "remove_path counts only what existed" {
  mkdir -p "$DIR/d/e"
  remove_path "$DIR/d" "$DIR/missing"
  [ ! -e "$DIR/d" ]
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  remove_path "$DIR/d"
  [ "$LAST_CHANGED" = false ]
}

@test "fingerprint follows contents and notices missing files" {
  mkdir -p "$DIR"
  echo a >"$DIR/one"
  echo b >"$DIR/two"
  first="$(fingerprint "$DIR/one" "$DIR/two")"
  [ "$(fingerprint "$DIR/one" "$DIR/two")" = "$first" ]
  echo c >"$DIR/two"
  [ "$(fingerprint "$DIR/one" "$DIR/two")" != "$first" ]
  [[ "$(fingerprint "$DIR/none")" =~ ^[0-9a-f]{64}$ ]]
  [ "$(fingerprint "$DIR/none")" != "$(fingerprint "$DIR/one")" ]
}
