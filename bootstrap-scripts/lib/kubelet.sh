#!/usr/bin/env bash
# The kubelet: its binary, the cluster CA, the bootstrap kubeconfig, its configuration and command
# line, and the wait for its Node. Source it after lib.sh, files.sh and layout.sh.

# kubelet_installed SHA256 : the installed kubelet is exactly the pinned one.
kubelet_installed() {
  [[ -x "$KUBELET_BIN" ]] && [[ "$(sha256_of "$KUBELET_BIN")" == "$1" ]]
}

# render_bootstrap_kubeconfig SERVER TOKEN : authenticates with the bootstrap token until the kubelet
# has its own client certificate; the CA is referenced by path so that the kubeconfig the kubelet
# writes after bootstrapping follows a renewed CA file.
render_bootstrap_kubeconfig() {
  cat <<EOF
# Managed by Edgeplane provisioning. Holds a short-lived bootstrap token: keep it private.
apiVersion: v1
kind: Config
clusters:
- name: edgeplane
  cluster:
    server: $1
    certificate-authority: $CLUSTER_CA
contexts:
- name: kubelet-bootstrap
  context:
    cluster: edgeplane
    user: kubelet-bootstrap
current-context: kubelet-bootstrap
users:
- name: kubelet-bootstrap
  user:
    token: $2
EOF
}

# taint_parts TAINT : "key=value:Effect" as three lines: key, value (maybe empty), effect.
taint_parts() {
  local rest="${1%:*}"
  printf '%s\n%s\n%s\n' "${rest%%=*}" "${rest#*=}" "${1##*:}"
}

# render_kubelet_config CGROUP_DRIVER CGROUP_ROOT FAIL_SWAP_ON RESOLV_CONF CLUSTER_DNS TAINT...
# CLUSTER_DNS: the node-local cluster DNS address that pods get as their nameserver, with the
# cluster domain; empty for a cluster without cluster services. TAINT is "key=value:Effect"; keys
# and values were validated when the script was rendered, and are double-quoted so that YAML reads
# "true" or "1" as strings.
render_kubelet_config() {
  local driver="$1" cgroup_root="$2" fail_swap_on="$3" resolv_conf="$4" cluster_dns="$5" taint key value effect
  shift 5
  cat <<EOF
# Managed by Edgeplane provisioning; rewritten on every run.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $CLUSTER_CA
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
cgroupDriver: $driver
EOF
  [[ -z "$cgroup_root" ]] || echo "cgroupRoot: $cgroup_root"
  cat <<EOF
# Kubernetes 1.35+ refuses cgroup v1 hosts unless told otherwise.
failCgroupV1: false
failSwapOn: $fail_swap_on
resolvConf: $resolv_conf
staticPodPath: $STATIC_PODS
EOF
  if [[ -n "$cluster_dns" ]]; then
    printf 'clusterDNS:\n- %s\nclusterDomain: %s\n' "$cluster_dns" "$CLUSTER_DOMAIN"
  fi
  cat <<EOF
# The client certificate renews itself; the serving certificate is requested from the cluster and
# approved by Edgeplane only for this node's own names and addresses.
rotateCertificates: true
serverTLSBootstrap: true
EOF
  if (($# == 0)); then
    echo "registerWithTaints: []"
    return 0
  fi
  echo "registerWithTaints:"
  for taint in "$@"; do
    { read -r key && read -r value && read -r effect; } < <(taint_parts "$taint")
    printf -- '- key: "%s"\n  value: "%s"\n  effect: "%s"\n' "$key" "$value" "$effect"
  done
}

# render_kubelet_spec NODE_NAME NODE_IP CLUSTER_DNS LABEL... : the kubelet's command line, as the
# executable both the systemd unit and the service starter run. Labels go in once, when the node
# registers. With CLUSTER_DNS (the cluster services' DNS address) it first makes sure that the
# dummy interface holding it exists and is up: CoreDNS binds to it, and it is gone after a reboot.
render_kubelet_spec() {
  local name="$1" node_ip="$2" cluster_dns="$3" args labels
  shift 3
  args=(--config="$KUBELET_CONFIG" --bootstrap-kubeconfig="$BOOTSTRAP_KUBECONFIG" --kubeconfig="$KUBELET_KUBECONFIG"
    --cert-dir="$KUBELET_PKI" --hostname-override="$name")
  if (($# > 0)); then
    labels="$(IFS=, && echo "$*")"
    args+=(--node-labels="$labels")
  fi
  [[ -z "$node_ip" ]] || args+=(--node-ip="$node_ip")
  echo "#!/usr/bin/env bash"
  echo "$MANAGED_MARKER: the kubelet of node $name."
  [[ -z "$cluster_dns" ]] || render_dns_interface_commands "$cluster_dns"
  printf 'exec %q' "$KUBELET_BIN"
  printf ' \\\n  %q' "${args[@]}"
  echo
}

# render_dns_interface_commands ADDRESS : idempotent commands that put ADDRESS on the dummy interface
# $CLUSTER_DNS_INTERFACE, up (a bridge without ports where the kernel has no dummy interfaces: it
# holds a local address just as well). A failure is reported and the kubelet starts anyway: only
# the cluster DNS depends on it.
render_dns_interface_commands() {
  local dev="$CLUSTER_DNS_INTERFACE"
  echo "# The node-local cluster DNS address (CoreDNS binds to it)."
  printf '{ ip link show %q >/dev/null 2>&1 || ip link add %q type dummy 2>/dev/null || ip link add %q type bridge; } &&\n' \
    "$dev" "$dev" "$dev"
  printf '  ip addr replace %q dev %q && ip link set %q up ||\n' "$1/32" "$dev" "$dev"
  printf '  echo "WARNING: cannot put the cluster DNS address %s on %s: pods get no cluster DNS" >&2\n' "$1" "$dev"
}

# render_kubelet_unit : the systemd unit; the command line lives in the spec it runs.
render_kubelet_unit() {
  cat <<EOF
$MANAGED_MARKER.
[Unit]
Description=Kubernetes kubelet (Edgeplane)
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
Wants=network-online.target containerd.service
After=network-online.target containerd.service

[Service]
ExecStart=$SVC_SPECS/kubelet
Restart=always
RestartSec=2
StartLimitInterval=0

[Install]
WantedBy=multi-user.target
EOF
}

# kubelet_resolv_conf : systemd-resolved's real upstream list where it runs (its stub 127.0.0.53
# would loop inside pods), else /etc/resolv.conf.
kubelet_resolv_conf() {
  if [[ -s /run/systemd/resolve/resolv.conf ]]; then
    echo /run/systemd/resolve/resolv.conf
  else
    echo /etc/resolv.conf
  fi
}

# kubelet_credentials_stale NODE_NAME SERVER : the kubelet's client credentials belong to another
# node name, another apiserver or another CA (the device was moved or the cluster recreated), so it
# must bootstrap again. Prints why.
kubelet_credentials_stale() {
  local previous
  [[ -f "$KUBELET_KUBECONFIG" || -e "$KUBELET_CLIENT_CERT" ]] || return 1
  previous="$(cat "$NODE_NAME_FILE" 2>/dev/null || true)"
  if [[ "$previous" != "$1" ]]; then
    echo "they belong to node '${previous:-unknown}'"
    return 0
  fi
  if [[ -f "$KUBELET_KUBECONFIG" ]] && ! grep -qF "server: $2" "$KUBELET_KUBECONFIG"; then
    echo "they are for another apiserver"
    return 0
  fi
  if [[ -e "$KUBELET_CLIENT_CERT" ]] && command -v openssl >/dev/null 2>&1 &&
    ! openssl verify -CAfile "$CLUSTER_CA" "$KUBELET_CLIENT_CERT" >/dev/null 2>&1; then
    echo "the cluster CA did not issue them"
    return 0
  fi
  return 1
}

# node_registered NAME SERVER : the kubelet's own client certificate can read its Node, over TLS
# verified against the cluster CA (the Node authorizer lets a node read only itself).
node_registered() {
  [[ -s "$KUBELET_CLIENT_CERT" ]] || return 1
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time 5 --cacert "$CLUSTER_CA" \
    --cert "$KUBELET_CLIENT_CERT" --key "$KUBELET_CLIENT_CERT" "$2/api/v1/nodes/$1" || true)"
  [[ "$code" == 200 ]]
}

# wait_for_registration NAME SERVER SECONDS
wait_for_registration() {
  local deadline=$((SECONDS + $3))
  until node_registered "$1" "$2"; do
    if ((SECONDS >= deadline)); then
      fatal "node $1 did not register within $3 s; last kubelet log lines:
$(service_log_tail kubelet)"
    fi
    sleep 0.5
  done
  info "node $1 is registered: its kubelet reads its Node with its own client certificate"
}
