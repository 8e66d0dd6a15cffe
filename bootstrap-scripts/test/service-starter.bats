#!/usr/bin/env bats
# lib/service-starter.sh: the service starter for hosts without systemd, with real processes.
# Daemons are `sleep`s named by a marker, so that a leftover would be found (and killed) by teardown.

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  ROOT="$BATS_TEST_TMPDIR/root"
  SVC_SPECS="$ROOT/etc/edgeplane/services"
  SVC_STATE="$ROOT/run/edgeplane"
  SVC_LOGS="$ROOT/var/log/edgeplane"
  SVC_PROGRAM="$ROOT/usr/local/sbin/edgeplane-service"
  SVC_STOP_TIMEOUT=5
  mkdir -p "$SVC_SPECS" "$(dirname "$SVC_PROGRAM")"
  svc_program >"$SVC_PROGRAM"
  chmod +x "$SVC_PROGRAM"
  MARKER="edgeplane-svc-test-$$-$BATS_TEST_NUMBER"
  # exec -a: the daemon's command line carries the marker.
  printf '#!/usr/bin/env bash\necho "daemon starts"\nexec -a %s sleep 1000\n' "$MARKER" >"$SVC_SPECS/daemon"
  chmod +x "$SVC_SPECS/daemon"
}

# Kills what this test started: the processes its pid files name, and daemons carrying its marker.
teardown() {
  local file pid rest
  "$SVC_PROGRAM" stop daemon 3>&- || true
  for file in "$SVC_STATE"/*.pid; do
    [[ -f "$file" ]] || continue
    read -r pid rest <"$file" || true
    [[ "$(svc_start_time "$pid" 2>/dev/null)" != "$rest" ]] || kill -KILL "$pid" 2>/dev/null || true
  done
  for pid in $(pgrep -f "^$MARKER"); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# svc: the installed program; fd 3 (bats' own) must not leak into the detached supervisor.
svc() {
  "$SVC_PROGRAM" "$@" 3>&-
}

daemon_pid() {
  svc status daemon
}

# gone PID : the process exited (a zombie counts: reaping orphans is init's business, not ours).
gone() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }"
  [[ "${stat:0:1}" == Z ]]
}

await() {
  local i
  for i in $(seq 1 100); do
    if eval "$1"; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  return 1
}

@test "the installed program is a standalone script with the configured paths" {
  head -n1 "$SVC_PROGRAM" | grep -qx '#!/usr/bin/env bash'
  grep -q "SVC_STATE=\"$SVC_STATE\"" "$SVC_PROGRAM"
  bash -n "$SVC_PROGRAM"
  run "$SVC_PROGRAM" bogus
  [ "$status" -eq 2 ]
  [[ "$output" == *usage* ]]
}

@test "start runs the daemon detached, once; status prints its pid" {
  svc start daemon
  await '[ -n "$(daemon_pid)" ]'
  pid="$(daemon_pid)"
  grep -q "^$MARKER" "/proc/$pid/cmdline"
  svc start daemon
  [ "$(daemon_pid)" = "$pid" ]
  [ "$(pgrep -fc "^$MARKER")" -eq 1 ]
  grep -q "daemon starts" "$SVC_LOGS/daemon.log"
  [ -f "$SVC_STATE/daemon.supervisor.pid" ]
}

@test "a daemon that exits is started again" {
  svc start daemon
  await '[ -n "$(daemon_pid)" ]'
  first="$(daemon_pid)"
  kill -KILL "$first"
  await '[ -n "$(daemon_pid)" ] && [ "$(daemon_pid)" != "$first" ]'
  grep -q "exited with status 137" "$SVC_LOGS/daemon.log"
}

@test "stop ends daemon and supervisor; status then fails" {
  svc start daemon
  await '[ -n "$(daemon_pid)" ]'
  pid="$(daemon_pid)"
  supervisor="$(cut -d' ' -f1 "$SVC_STATE/daemon.supervisor.pid")"
  svc stop daemon
  gone "$pid"
  gone "$supervisor"
  run svc status daemon
  [ "$status" -ne 0 ]
  svc stop daemon
}

@test "restart replaces the daemon" {
  svc start daemon
  await '[ -n "$(daemon_pid)" ]'
  first="$(daemon_pid)"
  svc restart daemon
  await '[ -n "$(daemon_pid)" ]'
  [ "$(daemon_pid)" != "$first" ]
  [ "$(pgrep -fc "^$MARKER")" -eq 1 ]
}

@test "after its supervisor was killed, start replaces the orphaned daemon: never two" {
  svc start daemon
  await '[ -n "$(daemon_pid)" ]'
  orphan="$(daemon_pid)"
  kill -KILL "$(cut -d' ' -f1 "$SVC_STATE/daemon.supervisor.pid")"
  await '! svc status daemon >/dev/null'
  kill -0 "$orphan"
  svc start daemon
  await '[ -n "$(daemon_pid)" ] && [ "$(daemon_pid)" != "$orphan" ]'
  await 'gone "$orphan"'
  [ "$(pgrep -fc "^$MARKER")" -eq 1 ]
}

@test "a pid file naming a reused pid is not trusted" {
  mkdir -p "$SVC_STATE"
  sleep 30 &
  pid=$!
  echo "$pid 1" >"$SVC_STATE/other.pid"
  run ! svc_alive "$SVC_STATE/other.pid"
  svc_record "$pid" "$SVC_STATE/other.pid"
  [ "$(svc_alive "$SVC_STATE/other.pid")" = "$pid" ]
  kill "$pid"
}

@test "start-all starts every service; a missing service is refused by name" {
  svc start-all
  await '[ -n "$(daemon_pid)" ]'
  run svc start nothing-here
  [ "$status" -eq 2 ]
  [[ "$output" == *"no service nothing-here"* ]]
  run svc start '../etc'
  [ "$status" -eq 2 ]
}
