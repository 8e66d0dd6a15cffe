#!/usr/bin/env bash
# Cluster services on the device: kube-proxy and a node-local CoreDNS, as static pods of the kubelet
# ($KUBE_PROXY_POD, $COREDNS_POD), so that they come back after a reboot without WAN and the node
# stays kubelet-only. Their images are built here, deterministically, from the pinned binaries
# (fetched from the seed's artifact mirror and SHA-256-checked like the kubelet), and imported into
# containerd's k8s.io namespace; nothing is pulled from a registry. Both authenticate with the
# kubelet's own kubeconfig (its client certificate rotates; both reread it). CoreDNS answers on
# $CLUSTER_DNS_ADDRESS, a link-local address on the dummy interface $CLUSTER_DNS_INTERFACE, which the
# kubelet's spec wrapper creates before the kubelet starts (see render_kubelet_spec).
# Source it after lib.sh, files.sh, layout.sh, services.sh, pods.sh (ctr_k8s) and containerd.sh
# (with_proxy; provisioning only).

# Set by download_cluster_services: the directory of the verified downloads, and which binaries it
# holds (those not already kept in $SERVICES_BINARIES with the pinned SHA-256).
SERVICES_DOWNLOAD_DIR=""
SERVICES_DOWNLOADED=()
# Set by build_local_image and ensure_local_image: the image's manifest digest (sha256:...).
LOCAL_IMAGE_DIGEST=""
# What the kube-proxy container finds in PATH: the host's iptables userland, mounted read-only.
SERVICES_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# services_binary_installed NAME SHA256 : $SERVICES_BINARIES/NAME is exactly the pinned binary.
services_binary_installed() {
  [[ -f "$SERVICES_BINARIES/$1" && -x "$SERVICES_BINARIES/$1" ]] && [[ "$(sha256_of "$SERVICES_BINARIES/$1")" == "$2" ]]
}

# download_cluster_services KUBE_PROXY_URL KUBE_PROXY_SHA256 COREDNS_URL COREDNS_SHA256 DIR :
# downloads into DIR whichever of the two binaries is not already kept with its pinned SHA-256,
# each refused unless its SHA-256 matches. Changes nothing on the device.
download_cluster_services() {
  local dir="$5" name url sha256
  SERVICES_DOWNLOAD_DIR="$dir"
  SERVICES_DOWNLOADED=()
  for name in kube-proxy coredns; do
    if [[ "$name" == kube-proxy ]]; then url="$1" sha256="$2"; else url="$3" sha256="$4"; fi
    if services_binary_installed "$name" "$sha256"; then
      info "$name is kept in $SERVICES_BINARIES (SHA-256 matches)"
      continue
    fi
    info "downloading $name from $url"
    with_proxy download_pinned "$url" "$dir/$name" "$sha256"
    SERVICES_DOWNLOADED+=("$name")
    info "$name downloaded, SHA-256 verified"
  done
}

# --- images --------------------------------------------------------------------------------------

# deterministic_tar DIR OUT MEMBER... : a tar that depends on the members' names, executable bits
# and contents only (sorted, mtime 0, uid/gid 0, no user names, modes whatever the umask): the same
# input, the same bytes and digest on every device.
deterministic_tar() {
  local dir="$1" out="$2"
  shift 2
  tar --format=gnu --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=a+rX,go-w -C "$dir" -cf "$out" "$@"
}

# put_blob LAYOUT FILE : moves FILE into the OCI layout's blobs; prints "<sha256 hex> <size>".
put_blob() {
  local sha size
  sha="$(sha256_of "$2")"
  size="$(stat -c %s "$2")"
  mv -f "$2" "$1/blobs/sha256/$sha"
  echo "$sha $size"
}

# build_local_image NAME TAG BINARY ARCH DIR : writes DIR/image.tar, an OCI image layout of
# $LOCAL_IMAGES/NAME:TAG with one uncompressed layer holding BINARY as /usr/local/bin/NAME (its
# entrypoint), and sets LOCAL_IMAGE_DIGEST to its manifest's digest. DIR is scratch space, emptied first.
build_local_image() {
  local name="$1" tag="$2" binary="$3" arch="$4" dir="$5" layout layer layer_size config config_size manifest manifest_size
  layout="$dir/layout"
  rm -rf "$dir"
  mkdir -p "$dir/rootfs/usr/local/bin" "$layout/blobs/sha256"
  cp "$binary" "$dir/rootfs/usr/local/bin/$name"
  chmod 0755 "$dir/rootfs/usr" "$dir/rootfs/usr/local" "$dir/rootfs/usr/local/bin" "$dir/rootfs/usr/local/bin/$name"
  deterministic_tar "$dir/rootfs" "$dir/layer.tar" usr
  rm -rf "$dir/rootfs"
  read -r layer layer_size < <(put_blob "$layout" "$dir/layer.tar")
  # An uncompressed layer: its digest is its diff ID.
  printf '{"architecture":"%s","config":{"Entrypoint":["/usr/local/bin/%s"],"Env":["PATH=%s"]},"os":"linux","rootfs":{"diff_ids":["sha256:%s"],"type":"layers"}}' \
    "$arch" "$name" "$SERVICES_PATH" "$layer" >"$dir/config.json"
  read -r config config_size < <(put_blob "$layout" "$dir/config.json")
  printf '{"config":{"digest":"sha256:%s","mediaType":"application/vnd.oci.image.config.v1+json","size":%s},"layers":[{"digest":"sha256:%s","mediaType":"application/vnd.oci.image.layer.v1.tar","size":%s}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}' \
    "$config" "$config_size" "$layer" "$layer_size" >"$dir/manifest.json"
  read -r manifest manifest_size < <(put_blob "$layout" "$dir/manifest.json")
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  printf '{"manifests":[{"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"},"digest":"sha256:%s","mediaType":"application/vnd.oci.image.manifest.v1+json","platform":{"architecture":"%s","os":"linux"},"size":%s}],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}' \
    "$LOCAL_IMAGES/$name:$tag" "$tag" "$manifest" "$arch" "$manifest_size" >"$layout/index.json"
  deterministic_tar "$layout" "$dir/image.tar" blobs index.json oci-layout
  rm -rf "$layout"
  LOCAL_IMAGE_DIGEST="sha256:$manifest"
}

# local_image_digest REF : the digest containerd holds for REF, or nothing.
local_image_digest() {
  ctr_k8s images ls "name==$1" 2>/dev/null | awk -v ref="$1" 'NR > 1 && $1 == ref { print $3 }'
}

# ensure_local_image NAME TAG BINARY ARCH DIR : containerd holds $LOCAL_IMAGES/NAME:TAG built from
# BINARY; imported only when it holds another image (or none) under that name. Sets
# LOCAL_IMAGE_DIGEST. DIR is scratch space for the build. What was built from which binary is
# recorded beside the binary, so that a second run need not build the image again to know its digest.
ensure_local_image() {
  local name="$1" tag="$2" binary="$3" arch="$4" dir="$5" ref="$LOCAL_IMAGES/$1:$2" record key recorded="" want have
  record="$(dirname "$binary")/.$name.image"
  key="$(sha256_of "$binary") $ref $arch"
  [[ ! -f "$record" ]] || recorded="$(<"$record")"
  have="$(local_image_digest "$ref")"
  if [[ -n "$have" && "$recorded" == "$key $have" ]]; then
    LOCAL_IMAGE_DIGEST="$have"
    info "image $ref is present ($have)"
    return 0
  fi
  build_local_image "$name" "$tag" "$binary" "$arch" "$dir"
  want="$LOCAL_IMAGE_DIGEST"
  if [[ "$have" != "$want" ]]; then
    ctr_k8s images import "$dir/image.tar" >/dev/null || fatal "containerd could not import image $ref from $dir/image.tar"
    have="$(local_image_digest "$ref")"
    [[ "$have" == "$want" ]] || fatal "image $ref was imported as '${have:-nothing}', built as $want"
    note_change "imported image $ref ($want)"
  else
    info "image $ref is present ($want)"
  fi
  rm -rf "$dir"
  echo "$key $want" >"$record.tmp"
  mv -f "$record.tmp" "$record"
}

# remove_local_images KEEP... : removes the images of kube-proxy and coredns under $LOCAL_IMAGES but KEEP.
remove_local_images() {
  local ref
  while read -r ref; do
    [[ "$ref" == "$LOCAL_IMAGES/kube-proxy:"* || "$ref" == "$LOCAL_IMAGES/coredns:"* ]] || continue
    [[ " $* " != *" $ref "* ]] || continue
    ctr_k8s images rm "$ref" >/dev/null || fatal "containerd could not remove image $ref"
    note_change "removed image $ref"
  done < <(ctr_k8s images ls -q 2>/dev/null || true)
}

# --- the DNS address -----------------------------------------------------------------------------

# ensure_dns_interface : the dummy interface $CLUSTER_DNS_INTERFACE, up, with $CLUSTER_DNS_ADDRESS/32;
# where the kernel has no dummy interfaces (no module dummy), a bridge without ports, which holds a
# local address just as well. The kubelet's spec wrapper does the same at every start (after a
# reboot the interface is gone).
ensure_dns_interface() {
  if ! ip link show "$CLUSTER_DNS_INTERFACE" >/dev/null 2>&1; then
    if ip link add "$CLUSTER_DNS_INTERFACE" type dummy 2>/dev/null; then
      note_change "created the dummy interface $CLUSTER_DNS_INTERFACE"
    elif ip link add "$CLUSTER_DNS_INTERFACE" type bridge; then
      note_change "created $CLUSTER_DNS_INTERFACE as a bridge without ports: this kernel has no dummy interfaces"
    else
      fatal "cannot create the interface $CLUSTER_DNS_INTERFACE for the cluster DNS address (neither dummy nor bridge)"
    fi
  fi
  if ! ip -o -4 addr show dev "$CLUSTER_DNS_INTERFACE" | grep -qF " $CLUSTER_DNS_ADDRESS/32 "; then
    ip addr replace "$CLUSTER_DNS_ADDRESS/32" dev "$CLUSTER_DNS_INTERFACE"
    note_change "gave $CLUSTER_DNS_INTERFACE the cluster DNS address $CLUSTER_DNS_ADDRESS"
  fi
  if ! ip -o link show "$CLUSTER_DNS_INTERFACE" | grep -qE '[<,]UP[,>]'; then
    ip link set "$CLUSTER_DNS_INTERFACE" up
    note_change "set $CLUSTER_DNS_INTERFACE up"
  fi
}

remove_dns_interface() {
  if command -v ip >/dev/null 2>&1 && ip link show "$CLUSTER_DNS_INTERFACE" >/dev/null 2>&1; then
    ip link delete "$CLUSTER_DNS_INTERFACE"
    note_change "removed the interface $CLUSTER_DNS_INTERFACE"
  fi
}

# --- static pods ---------------------------------------------------------------------------------

# render_corefile : serves the cluster domain and reverse zones from the kubernetes plugin (as the
# node, with the kubelet's kubeconfig) and forwards the rest to the upstream servers of the
# pod's resolv.conf, which for dnsPolicy Default is the kubelet's resolvConf.
render_corefile() {
  cat <<EOF
$MANAGED_MARKER: the node-local cluster DNS.
.:53 {
    bind $CLUSTER_DNS_ADDRESS
    errors
    health 127.0.0.1:$COREDNS_HEALTH_PORT
    kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
        kubeconfig $KUBELET_KUBECONFIG
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    forward . /etc/resolv.conf
    cache 30
}
EOF
}

# credential_mounts : the kubelet's kubeconfig, its certificate directory and the cluster CA, as
# YAML volumeMounts (read-only, same paths) and volumes; each must exist, or the pod does not start.
credential_mounts() {
  cat <<EOF
    - {name: kubeconfig, mountPath: $KUBELET_KUBECONFIG, readOnly: true}
    - {name: kubelet-pki, mountPath: $KUBELET_PKI, readOnly: true}
    - {name: cluster-ca, mountPath: $CLUSTER_CA, readOnly: true}
EOF
}

credential_volumes() {
  cat <<EOF
  - {name: kubeconfig, hostPath: {path: $KUBELET_KUBECONFIG, type: File}}
  - {name: kubelet-pki, hostPath: {path: $KUBELET_PKI, type: Directory}}
  - {name: cluster-ca, hostPath: {path: $CLUSTER_CA, type: File}}
EOF
}

# pod_header NAME NODE INPUTS : what both static pods share up to their containers. INPUTS, an
# annotation, changes whenever the image or a mounted file does, so that the kubelet recreates the pod.
pod_header() {
  cat <<EOF
$MANAGED_MARKER: $1 of node $2.
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: kube-system
  labels:
    k8s-app: $1
    app.kubernetes.io/managed-by: edgeplane
  annotations:
    edgeplane.io/inputs: "$3"
spec:
  hostNetwork: true
  dnsPolicy: Default
  priorityClassName: system-node-critical
  tolerations:
  - operator: Exists
EOF
}

# kube_proxy_host_dirs : the host's directories holding the iptables userland and its libraries, as
# they exist here. The host's /usr as a whole would hide the image's /usr/local/bin/kube-proxy.
kube_proxy_host_dirs() {
  local dir
  for dir in /usr/bin /usr/sbin /usr/lib /usr/lib64 /usr/libexec /lib /lib64 /sbin /bin /etc/alternatives /lib/modules; do
    [[ ! -d "$dir" ]] || echo "$dir"
  done
}

# render_kube_proxy_pod NODE IMAGE CLUSTER_CIDR INPUTS HOST_DIR... : iptables mode as node NODE,
# leaving the kernel's conntrack settings alone (devices may share the host's kernel), health and
# metrics on 127.0.0.1 only. HOST_DIRs are mounted read-only at their own paths.
render_kube_proxy_pod() {
  local node="$1" image="$2" cidr="$3" inputs_hash="$4" dir i
  shift 4
  pod_header kube-proxy "$node" "$inputs_hash"
  cat <<EOF
  containers:
  - name: kube-proxy
    image: $image
    imagePullPolicy: Never
    command:
    - /usr/local/bin/kube-proxy
    - --proxy-mode=iptables
    - --hostname-override=$node
    - --cluster-cidr=$cidr
    - --kubeconfig=$KUBELET_KUBECONFIG
    - --conntrack-max-per-core=0
    - --conntrack-min=0
    - --conntrack-tcp-timeout-established=0
    - --conntrack-tcp-timeout-close-wait=0
    - --healthz-bind-address=127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
    - --metrics-bind-address=127.0.0.1:$KUBE_PROXY_METRICS_PORT
    env:
    - {name: PATH, value: "$SERVICES_PATH"}
    securityContext:
      privileged: true
    resources:
      requests: {cpu: 10m, memory: 32Mi}
    volumeMounts:
EOF
  credential_mounts
  echo "    - {name: xtables-lock, mountPath: /run/xtables.lock}"
  i=0
  for dir in "$@"; do
    echo "    - {name: host-$i, mountPath: $dir, readOnly: true}"
    i=$((i + 1))
  done
  echo "  volumes:"
  credential_volumes
  echo "  - {name: xtables-lock, hostPath: {path: /run/xtables.lock, type: FileOrCreate}}"
  i=0
  for dir in "$@"; do
    echo "  - {name: host-$i, hostPath: {path: $dir, type: Directory}}"
    i=$((i + 1))
  done
}

# render_coredns_pod NODE IMAGE INPUTS : the Corefile from $COREDNS_ETC. It runs with no capability
# but NET_BIND_SERVICE, as uid 0 only because the kubelet's client key it reads is root's and 0600.
render_coredns_pod() {
  pod_header coredns "$1" "$3"
  cat <<EOF
  containers:
  - name: coredns
    image: $2
    imagePullPolicy: Never
    command: [/usr/local/bin/coredns, -conf, /etc/coredns/Corefile]
    securityContext:
      runAsUser: 0
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
        add: [NET_BIND_SERVICE]
    livenessProbe:
      httpGet: {host: 127.0.0.1, port: $COREDNS_HEALTH_PORT, path: /health}
      initialDelaySeconds: 10
      periodSeconds: 10
      failureThreshold: 5
    resources:
      requests: {cpu: 10m, memory: 32Mi}
      limits: {memory: 170Mi}
    volumeMounts:
    - {name: corefile, mountPath: /etc/coredns, readOnly: true}
EOF
  credential_mounts
  echo "  volumes:"
  echo "  - {name: corefile, hostPath: {path: $COREDNS_ETC, type: Directory}}"
  credential_volumes
}

# pod_inputs DIGEST PATH... : one SHA-256 over the image digest and the mounted paths' identities
# (inode) and contents: a file replaced by a rename is a new inode, which a running container's
# bind mount would not see.
pod_inputs() {
  local digest="$1"
  shift
  { echo "$digest"; stat -L -c '%n %i' "$@" 2>/dev/null || true; fingerprint "$@"; } | sha256sum | cut -d' ' -f1
}

# --- the step ------------------------------------------------------------------------------------

# install_cluster_services NODE KUBERNETES_VERSION COREDNS_VERSION CLUSTER_CIDR ARCH SCRATCH : the
# downloaded binaries (if any), the DNS address, the two images, the Corefile and the two static
# pods. Each is rewritten, imported or recreated only when it differs.
install_cluster_services() {
  local node="$1" k8s_version="$2" coredns_version="$3" cidr="$4" arch="$5" scratch="$6" name host_dirs=()
  local proxy_image="$LOCAL_IMAGES/kube-proxy:$2" dns_image="$LOCAL_IMAGES/coredns:$3" proxy_digest dns_digest
  require_cmd ctr ip tar
  [[ -f "$KUBELET_KUBECONFIG" ]] || fatal "the kubelet has no kubeconfig $KUBELET_KUBECONFIG yet; kube-proxy and CoreDNS use it"
  for name in ${SERVICES_DOWNLOADED[@]+"${SERVICES_DOWNLOADED[@]}"}; do
    put_binary "$SERVICES_DOWNLOAD_DIR/$name" "$SERVICES_BINARIES/$name"
  done
  ensure_dns_interface
  ensure_local_image kube-proxy "$k8s_version" "$SERVICES_BINARIES/kube-proxy" "$arch" "$scratch/image-kube-proxy"
  proxy_digest="$LOCAL_IMAGE_DIGEST"
  ensure_local_image coredns "$coredns_version" "$SERVICES_BINARIES/coredns" "$arch" "$scratch/image-coredns"
  dns_digest="$LOCAL_IMAGE_DIGEST"
  render_corefile | put_file "$COREDNS_ETC/Corefile" 0644
  mapfile -t host_dirs < <(kube_proxy_host_dirs)
  render_kube_proxy_pod "$node" "$proxy_image" "$cidr" \
    "$(pod_inputs "$proxy_digest" "$KUBELET_KUBECONFIG" "$KUBELET_PKI" "$CLUSTER_CA")" "${host_dirs[@]}" |
    put_file "$KUBE_PROXY_POD" 0644
  render_coredns_pod "$node" "$dns_image" \
    "$(pod_inputs "$dns_digest" "$COREDNS_ETC" "$COREDNS_ETC/Corefile" "$KUBELET_KUBECONFIG" "$KUBELET_PKI" "$CLUSTER_CA")" |
    put_file "$COREDNS_POD" 0644
  # Older versions' images: the pods no longer use them once the kubelet has read the new files.
  remove_local_images "$proxy_image" "$dns_image"
  info "static pod kube-proxy-$node (kube-system): $proxy_image, iptables mode, cluster CIDR $cidr"
  info "static pod coredns-$node (kube-system): $dns_image, answers on $CLUSTER_DNS_ADDRESS:53 for $CLUSTER_DOMAIN"
}

# service_pod_tasks NODE : ids of the running containers of the node's kube-proxy and coredns pods.
service_pod_tasks() {
  local ids
  ids="$(ctr_k8s containers list -q \
    "labels.\"io.kubernetes.pod.name\"==kube-proxy-$1,labels.\"io.kubernetes.pod.namespace\"==kube-system" \
    "labels.\"io.kubernetes.pod.name\"==coredns-$1,labels.\"io.kubernetes.pod.namespace\"==kube-system" 2>/dev/null || true)"
  [[ -n "$ids" ]] || return 0
  ctr_k8s tasks list 2>/dev/null | awk 'NR > 1 && $3 == "RUNNING" { print $1 }' | grep -xF -- "$ids" || true
}

# wait_for_service_pods_gone NODE SECONDS : until the kubelet has stopped both pods' containers.
wait_for_service_pods_gone() {
  local deadline=$((SECONDS + $2)) running
  while running="$(service_pod_tasks "$1")" && [[ -n "$running" ]]; do
    if ((SECONDS >= deadline)); then
      warn "the containers of kube-proxy-$1 and coredns-$1 still run after $2 s: $(echo "$running" | paste -sd' ')"
      return 0
    fi
    sleep 0.5
  done
}

# containerd_answers SECONDS : containerd answers within SECONDS (it may be restarting).
containerd_answers() {
  local deadline=$((SECONDS + $1))
  command -v ctr >/dev/null 2>&1 || return 1
  until ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# clean_kube_proxy_rules : kube-proxy --cleanup from the kept binary removes its iptables chains.
clean_kube_proxy_rules() {
  local output
  [[ -x "$SERVICES_BINARIES/kube-proxy" ]] || return 0
  if output="$(timeout 60 "$SERVICES_BINARIES/kube-proxy" --cleanup 2>&1)"; then
    note_change "removed kube-proxy's iptables rules (kube-proxy --cleanup)"
  else
    warn "kube-proxy --cleanup failed; its iptables chains (KUBE-*) may remain: $(tail -n 3 <<<"$output" | paste -sd' ')"
  fi
}

# remove_cluster_services NODE : the two static pods (waiting for their containers to go while the
# kubelet runs), kube-proxy's iptables rules, the Corefile, the DNS address, the images and the
# kept binaries. Finds nothing to do on a device that has none.
remove_cluster_services() {
  local node="$1" ctr_ok=false
  remove_path "$KUBE_PROXY_POD" "$COREDNS_POD"
  containerd_answers 30 && ctr_ok=true
  if $ctr_ok && service_running kubelet; then
    wait_for_service_pods_gone "$node" 60
  fi
  clean_kube_proxy_rules
  remove_path "$COREDNS_ETC" "$SERVICES_BINARIES"
  remove_dns_interface
  if $ctr_ok; then
    remove_local_images
  fi
}
