#!/usr/bin/env bash
# Running containerd and the kubelet as services: systemd units where systemd is init, otherwise
# Edgeplane's service starter (service-starter.sh). A service restarts only when the fingerprint of
# its inputs (binary, configuration, command line) differs from the one recorded when it last
# started, so a second run restarts nothing and a run killed between writing and restarting is
# completed by the next. Source it after lib.sh, files.sh, layout.sh and service-starter.sh.

# Set by main from service_manager: systemd or supervisor.
SERVICE_MANAGER=""

# service_manager [SYSTEMD_RUN_DIR] : EDGEPLANE_SERVICE_MANAGER, or for auto: systemd when it runs as
# init (sd_booted's test), else the service starter.
service_manager() {
  local wanted="${EDGEPLANE_SERVICE_MANAGER:-auto}"
  case "$wanted" in
    auto)
      if [[ -d "${1:-/run/systemd/system}" ]]; then echo systemd; else echo supervisor; fi
      ;;
    systemd | supervisor) echo "$wanted" ;;
    *) fatal "EDGEPLANE_SERVICE_MANAGER must be auto, systemd or supervisor, not: $wanted" ;;
  esac
}

service_running() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemctl is-active --quiet "$1"
  else
    "$SVC_PROGRAM" status "$1" >/dev/null 2>&1
  fi
}

# service_pid NAME : the daemon's pid, empty when it does not run.
service_pid() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemctl show -p MainPID --value "$1" 2>/dev/null | grep -v '^0$' || true
  else
    "$SVC_PROGRAM" status "$1" 2>/dev/null || true
  fi
}

service_start() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemctl start "$1"
  else
    "$SVC_PROGRAM" start "$1"
  fi
}

service_stop() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemctl stop "$1"
  else
    "$SVC_PROGRAM" stop "$1"
  fi
}

service_restart() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemctl restart "$1"
  else
    "$SVC_PROGRAM" restart "$1"
  fi
}

# service_log_tail NAME : the service's last log lines, for error messages.
service_log_tail() {
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    journalctl -u "$1" -n 30 --no-pager 2>/dev/null || true
  else
    tail -n 30 "$SVC_LOGS/$1.log" 2>/dev/null || true
  fi
}

# install_service_starter : writes the edgeplane-service program (supervisor hosts only).
install_service_starter() {
  svc_program | put_file "$SVC_PROGRAM" 0755
}

# write_service_spec NAME < SPEC : the executable that runs service NAME (execs its daemon).
write_service_spec() {
  put_file "$SVC_SPECS/$1" 0755
}

# systemd_reload_if_needed NAME : systemd rereads unit files that changed on disk (also after a run
# that was killed between writing a unit and reloading).
systemd_reload_if_needed() {
  if [[ "$(systemctl show -p NeedDaemonReload --value "$1" 2>/dev/null)" == yes ]]; then
    systemctl daemon-reload
  fi
}

# ensure_service NAME FORCE_RESTART INPUT... : NAME runs with the inputs as they are now; it is
# (re)started only when it does not run, its inputs changed, or FORCE_RESTART is true.
ensure_service() {
  local name="$1" force="$2" want applied="" record="$SERVICE_FINGERPRINTS/$1"
  shift 2
  want="$(fingerprint "$@")"
  [[ ! -f "$record" ]] || applied="$(<"$record")"
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    systemd_reload_if_needed "$name"
    if ! systemctl is-enabled --quiet "$name" 2>/dev/null; then
      systemctl enable --quiet "$name"
      note_change "enabled $name at boot"
    fi
  fi
  if service_running "$name"; then
    if [[ "$applied" == "$want" && "$force" != true ]]; then
      info "$name runs (pid $(service_pid "$name")) with its current configuration"
      return 0
    fi
    service_restart "$name"
    note_change "restarted $name: its configuration changed"
  else
    service_start "$name"
    note_change "started $name (pid $(service_pid "$name"))"
  fi
  mkdir -p "$SERVICE_FINGERPRINTS"
  echo "$want" >"$record"
}

# stop_service NAME : stops and disables NAME and removes what runs it (unit or spec).
stop_service() {
  local name="$1"
  if [[ "$SERVICE_MANAGER" == systemd ]]; then
    if systemctl is-active --quiet "$name" || systemctl is-enabled --quiet "$name" 2>/dev/null; then
      systemctl disable --now --quiet "$name"
      note_change "stopped and disabled $name"
    fi
    remove_path "$SYSTEMD_UNITS/$name.service"
    if $LAST_CHANGED; then
      systemctl daemon-reload
    fi
  else
    if [[ -x "$SVC_PROGRAM" ]] && service_running "$name"; then
      "$SVC_PROGRAM" stop "$name"
      note_change "stopped $name"
    fi
    remove_path "$SVC_SPECS/$name"
  fi
  remove_path "$SERVICE_FINGERPRINTS/$name"
}
