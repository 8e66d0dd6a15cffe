#!/usr/bin/env bats
# lib/services.sh: which service manager, and restarts only on changed inputs, with a stubbed
# systemctl and a stubbed service starter.

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  SERVICE_FINGERPRINTS="$BATS_TEST_TMPDIR/fingerprints"
  CALLS="$BATS_TEST_TMPDIR/calls"
  INPUT="$BATS_TEST_TMPDIR/kubelet.yaml"
  echo "v1" >"$INPUT"
  # A systemd whose units are active once started, enabled once enabled.
  stub systemctl '
echo "systemctl $*" >>"'"$CALLS"'"
state="'"$BATS_TEST_TMPDIR"'"
case "$1" in
  is-active) [ -e "$state/active-${*: -1}" ] ;;
  is-enabled) [ -e "$state/enabled-${*: -1}" ] ;;
  enable) touch "$state/enabled-${*: -1}" ;;
  disable) rm -f "$state/active-${*: -1}" "$state/enabled-${*: -1}" ;;
  start | restart) touch "$state/active-$2" ;;
  show) if [ "$2" = -p ] && [ "$3" = MainPID ]; then echo 42; elif [ -e "$state/reload" ]; then echo yes; else echo no; fi ;;
esac'
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

@test "service_manager: systemd when it is init, else the service starter; a bad knob is refused" {
  mkdir -p "$BATS_TEST_TMPDIR/run-systemd"
  [ "$(service_manager "$BATS_TEST_TMPDIR/run-systemd")" = systemd ]
  [ "$(service_manager "$BATS_TEST_TMPDIR/none")" = supervisor ]
  [ "$(EDGEPLANE_SERVICE_MANAGER=supervisor service_manager "$BATS_TEST_TMPDIR/run-systemd")" = supervisor ]
  EDGEPLANE_SERVICE_MANAGER=upstart run service_manager
  [ "$status" -eq 1 ]
  [[ "$output" == *"EDGEPLANE_SERVICE_MANAGER must be auto, systemd or supervisor, not: upstart"* ]]
}

@test "systemd: enabled and started once, then left alone until an input changes" {
  SERVICE_MANAGER=systemd
  ensure_service kubelet false "$INPUT"
  grep -qx "systemctl enable --quiet kubelet" "$CALLS"
  grep -qx "systemctl start kubelet" "$CALLS"
  [ "$EDGEPLANE_CHANGES" -eq 2 ]

  : >"$CALLS"
  ensure_service kubelet false "$INPUT"
  [ "$EDGEPLANE_CHANGES" -eq 2 ]
  ! grep -qE "start|restart|enable " "$CALLS" || false

  echo v2 >"$INPUT"
  ensure_service kubelet false "$INPUT"
  grep -qx "systemctl restart kubelet" "$CALLS"
  [ "$EDGEPLANE_CHANGES" -eq 3 ]
}

@test "systemd: a unit changed on disk is reloaded; FORCE_RESTART restarts an unchanged service" {
  SERVICE_MANAGER=systemd
  ensure_service kubelet false "$INPUT"
  touch "$BATS_TEST_TMPDIR/reload"
  : >"$CALLS"
  ensure_service kubelet true "$INPUT"
  grep -qx "systemctl daemon-reload" "$CALLS"
  grep -qx "systemctl restart kubelet" "$CALLS"
}

@test "a run killed after writing but before restarting is completed: the fingerprint was not recorded" {
  SERVICE_MANAGER=systemd
  ensure_service kubelet false "$INPUT"
  echo v2 >"$INPUT" # written, then the run died
  : >"$CALLS"
  ensure_service kubelet false "$INPUT"
  grep -qx "systemctl restart kubelet" "$CALLS"
}

@test "the service starter: started when it does not run, never restarted when nothing changed" {
  SERVICE_MANAGER=supervisor
  SVC_PROGRAM="$STUBS/edgeplane-service"
  stub edgeplane-service '
echo "edgeplane-service $*" >>"'"$CALLS"'"
case "$1" in
  status) [ -e "'"$BATS_TEST_TMPDIR"'/running" ] && echo 7 ;;
  start | restart) touch "'"$BATS_TEST_TMPDIR"'/running" ;;
esac'
  run ensure_service containerd false "$INPUT"
  [[ "$output" == *"started containerd (pid 7)"* ]]
  ensure_service containerd false "$INPUT"
  : >"$CALLS"
  run ensure_service containerd false "$INPUT"
  [[ "$output" == *"containerd runs (pid 7) with its current configuration"* ]]
  ! grep -qE "start|restart" "$CALLS" || false
}

@test "stop_service disables and removes what runs the service, once" {
  SERVICE_MANAGER=systemd
  SYSTEMD_UNITS="$BATS_TEST_TMPDIR/units"
  mkdir -p "$SYSTEMD_UNITS"
  touch "$SYSTEMD_UNITS/kubelet.service"
  ensure_service kubelet false "$INPUT"
  : >"$CALLS"
  stop_service kubelet
  grep -qx "systemctl disable --now --quiet kubelet" "$CALLS"
  [ ! -e "$SYSTEMD_UNITS/kubelet.service" ]
  [ ! -e "$SERVICE_FINGERPRINTS/kubelet" ]
  before="$EDGEPLANE_CHANGES"
  stop_service kubelet
  [ "$EDGEPLANE_CHANGES" -eq "$before" ]
}

@test "service_stop stops a service and leaves it installed and enabled" {
  SERVICE_MANAGER=systemd
  ensure_service kubelet false "$INPUT"
  : >"$CALLS"
  service_stop kubelet
  [ "$(cat "$CALLS")" = "systemctl stop kubelet" ]
  stub edgeplane-service 'echo "edgeplane-service $*" >>"'"$CALLS"'"'
  SVC_PROGRAM="$STUBS/edgeplane-service"
  SERVICE_MANAGER=supervisor
  service_stop kubelet
  [ "$(tail -n1 "$CALLS")" = "edgeplane-service stop kubelet" ]
}
