#!/usr/bin/env bash
# Edgeplane's service starter, for hosts whose PID 1 is not systemd (containers, sandboxes, minimal
# or busybox-style inits). provision.sh installs these functions as the standalone program
# /usr/local/sbin/edgeplane-service:
#
#   edgeplane-service start|stop|restart|status NAME
#   edgeplane-service start-all        (from the host's init at boot: rc.local, inittab, entrypoint)
#
# Service NAME is the executable $SVC_SPECS/NAME, which execs the daemon. `start` runs a detached
# supervisor (own session, stdin from /dev/null) that starts the daemon, restarts it whenever it
# exits (after 1 s, doubling up to 30 s; back to 1 s once it ran for a minute), and appends its
# output to $SVC_LOGS/NAME.log (rotated once at 50 MiB). State in $SVC_STATE:
#   NAME.lock            held by the supervisor while it runs, so a second one never starts
#   NAME.supervisor.pid  the supervisor;  NAME.pid  the daemon ("pid starttime")
# `stop` sends the supervisor SIGTERM; it passes the signal on and waits for the daemon; after
# SVC_STOP_TIMEOUT seconds both are killed. Functions only, all named svc_*, so that they can be
# written out with `declare -f`.

SVC_SPECS=/etc/edgeplane/services
SVC_STATE=/run/edgeplane
SVC_LOGS=/var/log/edgeplane
SVC_PROGRAM=/usr/local/sbin/edgeplane-service
SVC_STOP_TIMEOUT=20
SVC_LOG_LIMIT=52428800

svc_main() {
  case "${1:-}" in
    start | stop | restart | status | supervise)
      [[ $# -eq 2 ]] || svc_usage
      svc_check_name "$2"
      "svc_$1" "$2"
      ;;
    start-all)
      local spec
      for spec in "$SVC_SPECS"/*; do
        [[ -x "$spec" ]] && svc_start "$(basename "$spec")"
      done
      return 0
      ;;
    *) svc_usage ;;
  esac
}

svc_usage() {
  echo "usage: edgeplane-service start|stop|restart|status NAME | start-all" >&2
  exit 2
}

svc_check_name() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9_.-]*$ ]] || {
    echo "edgeplane-service: not a service name: $1" >&2
    exit 2
  }
}

# svc_start_time PID : the process's start time in clock ticks since boot, to tell it from a
# later process that reuses its pid.
svc_start_time() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# svc_alive PIDFILE : the process recorded in PIDFILE ("pid starttime") still runs; prints its pid.
svc_alive() {
  local pid start
  [[ -f "$1" ]] || return 1
  read -r pid start <"$1" || true
  [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(svc_start_time "$pid")" == "$start" ]] || return 1
  echo "$pid"
}

svc_record() {
  echo "$1 $(svc_start_time "$1")" >"$2"
}

# svc_status NAME : exit 0 when the supervisor runs; prints the daemon's pid when it runs too.
svc_status() {
  local lock="$SVC_STATE/$1.lock"
  [[ -e "$lock" ]] && ! flock -n "$lock" true || return 1
  svc_alive "$SVC_STATE/$1.pid" || true
}

svc_start() {
  local name="$1" deadline
  svc_status "$name" >/dev/null && return 0
  if [[ ! -x "$SVC_SPECS/$name" ]]; then
    echo "edgeplane-service: no service $name (no executable $SVC_SPECS/$name)" >&2
    return 2
  fi
  mkdir -p "$SVC_STATE" "$SVC_LOGS"
  # A clean environment, as at boot: nothing of the caller's (say, a provisioning run) leaks in.
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    setsid -f "$SVC_PROGRAM" supervise "$name" </dev/null >>"$SVC_LOGS/$name.supervisor.log" 2>&1
  deadline=$((SECONDS + 10))
  # Up once the supervisor holds its lock and has written the daemon's pid.
  until svc_status "$name" >/dev/null && [[ -f "$SVC_STATE/$name.pid" ]]; do
    if ((SECONDS >= deadline)); then
      echo "edgeplane-service: the supervisor of $name did not start; see $SVC_LOGS/$name.supervisor.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

svc_stop() {
  local name="$1" lock="$SVC_STATE/$1.lock" supervisor daemon
  if supervisor="$(svc_alive "$SVC_STATE/$name.supervisor.pid")"; then
    kill -TERM "$supervisor" 2>/dev/null || true
    if ! flock -w "$SVC_STOP_TIMEOUT" "$lock" true; then
      kill -KILL "$supervisor" 2>/dev/null || true
      # Its lock goes when it is gone; a start right after must not find it still held.
      flock -w 10 "$lock" true || true
    fi
  fi
  # A daemon outliving its supervisor (killed, or not stopping in time) is killed too.
  if daemon="$(svc_alive "$SVC_STATE/$name.pid")"; then
    kill -KILL "$daemon" 2>/dev/null || true
  fi
  rm -f "$SVC_STATE/$name.pid" "$SVC_STATE/$name.supervisor.pid"
}

svc_restart() {
  svc_stop "$1"
  svc_start "$1"
}

svc_log() {
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) edgeplane-service: $*" >>"$SVC_LOGS/$NAME.log"
}

# svc_supervise NAME : the supervisor itself, in the foreground (svc_start detaches it).
svc_supervise() {
  NAME="$1"
  local spec="$SVC_SPECS/$1" pidfile="$SVC_STATE/$1.pid" log="$SVC_LOGS/$1.log"
  local child="" status stopping=false delay=1 started sleeper orphan fd
  # Descriptors inherited from whoever started us (an SSH session's pipe, say) would keep that
  # caller waiting for as long as the daemon runs. 255 is bash's own, reading this program.
  for fd in "/proc/$BASHPID/fd/"*; do
    fd="${fd##*/}"
    if ((fd > 2 && fd < 255)); then
      eval "exec $fd>&-"
    fi
  done
  mkdir -p "$SVC_STATE" "$SVC_LOGS"
  exec 9>"$SVC_STATE/$NAME.lock"
  # Another supervisor runs it; one that was just stopped may still be letting go of the lock.
  if ! flock -w 2 9; then
    echo "edgeplane-service: another supervisor of $NAME holds $SVC_STATE/$NAME.lock; leaving it be"
    return 0
  fi
  svc_record "$BASHPID" "$SVC_STATE/$NAME.supervisor.pid"
  if orphan="$(svc_alive "$pidfile")"; then
    # Left by a supervisor that was killed: two daemons would fight over sockets and ports.
    svc_log "killing $NAME pid $orphan left by an earlier supervisor"
    kill -KILL "$orphan" 2>/dev/null || true
  fi
  trap 'stopping=true; [[ -z "$child" ]] || kill -TERM "$child" 2>/dev/null || true' TERM INT
  trap '' HUP
  while ! $stopping; do
    if [[ -f "$log" ]] && (($(stat -c %s "$log") > SVC_LOG_LIMIT)); then
      mv -f "$log" "$log.1"
    fi
    svc_log "starting $NAME"
    started=$SECONDS
    "$spec" </dev/null >>"$log" 2>&1 9>&- &
    child=$!
    svc_record "$child" "$pidfile"
    status=0
    wait "$child" || status=$?
    # wait returns early when a signal is trapped; the daemon is gone only when kill -0 fails.
    while kill -0 "$child" 2>/dev/null; do
      status=0
      wait "$child" || status=$?
    done
    child=""
    svc_log "$NAME exited with status $status"
    $stopping && break
    ((SECONDS - started < 60)) || delay=1
    sleep "$delay" 9>&- &
    sleeper=$!
    wait "$sleeper" || true
    kill "$sleeper" 2>/dev/null || true
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
  rm -f "$pidfile" "$SVC_STATE/$NAME.supervisor.pid"
}

# svc_program : the standalone edgeplane-service program, as provision.sh installs it.
svc_program() {
  local fn
  echo "#!/usr/bin/env bash"
  echo "# Edgeplane's service starter for hosts without systemd; written by provision.sh, do not edit."
  echo "# Usage: edgeplane-service start|stop|restart|status NAME | start-all"
  echo "set -euo pipefail"
  declare -p SVC_SPECS SVC_STATE SVC_LOGS SVC_PROGRAM SVC_STOP_TIMEOUT SVC_LOG_LIMIT
  for fn in $(declare -F | awk '$3 ~ /^svc_/ { print $3 }'); do
    declare -f "$fn"
  done
  echo 'svc_main "$@"'
}
