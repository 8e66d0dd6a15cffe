#!/usr/bin/env bash
# Checks and preparation of the machine itself: root, OS, architecture, cgroups, swap, kernel
# modules and sysctls, and the kubelet's cgroup root. Source it after lib.sh and files.sh.

SUPPORTED_OS=(ubuntu-20.04 ubuntu-22.04 ubuntu-24.04 debian-12)

# Knobs that describe the device itself (say, the cgroup root of one of several nodes sharing a
# machine) live on the device in KEY=VALUE lines of EDGEPLANE_* variables, so that every run of a
# script applies them, whether a person runs it or Edgeplane delivers it over SSH (which passes no
# environment). The environment wins over the file. Values are taken literally, never evaluated.
DEVICE_KNOBS_FILE="${EDGEPLANE_DEVICE_KNOBS_FILE:-/etc/edgeplane/device.env}"
load_device_knobs() {
  local file="$DEVICE_KNOBS_FILE" line key number=0
  [[ -f "$file" ]] || return 0
  while IFS= read -r line || [[ -n "$line" ]]; do
    number=$((number + 1))
    [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
    [[ "$line" =~ ^(EDGEPLANE_[A-Z_]+)=(.*)$ ]] ||
      fatal "$file:$number: expected EDGEPLANE_NAME=value, found: $line"
    key="${BASH_REMATCH[1]}"
    [[ -n "${!key+x}" ]] || export "$key=${BASH_REMATCH[2]}"
  done <"$file"
}

check_root() {
  [[ "$(id -u)" -eq 0 ]] || fatal "must run as root (sudo bash $0)"
}

# process_start_time PID : when the process started (clock ticks since boot), telling it from a
# later process that got the same pid.
process_start_time() {
  local stat fields
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

RUN_LOCK_DIR=""

# lock_runs LOCK_DIR : one provisioning or deprovisioning run at a time (an operator and a retried
# SSH delivery may overlap). The lock is a directory naming its owner (pid and start time); a run
# that was killed leaves it behind and the next run takes it over once that process is gone, even
# if an orphaned child of it (a download, say) still runs. unlock_runs releases it.
lock_runs() {
  local lock="$1" pid="" start=""
  mkdir -p "$(dirname "$lock")"
  if ! mkdir "$lock" 2>/dev/null; then
    read -r pid start 2>/dev/null <"$lock/owner" || true
    if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(process_start_time "$pid" || true)" == "$start" ]]; then
      fatal "another Edgeplane provisioning run is in progress (pid $pid holds $lock)"
    fi
    rm -rf "$lock"
    mkdir "$lock" || fatal "cannot take the lock $lock"
  fi
  RUN_LOCK_DIR="$lock"
  echo "$$ $(process_start_time $$)" >"$lock/owner"
}

unlock_runs() {
  [[ -z "$RUN_LOCK_DIR" ]] || rm -rf "$RUN_LOCK_DIR"
  RUN_LOCK_DIR=""
}

# os_release_value KEY [FILE] : a value from os-release, without quotes. Parsed, never sourced.
os_release_value() {
  local line value
  line="$(grep -m1 "^$1=" "${2:-/etc/os-release}" || true)"
  value="${line#*=}"
  value="${value#[\"\']}"
  value="${value%[\"\']}"
  printf '%s\n' "$value"
}

# os_id [FILE] : the OS in Edgeplane's spelling, e.g. ubuntu-22.04 or debian-12.
os_id() {
  local file="${1:-/etc/os-release}"
  [[ -r "$file" ]] || fatal "cannot read $file: not a supported Linux distribution"
  printf '%s-%s\n' "$(os_release_value ID "$file")" "$(os_release_value VERSION_ID "$file")"
}

# check_os EXPECTED [FILE] : this machine runs the OS the script was rendered for.
check_os() {
  local actual supported=false os
  actual="$(os_id "${2:-/etc/os-release}")"
  for os in "${SUPPORTED_OS[@]}"; do
    [[ "$actual" == "$os" ]] && supported=true
  done
  $supported || fatal "unsupported OS $actual (supported: ${SUPPORTED_OS[*]})"
  [[ "$actual" == "$1" ]] || fatal "this machine runs $actual, but the script was rendered for $1"
}

check_arch() {
  local actual
  actual="$(host_arch)"
  [[ "$actual" == "$1" ]] || fatal "this machine is $actual, but the script was rendered for $1"
}

# cgroup_version [ROOT] : 2 for the unified hierarchy, 1 for v1 (also hybrid); fails without cgroups.
cgroup_version() {
  local root="${1:-/sys/fs/cgroup}"
  if [[ -f "$root/cgroup.controllers" ]]; then
    echo 2
  elif [[ -d "$root/memory" && -d "$root/cpu" ]] || [[ -d "$root/cpu,cpuacct" && -d "$root/memory" ]]; then
    echo 1
  else
    fatal "no cgroup hierarchy with the cpu and memory controllers under $root"
  fi
}

# has_capability NUMBER [STATUS_FILE] : the effective capability set holds it (CAP_SYS_RESOURCE is 24).
has_capability() {
  local eff
  eff="$(awk '/^CapEff:/ { print $2 }' "${2:-/proc/self/status}")"
  [[ -n "$eff" ]] && (((16#$eff >> $1) & 1))
}

# active_swap [SWAPS_FILE] : prints the active swap devices, one a line.
active_swap() {
  tail -n +2 "${1:-/proc/swaps}" | awk '{ print $1 }'
}

# fstab_without_swap < fstab : the same table with every active swap line commented out.
fstab_without_swap() {
  awk '!/^[[:space:]]*#/ && $3 == "swap" { print "# disabled by Edgeplane (kubelet): " $0; next } { print }'
}

# disable_swap MODE : off turns swap off now and at boot; keep leaves it to the operator (the
# kubelet then runs with failSwapOn: false, and pods never use swap).
disable_swap() {
  case "$1" in
    keep)
      info "swap left as it is (EDGEPLANE_SWAP=keep)"
      return 0
      ;;
    off) ;;
    *) fatal "EDGEPLANE_SWAP must be off or keep, not: $1" ;;
  esac
  if [[ -n "$(active_swap /proc/swaps)" ]]; then
    swapoff -a
    note_change "turned swap off"
  fi
  if [[ -f /etc/fstab ]] && grep -qE '^[^#]*[[:space:]]swap[[:space:]]' /etc/fstab; then
    local fstab mode
    fstab="$(fstab_without_swap </etc/fstab)"
    mode="0$(file_mode /etc/fstab)"
    printf '%s\n' "$fstab" | put_file /etc/fstab "$mode"
  fi
  info "swap is off"
}

# kernel_feature_present MODULE [PROC] : what the module provides is there, whether the module is
# loaded or built into the kernel (lsmod does not list built-in ones; containers have no modprobe).
kernel_feature_present() {
  local proc="${2:-/proc}"
  case "$1" in
    overlay) grep -qw overlay "$proc/filesystems" ;;
    br_netfilter) [[ -e "$proc/sys/net/bridge/bridge-nf-call-iptables" ]] ;;
    *) return 1 ;;
  esac
}

# load_kernel_modules MODULE... : makes each module's feature present now and loads it at boot.
load_kernel_modules() {
  local module
  printf '%s\n' "# Managed by Edgeplane provisioning: modules the kubelet and containerd need." "$@" |
    put_file "$MODULES_FILE" 0644
  for module in "$@"; do
    if kernel_feature_present "$module"; then
      continue
    fi
    if command -v modprobe >/dev/null 2>&1 && modprobe "$module"; then
      note_change "loaded kernel module $module"
    fi
    kernel_feature_present "$module" || fatal "kernel module $module is neither loaded nor loadable"
  done
  info "kernel modules present: $*"
}

# apply_sysctls KEY=VALUE... : sets each now (only where it differs) and at boot. Only these keys are
# applied, never the whole of /etc/sysctl.d, so a device sharing its kernel changes nothing else.
apply_sysctls() {
  local proc_sys="${SYSCTL_ROOT:-/proc/sys}" setting key value file
  printf '%s\n' "# Managed by Edgeplane provisioning: settings the kubelet and pod networking need." "$@" |
    put_file "$SYSCTL_FILE" 0644
  for setting in "$@"; do
    key="${setting%%=*}"
    value="${setting#*=}"
    file="$proc_sys/${key//.//}"
    [[ -e "$file" ]] || fatal "sysctl $key does not exist on this kernel"
    if [[ "$(<"$file")" != "$value" ]]; then
      echo "$value" >"$file"
      note_change "set $key=$value"
    fi
  done
  info "sysctls set: $*"
}

# cgroup_hierarchies [ROOT] : the hierarchies a cgroupfs kubelet uses: ROOT itself on cgroup v2,
# otherwise every mounted v1 hierarchy (including the hybrid layout's unified and systemd trees).
cgroup_hierarchies() {
  local root="${1:-/sys/fs/cgroup}" dir
  if [[ -f "$root/cgroup.controllers" ]]; then
    echo "$root"
    return 0
  fi
  for dir in "$root"/*/; do
    dir="${dir%/}"
    [[ -L "$dir" || ! -f "$dir/cgroup.procs" ]] || echo "$dir"
  done
}

# valid_cgroup_path PATH : an absolute cgroup path of plain names, e.g. /edgeplane or /devices/edge-1.
valid_cgroup_path() {
  [[ "$1" =~ ^(/[A-Za-z0-9_][A-Za-z0-9._-]*)+$ ]]
}

# ensure_cgroup_root PATH [ROOT] : creates the kubelet's cgroup root in every hierarchy, since the
# kubelet refuses one that is missing anywhere. A new cpuset has no CPUs or memory nodes until told,
# so each new level inherits its parent's.
ensure_cgroup_root() {
  local path="$1" hierarchy parent part file
  local -a parts
  valid_cgroup_path "$path" || fatal "EDGEPLANE_CGROUP_ROOT must be an absolute cgroup path such as /edgeplane, not: $path"
  IFS=/ read -ra parts <<<"${path#/}"
  while read -r hierarchy; do
    [[ -d "$hierarchy$path" ]] && continue
    parent="$hierarchy"
    for part in "${parts[@]}"; do
      mkdir -p "$parent/$part"
      if [[ "$(basename "$hierarchy")" == cpuset ]]; then
        for file in cpuset.cpus cpuset.mems; do
          [[ -n "$(<"$parent/$part/$file")" ]] || cat "$parent/$file" >"$parent/$part/$file"
        done
      fi
      parent="$parent/$part"
    done
    note_change "created cgroup $hierarchy$path"
  done < <(cgroup_hierarchies "${2:-/sys/fs/cgroup}")
}

# remove_cgroup_root PATH [ROOT] : kills what still runs below PATH and removes the trees.
remove_cgroup_root() {
  local path="$1" hierarchy dir attempt pid
  valid_cgroup_path "$path" || fatal "EDGEPLANE_CGROUP_ROOT must be an absolute cgroup path such as /edgeplane, not: $path"
  while read -r hierarchy; do
    dir="$hierarchy$path"
    [[ -d "$dir" ]] || continue
    for ((attempt = 1; attempt <= 10; attempt++)); do
      while read -r pid; do
        kill -KILL "$pid" 2>/dev/null || true
      done < <(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null)
      # rmdir, deepest first: the kernel refuses a cgroup that still has tasks or children.
      find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
      [[ -d "$dir" ]] || break
      sleep 0.2
    done
    [[ ! -d "$dir" ]] || fatal "cannot remove cgroup $dir: tasks keep running in it"
    note_change "removed cgroup $dir"
  done < <(cgroup_hierarchies "${2:-/sys/fs/cgroup}")
}

# --- the node's address ----------------------------------------------------------------------------

# valid_ipv4 ADDRESS : a dotted quad without leading zeros (as the kubelet parses it).
valid_ipv4() {
  [[ "$1" =~ ^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$ ]] || return 1
  local i
  for i in 1 2 3 4; do
    ((BASH_REMATCH[i] <= 255)) || return 1
  done
}

# looks_like_ipv6 ADDRESS : hexadecimal groups and colons (an embedded IPv4 allowed); whether it is
# one of this device's is checked against `ip -o addr`, which prints them compressed.
looks_like_ipv6() {
  [[ "$1" == *:* && "$1" =~ ^[0-9A-Fa-f:.]{2,45}$ ]]
}

# interface_addresses : every address assigned to an interface of this device, without its prefix
# length, one a line (IPv6 in lowercase, as ip prints it).
interface_addresses() {
  ip -o addr show | awk '$3 == "inet" || $3 == "inet6" { sub(/\/.*/, "", $4); print $4 }'
}

# check_node_ip ADDRESS NODE_NAME : refuses (before anything is changed) a node address the kubelet
# will not report: with it, the node registers without any address, and everything the apiserver
# opens towards the kubelet (logs, exec, port-forward) fails with "no preferred addresses found".
# An empty ADDRESS leaves the choice to the kubelet.
check_node_ip() {
  local address="$1" name="$2" consequence addresses
  [[ -n "$address" ]] || return 0
  consequence="the kubelet would register node $name without any address, and kubectl logs, exec and port-forward would fail. Set EDGEPLANE_NODE_IP to an address of one of this device's interfaces (ip -o addr), or leave it unset for the kubelet's choice"
  if ! valid_ipv4 "$address" && ! looks_like_ipv6 "$address"; then
    fatal "EDGEPLANE_NODE_IP must be an IP address of one of this device's interfaces, not: $address"
  fi
  if [[ "$address" == 127.* || "$address" =~ ^[0:]*:0*1$ ]]; then
    fatal "EDGEPLANE_NODE_IP=$address is a loopback address, which the kubelet does not report: $consequence"
  fi
  require_cmd ip
  addresses="$(interface_addresses)"
  if ! grep -qxF -- "${address,,}" <<<"$addresses"; then
    fatal "EDGEPLANE_NODE_IP=$address is not assigned to any interface of this device (it has ${addresses//$'\n'/, }): $consequence"
  fi
}
