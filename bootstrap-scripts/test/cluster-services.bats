#!/usr/bin/env bats
# lib/cluster-services.sh: the binaries, the images built from them, the DNS address, the Corefile
# and the static pods of kube-proxy and CoreDNS, and their removal, with a stubbed curl, ip, ctr
# and kubelet service; tar and sha256sum are real (the images' digests are what devices get).

bats_require_minimum_version 1.5.0

setup() {
  source "$BATS_TEST_DIRNAME/../lib/lib.sh"
  source "$BATS_TEST_DIRNAME/../lib/layout.sh"
  source "$BATS_TEST_DIRNAME/../lib/files.sh"
  source "$BATS_TEST_DIRNAME/../lib/service-starter.sh"
  source "$BATS_TEST_DIRNAME/../lib/services.sh"
  source "$BATS_TEST_DIRNAME/../lib/containerd.sh"
  source "$BATS_TEST_DIRNAME/../lib/pods.sh"
  source "$BATS_TEST_DIRNAME/../lib/cluster-services.sh"
  # What provision.sh writes at its download step: download_pinned refuses to run without it.
  MIRROR_CA_FILE="$BATS_TEST_TMPDIR/mirror-ca.crt"
  echo "-----BEGIN CERTIFICATE-----" >"$MIRROR_CA_FILE"
  STUBS="$BATS_TEST_TMPDIR/stubs"
  mkdir -p "$STUBS"
  PATH="$STUBS:$PATH"
  ROOT="$BATS_TEST_TMPDIR/root"
  export CALLS="$BATS_TEST_TMPDIR/calls" STATE="$BATS_TEST_TMPDIR/state"
  mkdir -p "$STATE"
  : >"$CALLS"
  STATIC_PODS="$ROOT/etc/kubernetes/manifests"
  KUBE_PROXY_POD="$STATIC_PODS/edgeplane-kube-proxy.yaml"
  COREDNS_POD="$STATIC_PODS/edgeplane-coredns.yaml"
  SERVICES_BINARIES="$ROOT/var/lib/edgeplane/cluster-services"
  COREDNS_ETC="$ROOT/etc/edgeplane/coredns"
  KUBELET_KUBECONFIG="$ROOT/etc/kubernetes/kubelet.conf"
  KUBELET_PKI="$ROOT/var/lib/kubelet/pki"
  CLUSTER_CA="$ROOT/etc/kubernetes/pki/ca.crt"
  SVC_PROGRAM="$STUBS/edgeplane-service"
  SERVICE_MANAGER=supervisor
  mkdir -p "$KUBELET_PKI" "$(dirname "$CLUSTER_CA")"
  echo "server: https://10.0.0.1:6443" >"$KUBELET_KUBECONFIG"
  echo "-----BEGIN CERTIFICATE-----" >"$CLUSTER_CA"
  # The mirror: curl writes "<name> build <n>" for .../<name>, n from BUILD (default 1).
  stub curl '
out="" url=""
while (($#)); do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
echo "curl $url" >>"$CALLS"
printf "%s build %s\n" "${url##*/}" "${BUILD:-1}" >"$out"'
  # containerd's k8s.io namespace: images in $STATE/images ("ref digest" lines); import reads the
  # name and manifest digest from the tar's index.json, as containerd does.
  : >"$STATE/images"
  stub ctr '
[ "$1" = --address ] && shift 2
[ "$1" = --namespace ] && shift 2
echo "ctr $*" >>"$CALLS"
images="$STATE/images"
case "$1 ${2:-}" in
  "version ") [ ! -e "$STATE/containerd-down" ] ;;
  "images ls")
    if [ "$3" = -q ]; then awk "{ print \$1 }" "$images"; exit 0; fi
    echo "REF TYPE DIGEST SIZE PLATFORMS LABELS"
    awk -v ref="${3#name==}" "\$1 == ref { print \$1, \"application/vnd.oci.image.manifest.v1+json\", \$2, \"1 MiB linux/amd64 -\" }" "$images" ;;
  "images import")
    [ ! -e "$STATE/import-fails" ] || exit 1
    index="$(tar -xOf "$3" index.json)"
    ref="$(grep -o "\"io.containerd.image.name\":\"[^\"]*\"" <<<"$index" | cut -d\" -f4)"
    digest="$(grep -o "\"digest\":\"sha256:[0-9a-f]*\"" <<<"$index" | head -n1 | cut -d\" -f4)"
    grep -v "^$ref " "$images" >"$images.new" || true
    echo "$ref $digest" >>"$images.new"
    mv "$images.new" "$images" ;;
  "images rm") grep -v "^$3 " "$images" >"$images.new" || true; mv "$images.new" "$images" ;;
  "containers list") cat "$STATE/containers" 2>/dev/null || true ;;
  "tasks list") echo "TASK PID STATUS"; cat "$STATE/tasks" 2>/dev/null || true ;;
esac'
  # A dummy interface that exists once added, has the addresses replaced on it, is up once set up.
  stub ip '
echo "ip $*" >>"$CALLS"
case "$*" in
  "link show edgeplane-dns") [ -e "$STATE/link" ] ;;
  "link add edgeplane-dns type dummy") touch "$STATE/link" ;;
  "-o -4 addr show dev edgeplane-dns") [ ! -e "$STATE/addr" ] || echo "9: edgeplane-dns    inet $(cat "$STATE/addr") scope global edgeplane-dns" ;;
  "addr replace "*) echo "$3" >"$STATE/addr" ;;
  "link set edgeplane-dns up") touch "$STATE/up" ;;
  "-o link show edgeplane-dns") if [ -e "$STATE/up" ]; then echo "9: edgeplane-dns: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500"; else echo "9: edgeplane-dns: <BROADCAST,NOARP> mtu 1500"; fi ;;
  "link delete edgeplane-dns") rm -f "$STATE/link" "$STATE/addr" "$STATE/up" ;;
esac'
  # The kubelet runs unless a test says otherwise.
  stub edgeplane-service '[ "$1" = status ] && [ ! -e "$STATE/kubelet-stopped" ] && echo 7'
}

stub() {
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}

sha_of_build() {
  printf '%s build %s\n' "$1" "$2" | sha256sum | cut -d' ' -f1
}

binary() {
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" >"$1"
  chmod 0755 "$1"
}

install_services() {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  download_cluster_services https://mirror.test/kube-proxy "$(sha_of_build kube-proxy 1)" \
    https://mirror.test/coredns "$(sha_of_build coredns 1)" "$BATS_TEST_TMPDIR/downloads"
  install_cluster_services edge-1 v1.36.3 v1.14.7 10.244.0.0/16 amd64 "$BATS_TEST_TMPDIR/scratch"
}

yaml() {
  command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
  python3 -c "import yaml,sys; p=yaml.safe_load(open(sys.argv[1])); $2" "$1"
}

@test "download_cluster_services fetches both binaries, SHA-256 verified, changing nothing" {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  download_cluster_services https://mirror.test/kube-proxy "$(sha_of_build kube-proxy 1)" \
    https://mirror.test/coredns "$(sha_of_build coredns 1)" "$BATS_TEST_TMPDIR/downloads" 2>"$BATS_TEST_TMPDIR/log"
  [ "${SERVICES_DOWNLOADED[*]}" = "kube-proxy coredns" ]
  grep -q "kube-proxy build 1" "$BATS_TEST_TMPDIR/downloads/kube-proxy"
  grep -q "coredns build 1" "$BATS_TEST_TMPDIR/downloads/coredns"
  grep -q "coredns downloaded, SHA-256 verified" "$BATS_TEST_TMPDIR/log"
  [ ! -e "$SERVICES_BINARIES" ]
  [ "$EDGEPLANE_CHANGES" -eq 0 ]
}

@test "download_cluster_services skips a binary kept with its pinned SHA-256" {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  binary "$SERVICES_BINARIES/kube-proxy" "kube-proxy build 1"
  binary "$SERVICES_BINARIES/coredns" "coredns build 0"
  download_cluster_services https://mirror.test/kube-proxy "$(sha_of_build kube-proxy 1)" \
    https://mirror.test/coredns "$(sha_of_build coredns 1)" "$BATS_TEST_TMPDIR/downloads" 2>"$BATS_TEST_TMPDIR/log"
  [ "${SERVICES_DOWNLOADED[*]}" = "coredns" ]
  [ "$(cat "$CALLS")" = "curl https://mirror.test/coredns" ]
  grep -q "kube-proxy is kept in $SERVICES_BINARIES (SHA-256 matches)" "$BATS_TEST_TMPDIR/log"
}

@test "a binary whose SHA-256 differs from the pinned one is refused by URL" {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  run download_cluster_services https://mirror.test/kube-proxy "$(sha_of_build kube-proxy 1)" \
    https://mirror.test/coredns "$(sha_of_build coredns 2)" "$BATS_TEST_TMPDIR/downloads"
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch for https://mirror.test/coredns"*"refusing to install it"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/downloads/coredns" ]
}

@test "build_local_image writes a deterministic OCI layout with the binary as /usr/local/bin/NAME" {
  binary "$BATS_TEST_TMPDIR/bin/coredns" "coredns build 1"
  build_local_image coredns v1.14.7 "$BATS_TEST_TMPDIR/bin/coredns" arm64 "$BATS_TEST_TMPDIR/a"
  first="$LOCAL_IMAGE_DIGEST"
  [[ "$first" =~ ^sha256:[0-9a-f]{64}$ ]]
  # Another time, umask, and file time: the same bytes.
  touch -d '2001-01-01' "$BATS_TEST_TMPDIR/bin/coredns"
  (umask 077 && build_local_image coredns v1.14.7 "$BATS_TEST_TMPDIR/bin/coredns" arm64 "$BATS_TEST_TMPDIR/b")
  cmp "$BATS_TEST_TMPDIR/a/image.tar" "$BATS_TEST_TMPDIR/b/image.tar"
  [ "$(ls "$BATS_TEST_TMPDIR/a")" = image.tar ]
  x="$BATS_TEST_TMPDIR/x"
  mkdir -p "$x"
  tar -xf "$BATS_TEST_TMPDIR/a/image.tar" -C "$x"
  [ "$(cat "$x/oci-layout")" = '{"imageLayoutVersion":"1.0.0"}' ]
  manifest="$x/blobs/sha256/${first#sha256:}"
  [ "$(sha256sum "$manifest" | cut -d' ' -f1)" = "${first#sha256:}" ]
  grep -q '"annotations":{"io.containerd.image.name":"edgeplane.local/coredns:v1.14.7","org.opencontainers.image.ref.name":"v1.14.7"}' "$x/index.json"
  grep -q '"platform":{"architecture":"arm64","os":"linux"}' "$x/index.json"
  layer="$(grep -o '"layers":\[{"digest":"sha256:[0-9a-f]*"' "$manifest" | grep -o '[0-9a-f]\{64\}')"
  config="$(grep -o '"config":{"digest":"sha256:[0-9a-f]*"' "$manifest" | grep -o '[0-9a-f]\{64\}')"
  grep -q "\"diff_ids\":\[\"sha256:$layer\"\]" "$x/blobs/sha256/$config"
  grep -q '"architecture":"arm64"' "$x/blobs/sha256/$config"
  grep -q '"Entrypoint":\["/usr/local/bin/coredns"\]' "$x/blobs/sha256/$config"
  [ "$(tar -tvf "$x/blobs/sha256/$layer" | awk '{ print $1, $2, $4, $5, $6 }')" = "$(printf '%s\n' \
    "drwxr-xr-x 0/0 1970-01-01 00:00 usr/" "drwxr-xr-x 0/0 1970-01-01 00:00 usr/local/" \
    "drwxr-xr-x 0/0 1970-01-01 00:00 usr/local/bin/" "-rwxr-xr-x 0/0 1970-01-01 00:00 usr/local/bin/coredns")" ]
  [ "$(tar -xOf "$x/blobs/sha256/$layer" usr/local/bin/coredns)" = "coredns build 1" ]
  if command -v python3 >/dev/null; then
    for f in "$x/index.json" "$manifest" "$x/blobs/sha256/$config"; do python3 -m json.tool "$f" >/dev/null; done
  fi
  binary "$BATS_TEST_TMPDIR/bin/coredns" "coredns build 2"
  build_local_image coredns v1.14.7 "$BATS_TEST_TMPDIR/bin/coredns" arm64 "$BATS_TEST_TMPDIR/a"
  [ "$LOCAL_IMAGE_DIGEST" != "$first" ]
}

@test "ensure_local_image imports once; a second run neither builds nor imports" {
  binary "$SERVICES_BINARIES/kube-proxy" "kube-proxy build 1"
  ensure_local_image kube-proxy v1.36.3 "$SERVICES_BINARIES/kube-proxy" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  digest="$LOCAL_IMAGE_DIGEST"
  [ "$(cat "$STATE/images")" = "edgeplane.local/kube-proxy:v1.36.3 $digest" ]
  [ "$EDGEPLANE_CHANGES" -eq 1 ]
  [ ! -e "$BATS_TEST_TMPDIR/scratch/image" ]
  : >"$CALLS"
  run ensure_local_image kube-proxy v1.36.3 "$SERVICES_BINARIES/kube-proxy" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  [ "$status" -eq 0 ]
  [[ "$output" == *"image edgeplane.local/kube-proxy:v1.36.3 is present ($digest)"* ]]
  run ! grep -q "images import" "$CALLS"
  [ ! -e "$BATS_TEST_TMPDIR/scratch/image" ]
}

@test "ensure_local_image imports again when containerd holds another image under the name, or lost it" {
  binary "$SERVICES_BINARIES/kube-proxy" "kube-proxy build 1"
  ensure_local_image kube-proxy v1.36.3 "$SERVICES_BINARIES/kube-proxy" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  digest="$LOCAL_IMAGE_DIGEST"
  echo "edgeplane.local/kube-proxy:v1.36.3 sha256:$(printf '0%.0s' {1..64})" >"$STATE/images"
  ensure_local_image kube-proxy v1.36.3 "$SERVICES_BINARIES/kube-proxy" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  [ "$(cat "$STATE/images")" = "edgeplane.local/kube-proxy:v1.36.3 $digest" ]
  : >"$STATE/images"
  ensure_local_image kube-proxy v1.36.3 "$SERVICES_BINARIES/kube-proxy" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  [ "$(cat "$STATE/images")" = "edgeplane.local/kube-proxy:v1.36.3 $digest" ]
  [ "$EDGEPLANE_CHANGES" -eq 3 ]
}

@test "an image containerd refuses fails the step naming it" {
  binary "$SERVICES_BINARIES/coredns" "coredns build 1"
  touch "$STATE/import-fails"
  run ensure_local_image coredns v1.14.7 "$SERVICES_BINARIES/coredns" amd64 "$BATS_TEST_TMPDIR/scratch/image"
  [ "$status" -eq 1 ]
  [[ "$output" == *"containerd could not import image edgeplane.local/coredns:v1.14.7"* ]]
  [ ! -e "$SERVICES_BINARIES/.coredns.image" ]
}

@test "ensure_dns_interface creates, addresses and raises the dummy interface once" {
  ensure_dns_interface
  [ "$EDGEPLANE_CHANGES" -eq 3 ]
  [ "$(cat "$STATE/addr")" = 169.254.20.10/32 ]
  [ -e "$STATE/up" ]
  ensure_dns_interface
  [ "$EDGEPLANE_CHANGES" -eq 3 ]
  rm "$STATE/up"
  ensure_dns_interface
  [ "$EDGEPLANE_CHANGES" -eq 4 ]
}

@test "ensure_dns_interface falls back to a bridge without ports where the kernel has no dummy interfaces" {
  stub ip 'echo "ip $*" >>"$CALLS"
case "$*" in
  "link show edgeplane-dns") [ -e "$STATE/link" ] ;;
  *"type dummy") echo "Error: Unknown device type." >&2; exit 2 ;;
  *"type bridge") touch "$STATE/link" ;;
  "-o link show edgeplane-dns") echo "9: edgeplane-dns: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500" ;;
esac'
  run ensure_dns_interface
  [ "$status" -eq 0 ]
  [[ "$output" == *"created edgeplane-dns as a bridge without ports: this kernel has no dummy interfaces"* ]]
  [[ "$output" != *"Unknown device type"* ]]
  grep -q "ip addr replace 169.254.20.10/32 dev edgeplane-dns" "$CALLS"
}

@test "the Corefile serves the cluster domain as the node and forwards the rest, all on the DNS address" {
  corefile="$(render_corefile)"
  [[ "$corefile" == *"bind 169.254.20.10"* ]]
  [[ "$corefile" == *"health 127.0.0.1:8095"* ]]
  [[ "$corefile" == *$'kubernetes cluster.local in-addr.arpa ip6.arpa {\n        kubeconfig '"$KUBELET_KUBECONFIG"$'\n        pods insecure\n        fallthrough in-addr.arpa ip6.arpa\n        ttl 30\n    }'* ]]
  [[ "$corefile" == *"forward . /etc/resolv.conf"* ]]
  [[ "$corefile" == *"cache 30"* && "$corefile" == *"errors"* ]]
}

@test "the kube-proxy pod: iptables mode as the node, kernel settings left alone, the host's iptables" {
  render_kube_proxy_pod edge-1 edgeplane.local/kube-proxy:v1.36.3 10.244.0.0/16 abc /usr/sbin /lib64 >"$BATS_TEST_TMPDIR/pod.yaml"
  head -n1 "$BATS_TEST_TMPDIR/pod.yaml" | grep -qF "$MANAGED_MARKER"
  yaml "$BATS_TEST_TMPDIR/pod.yaml" '
m, s = p["metadata"], p["spec"]
c = s["containers"][0]
assert (m["name"], m["namespace"], m["annotations"]["edgeplane.io/inputs"]) == ("kube-proxy", "kube-system", "abc")
assert s["hostNetwork"] is True and s["priorityClassName"] == "system-node-critical" and s["tolerations"] == [{"operator": "Exists"}]
assert c["image"] == "edgeplane.local/kube-proxy:v1.36.3" and c["imagePullPolicy"] == "Never"
assert c["securityContext"] == {"privileged": True}
for flag in ["--proxy-mode=iptables", "--hostname-override=edge-1", "--cluster-cidr=10.244.0.0/16",
             "--conntrack-max-per-core=0", "--conntrack-min=0", "--conntrack-tcp-timeout-established=0",
             "--conntrack-tcp-timeout-close-wait=0", "--healthz-bind-address=127.0.0.1:10256", "--metrics-bind-address=127.0.0.1:10249"]:
    assert flag in c["command"], flag
assert c["command"][0] == "/usr/local/bin/kube-proxy"
assert {"name": "PATH", "value": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"} in c["env"]
mounts = {v["mountPath"]: v for v in c["volumeMounts"]}
volumes = {v["name"]: v["hostPath"] for v in s["volumes"]}
for path in ["/usr/sbin", "/lib64", "'"$KUBELET_KUBECONFIG"'", "'"$KUBELET_PKI"'", "'"$CLUSTER_CA"'"]:
    assert mounts[path]["readOnly"] is True and volumes[mounts[path]["name"]]["path"] == path, path
assert "--kubeconfig='"$KUBELET_KUBECONFIG"'" in c["command"]
assert volumes[mounts["/run/xtables.lock"]["name"]] == {"path": "/run/xtables.lock", "type": "FileOrCreate"}
assert volumes[mounts["'"$KUBELET_KUBECONFIG"'"]["name"]]["type"] == "File"
assert "/usr" not in mounts
'
}

@test "the host directories mounted into kube-proxy exist here, and never hide the image's /usr/local" {
  run kube_proxy_host_dirs
  [ "$status" -eq 0 ]
  for dir in "${lines[@]}"; do [ -d "$dir" ]; done
  [[ " ${lines[*]} " == *" /usr/sbin "* && " ${lines[*]} " == *" /usr/lib "* ]]
  [[ " ${lines[*]} " != *" /usr "* && " ${lines[*]} " != *" /usr/local"* ]]
}

@test "the coredns pod: its Corefile, the kubelet's credentials, no capability but binding port 53" {
  render_coredns_pod edge-1 edgeplane.local/coredns:v1.14.7 def >"$BATS_TEST_TMPDIR/pod.yaml"
  yaml "$BATS_TEST_TMPDIR/pod.yaml" '
m, s = p["metadata"], p["spec"]
c = s["containers"][0]
assert (m["name"], m["namespace"]) == ("coredns", "kube-system")
assert s["hostNetwork"] is True and s["dnsPolicy"] == "Default" and s["priorityClassName"] == "system-node-critical"
assert s["tolerations"] == [{"operator": "Exists"}]
assert c["image"] == "edgeplane.local/coredns:v1.14.7" and c["imagePullPolicy"] == "Never"
assert c["command"] == ["/usr/local/bin/coredns", "-conf", "/etc/coredns/Corefile"]
assert c["securityContext"]["capabilities"] == {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}
assert c["securityContext"]["allowPrivilegeEscalation"] is False
assert c["livenessProbe"]["httpGet"] == {"host": "127.0.0.1", "port": 8095, "path": "/health"}
mounts = {v["mountPath"]: v for v in c["volumeMounts"]}
volumes = {v["name"]: v["hostPath"] for v in s["volumes"]}
assert volumes[mounts["/etc/coredns"]["name"]] == {"path": "'"$COREDNS_ETC"'", "type": "Directory"}
assert all(v["readOnly"] for v in mounts.values())
assert "'"$KUBELET_KUBECONFIG"'" in mounts and "'"$KUBELET_PKI"'" in mounts and "'"$CLUSTER_CA"'" in mounts
'
}

@test "pod_inputs changes with the image, a file's content, or a file replaced by a rename" {
  a="$(pod_inputs sha256:1 "$KUBELET_KUBECONFIG" "$KUBELET_PKI")"
  [ "$(pod_inputs sha256:1 "$KUBELET_KUBECONFIG" "$KUBELET_PKI")" = "$a" ]
  [ "$(pod_inputs sha256:2 "$KUBELET_KUBECONFIG" "$KUBELET_PKI")" != "$a" ]
  touch "$KUBELET_PKI/kubelet-client-2026.pem"
  [ "$(pod_inputs sha256:1 "$KUBELET_KUBECONFIG" "$KUBELET_PKI")" = "$a" ]
  cp -p "$KUBELET_KUBECONFIG" "$KUBELET_KUBECONFIG.new"
  mv "$KUBELET_KUBECONFIG.new" "$KUBELET_KUBECONFIG"
  [ "$(pod_inputs sha256:1 "$KUBELET_KUBECONFIG" "$KUBELET_PKI")" != "$a" ]
}

@test "install_cluster_services: binaries, DNS address, images, Corefile, pods; a second run changes nothing" {
  install_services 2>"$BATS_TEST_TMPDIR/log"
  grep -q "kube-proxy build 1" "$SERVICES_BINARIES/kube-proxy"
  [ -x "$SERVICES_BINARIES/coredns" ]
  [ -e "$STATE/link" ] && [ -e "$STATE/up" ]
  [ "$(awk '{ print $1 }' "$STATE/images")" = "$(printf '%s\n' edgeplane.local/kube-proxy:v1.36.3 edgeplane.local/coredns:v1.14.7)" ]
  grep -q "bind 169.254.20.10" "$COREDNS_ETC/Corefile"
  grep -q -- "- --cluster-cidr=10.244.0.0/16" "$KUBE_PROXY_POD"
  grep -q "image: edgeplane.local/coredns:v1.14.7" "$COREDNS_POD"
  grep -q "static pod kube-proxy-edge-1 (kube-system): edgeplane.local/kube-proxy:v1.36.3" "$BATS_TEST_TMPDIR/log"
  grep -q "static pod coredns-edge-1 (kube-system): edgeplane.local/coredns:v1.14.7, answers on 169.254.20.10:53" "$BATS_TEST_TMPDIR/log"
  [ "$(ls -A "$BATS_TEST_TMPDIR/scratch" 2>/dev/null)" = "" ]
  EDGEPLANE_CHANGES=0
  : >"$CALLS"
  install_services 2>"$BATS_TEST_TMPDIR/log2"
  [ "$EDGEPLANE_CHANGES" -eq 0 ]
  ! grep -q "curl\|images import\|ip link add" "$CALLS"
}

@test "a new kubelet kubeconfig or another binary recreates the pods; an older version's image goes" {
  install_services 2>/dev/null
  proxy_pod="$(cat "$KUBE_PROXY_POD")"
  dns_pod="$(cat "$COREDNS_POD")"
  echo "server: https://10.0.0.2:6443" >"$KUBELET_KUBECONFIG"
  install_services 2>/dev/null
  [ "$(cat "$KUBE_PROXY_POD")" != "$proxy_pod" ]
  [ "$(cat "$COREDNS_POD")" != "$dns_pod" ]
  dns_pod="$(cat "$COREDNS_POD")"
  BUILD=2 download_cluster_services https://mirror.test/kube-proxy "$(sha_of_build kube-proxy 1)" \
    https://mirror.test/coredns "$(sha_of_build coredns 2)" "$BATS_TEST_TMPDIR/downloads" 2>/dev/null
  install_cluster_services edge-1 v1.36.4 v1.14.7 10.244.0.0/16 amd64 "$BATS_TEST_TMPDIR/scratch" 2>/dev/null
  [ "$(cat "$COREDNS_POD")" != "$dns_pod" ]
  [ "$(awk '{ print $1 }' "$STATE/images" | sort)" = "$(printf '%s\n' edgeplane.local/coredns:v1.14.7 edgeplane.local/kube-proxy:v1.36.4)" ]
}

@test "install_cluster_services needs the kubelet's kubeconfig" {
  rm "$KUBELET_KUBECONFIG"
  run install_services
  [ "$status" -eq 1 ]
  [[ "$output" == *"the kubelet has no kubeconfig $KUBELET_KUBECONFIG yet"* ]]
}

@test "remove_cluster_services waits for the pods' containers, cleans kube-proxy's rules and leaves nothing" {
  install_services 2>/dev/null
  echo "other image" >>"$STATE/images"
  # kube-proxy --cleanup from the kept binary
  printf '#!/usr/bin/env bash\necho "kube-proxy $*" >>"%s"\n' "$CALLS" >"$SERVICES_BINARIES/kube-proxy"
  # The kubelet stops the pods' containers a moment after their files went.
  printf '%s\n' c-proxy c-dns >"$STATE/containers"
  printf '%s\n' "c-proxy 41 RUNNING" "c-dns 42 RUNNING" "c-other 43 RUNNING" >"$STATE/tasks"
  (sleep 1 && echo "c-other 43 RUNNING" >"$STATE/tasks") &
  EDGEPLANE_CHANGES=0
  : >"$CALLS"
  remove_cluster_services edge-1 2>"$BATS_TEST_TMPDIR/log"
  wait
  grep -q "ctr containers list -q labels.\"io.kubernetes.pod.name\"==kube-proxy-edge-1,labels.\"io.kubernetes.pod.namespace\"==kube-system" "$CALLS"
  [ "$(grep -n "kube-proxy --cleanup" "$CALLS" | cut -d: -f1)" -gt "$(grep -n "tasks list" "$CALLS" | tail -n1 | cut -d: -f1)" ]
  for path in "$KUBE_PROXY_POD" "$COREDNS_POD" "$COREDNS_ETC" "$SERVICES_BINARIES"; do [ ! -e "$path" ]; done
  [ ! -e "$STATE/link" ]
  [ "$(cat "$STATE/images")" = "other image" ]
  grep -q "removed kube-proxy's iptables rules" "$BATS_TEST_TMPDIR/log"
  EDGEPLANE_CHANGES=0
  remove_cluster_services edge-1 2>/dev/null
  [ "$EDGEPLANE_CHANGES" -eq 0 ]
}

@test "remove_cluster_services waits for no pod while the kubelet is stopped, and skips images without containerd" {
  install_services 2>/dev/null
  printf '%s\n' c-proxy >"$STATE/containers"
  echo "c-proxy 41 RUNNING" >"$STATE/tasks"
  touch "$STATE/kubelet-stopped" "$STATE/containerd-down"
  # containerd_answers would wait its 30 s: it gives up at once here.
  containerd_answers() { return 1; }
  EDGEPLANE_CHANGES=0
  remove_cluster_services edge-1 2>/dev/null
  ! grep -q "tasks list\|images rm" "$CALLS"
  [ ! -e "$KUBE_PROXY_POD" ] && [ ! -e "$SERVICES_BINARIES" ]
}

@test "a pod whose containers outlive the wait is reported, and removal goes on" {
  printf '%s\n' c-proxy >"$STATE/containers"
  echo "c-proxy 41 RUNNING" >"$STATE/tasks"
  run wait_for_service_pods_gone edge-1 1
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: the containers of kube-proxy-edge-1 and coredns-edge-1 still run after 1 s: c-proxy"* ]]
}
