#!/usr/bin/env bash
# Records and compares what a test run could change on this host, so that the test command can
# prove it leaves the host as it found it, on a fresh host as on a used one:
#
#   host-state.sh save FILE      snapshot of the host now
#   host-state.sh restore FILE   undoes the changes the product makes by design and documents,
#                                where FILE shows they were not there before: the system user that
#                                runs the embedded PostgreSQL when the seed manager runs as root, and
#                                kernel modules loaded since (containerd and provisioning load them)
#   host-state.sh check FILE     restore, then compare: what the test command runs at its end; a
#                                missing FILE (a partial build that took no snapshot) is skipped
#   host-state.sh compare FILE [SECTION...]
#                                exit 1 listing every difference between FILE and now, by section
#                                (all of them, or the sections named)
#
# Sections: firewall (iptables, ip6tables, nft: tables, chains, rules), sysctl (every kernel setting
# but counters), mounts, links, addresses, routes, netns, modules, users, groups, modes (owner and
# mode of the directories the seed manager may open up), processes (new orphans: processes adopted
# by init, which is what a daemon left behind becomes), run and var-lib (top-level entries), tmp (the
# test bed's entries), home (top-level entries of $HOME but the build's own caches: a ~/.kube that a
# kubectl run on the host writes is a leftover). A tool that is not installed reads as empty, so that
# "not installed" and "installed, nothing loaded" compare equal (a fresh host prints no iptables
# tables at all).
#
# Environment knobs:
#   EDGEPLANE_HOST_STATE_DIRS   extra directories whose owner and mode are recorded (space-separated)
#   EDGEPLANE_POSTGRES_OS_USER  the system user the seed manager creates (default: edgeplane)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"

SERVICE_USER="${EDGEPLANE_POSTGRES_OS_USER:-edgeplane}"
# Counters and values the kernel changes by itself.
VOLATILE_SYSCTLS='^(fs\.(dentry-state|file-nr|inode-nr|inode-state|aio-nr|quota\.)|kernel\.(random\.|ns_last_pid|pty\.nr|perf_event_max_sample_rate|sched_domain)|net\.netfilter\.nf_conntrack_count|vm\.stat_refresh)'
MODE_DIRS=(/ /root /home /tmp /var /var/lib /var/tmp /run /etc /opt /usr/local)

# firewall_rules : the rule sets without comments and packet counters.
firewall_rules() {
  local save
  for save in iptables-save ip6tables-save; do
    if command -v "$save" >/dev/null 2>&1; then
      "$save" 2>/dev/null | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//' | sed "s/^/$save: /" || true
    fi
  done
  if command -v nft >/dev/null 2>&1; then
    nft list ruleset 2>/dev/null | sed -E 's/ counter packets [0-9]+ bytes [0-9]+//; s/^/nft: /' || true
  fi
}

# sysctls : every readable kernel setting as name = value, counters left out.
sysctls() {
  (cd /proc/sys && grep -r . 2>/dev/null) |
    sed -E 's|^([^:]*):|\1 = |; s|^([^ ]*)|\1|' | awk -F' = ' '{ gsub("/", ".", $1); print $1 " = " $2 }' |
    grep -Ev "$VOLATILE_SYSCTLS" | sort || true
}

mounts() {
  # mount point, type and source; mount ids and peer groups change from boot to boot.
  awk '{ split($0, halves, " - "); split(halves[2], tail, " "); print $5, tail[1], tail[2] }' /proc/self/mountinfo | sort
}

ip_lines() {
  command -v ip >/dev/null 2>&1 || return 0
  ip "$@" 2>/dev/null || true
}

# ancestors : this shell and the processes above it (the build that runs the check, and whatever
# started it, orphaned or not): never a leftover.
ancestors() {
  local pid=$$
  while [[ -n "$pid" && "$pid" != 0 && "$pid" != 1 ]]; do
    echo "$pid"
    pid="$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || true)"
  done
}

# orphans : command lines of processes whose parent is init (kernel threads, init itself and the
# check's own ancestry left out).
orphans() {
  local pid ppid own
  own=" $(ancestors | tr '\n' ' ') "
  for pid in /proc/[0-9]*; do
    pid="${pid#/proc/}"
    [[ "$own" != *" $pid "* ]] || continue
    ppid="$(awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "$ppid" == 1 ]] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed 's/ $//' || true
    echo
  done | { grep -v '^$' || true; } | sort
}

modes() {
  local dir
  # shellcheck disable=SC2086 # extra directories are space-separated on purpose
  for dir in "${MODE_DIRS[@]}" "$HOME" ${EDGEPLANE_HOST_STATE_DIRS:-}; do
    [[ -e "$dir" ]] && stat -c '%n %U:%G %a' "$dir"
  done | sort -u
}

entries() {
  [[ -d "$1" ]] || return 0
  find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -E "${2:-.}" | sort || true
}

section() {
  printf '## %s\n' "$1"
  shift
  "$@"
}

snapshot() {
  section firewall firewall_rules
  section sysctl sysctls
  section mounts mounts
  section links eval "ip_lines -o link show | awk -F': ' '{ sub(/@.*/, \"\", \$2); print \$2 }' | sort"
  # IPv6 link-local addresses and routes, and linkdown, follow an interface's carrier of the moment
  # (a bridge gets fe80:: once a port comes up): state, not configuration.
  section addresses eval "ip_lines -o addr show | awk '{ print \$2, \$3, \$4 }' | grep -v ' fe80::' | sort"
  section routes eval "{ ip_lines -4 route show table all; ip_lines -6 route show table all; } | grep -v 'fe80::' | sed 's/ linkdown//' | sort"
  section netns eval "ip_lines netns list | awk '{ print \$1 }' | sort"
  section modules eval "[[ -r /proc/modules ]] && awk '{ print \$1 }' /proc/modules | sort || true"
  section users eval "cut -d: -f1 /etc/passwd | sort"
  section groups eval "cut -d: -f1 /etc/group | sort"
  section modes modes
  section processes orphans
  section run entries /run
  section var-lib entries /var/lib
  section tmp entries /tmp '^(edgeplane|junit)'
  section home home_entries
}

# home_entries : top-level entries of the home directory, but for the caches the build fills on
# purpose (Maven's repository, Go's module and build caches, ~/.cache with Edgeplane's, Go's settings).
home_entries() {
  entries "$HOME" | grep -Ev '^(\.m2|\.cache|go|\.config)$' || true
}

# lines_of FILE SECTION : the lines of one section.
lines_of() {
  awk -v want="## $2" '/^## / { on = ($0 == want); next } on' "$1"
}

sections_of() {
  sed -n 's/^## //p' "$1"
}

compare() {
  local before="$1" now section changed=0 diff sections
  shift
  [[ -r "$before" ]] || fatal "no host snapshot at $before (host-state.sh save $before first)"
  now="$(mktemp)"
  # shellcheck disable=SC2064 # expand now
  trap "rm -f '$now'" EXIT
  snapshot >"$now"
  sections="${*:-$(sections_of "$before")}"
  for section in $sections; do
    diff="$(diff <(lines_of "$before" "$section") <(lines_of "$now" "$section") | grep '^[<>]' || true)"
    if [[ "$section" == processes ]]; then
      # A process that ended is not a leftover; only new orphans are.
      diff="$(printf '%s\n' "$diff" | grep '^>' || true)"
    fi
    if [[ -n "$diff" ]]; then
      changed=1
      printf 'host-state: %s differs (< before, > now):\n' "$section"
      printf '%s\n' "$diff" | sed 's/^/  /'
    fi
  done
  if [[ "$changed" -ne 0 ]]; then
    warn "the host is not as it was at $(date -u -r "$before" +%H:%M:%S) (snapshot $before)"
    return 1
  fi
  info "the host is as it was (snapshot $before)"
}

restore() {
  local before="$1" module
  [[ -r "$before" ]] || fatal "no host snapshot at $before"
  if ! lines_of "$before" users | grep -qx "$SERVICE_USER" && id -u "$SERVICE_USER" >/dev/null 2>&1; then
    local waited=0
    # A database server stopped a moment ago may still be finishing its last processes.
    while pgrep -u "$SERVICE_USER" >/dev/null 2>&1 && [[ "$waited" -lt 20 ]]; do
      sleep 0.5
      waited=$((waited + 1))
    done
    if pgrep -u "$SERVICE_USER" >/dev/null 2>&1; then
      warn "system user $SERVICE_USER was added during the run but still runs processes; left in place:" \
        "$(pgrep -a -u "$SERVICE_USER" | tr '\n' ';')"
    else
      info "removing system user $SERVICE_USER, added during the run (embedded PostgreSQL run as root)"
      userdel "$SERVICE_USER" >/dev/null 2>&1 || warn "cannot remove system user $SERVICE_USER"
      if getent group "$SERVICE_USER" >/dev/null && ! lines_of "$before" groups | grep -qx "$SERVICE_USER"; then
        groupdel "$SERVICE_USER" >/dev/null 2>&1 || true
      fi
    fi
  fi
  if [[ -r /proc/modules ]] && command -v modprobe >/dev/null 2>&1; then
    for module in $(comm -13 <(lines_of "$before" modules) <(awk '{ print $1 }' /proc/modules | sort)); do
      if modprobe -r "$module" >/dev/null 2>&1; then
        info "unloaded kernel module $module, loaded during the run"
      else
        warn "kernel module $module was loaded during the run and is still in use"
      fi
    done
  fi
}

main() {
  local command="${1:-}" file="${2:-}"
  [[ -n "$file" ]] || fatal "usage: host-state.sh save|restore|check|compare FILE [SECTION...]"
  case "$command" in
    save)
      mkdir -p "$(dirname "$file")"
      snapshot >"$file.tmp"
      mv "$file.tmp" "$file"
      info "host snapshot written to $file"
      ;;
    restore) restore "$file" ;;
    compare) compare "$file" "${@:3}" ;;
    check)
      if [[ ! -e "$file" ]]; then
        info "no host snapshot of this build at $file (only the whole test command takes one); nothing to compare"
        return 0
      fi
      restore "$file"
      compare "$file"
      ;;
    *) fatal "usage: host-state.sh save|restore|compare FILE (not: $command)" ;;
  esac
}

main "$@"
