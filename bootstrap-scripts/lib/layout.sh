#!/usr/bin/env bash
# Where a provisioned device keeps what Edgeplane installs: one list, shared by provision.sh and
# deprovision.sh so that deprovisioning removes exactly what provisioning wrote. kubeadm's paths
# for the kubelet, the distribution's for containerd.

# One block, so that the directive covers every constant also once inlined into a rendered script.
# shellcheck disable=SC2034 # constants used by the scripts that source this file
{
  # First line of every file Edgeplane writes, so that it recognises (and may remove) its own.
  MANAGED_MARKER="# Managed by Edgeplane provisioning"

  EDGEPLANE_ETC=/etc/edgeplane
  EDGEPLANE_STATE=/var/lib/edgeplane
  NODE_NAME_FILE=$EDGEPLANE_ETC/node-name
  SERVICE_FINGERPRINTS=$EDGEPLANE_STATE/services
  SYSTEMD_UNITS=/etc/systemd/system
  RUN_LOCK=/run/lock/edgeplane-provision
  # Service specs, the service starter and its state: see service-starter.sh (SVC_*).

  KUBELET_BIN=/usr/local/bin/kubelet
  KUBERNETES_ETC=/etc/kubernetes
  CLUSTER_CA=$KUBERNETES_ETC/pki/ca.crt
  BOOTSTRAP_KUBECONFIG=$KUBERNETES_ETC/bootstrap-kubelet.conf
  KUBELET_KUBECONFIG=$KUBERNETES_ETC/kubelet.conf
  STATIC_PODS=$KUBERNETES_ETC/manifests
  # Workloads' static pods: the device agent's are $STATIC_PODS/$STATIC_POD_PREFIX<W>.<spec hash>.yaml; an
  # offline bundle imported without the agent (import-bundle.sh) is $STATIC_PODS/$STATIC_POD_PREFIX<W>.yaml.
  # Either's configuration is $WORKLOAD_CONFIGS/W/<spec hash>/app.yaml (the pod's hostPath).
  STATIC_POD_PREFIX=edgeplane-workload-
  WORKLOAD_CONFIGS=$EDGEPLANE_STATE/workloads
  IMPORT_PROGRAM=/usr/local/bin/edgeplane-import-bundle
  IMPORT_LOCK=/run/lock/edgeplane-import-bundle
  KUBELET_ROOT=/var/lib/kubelet
  KUBELET_CONFIG=$KUBELET_ROOT/config.yaml
  KUBELET_PKI=$KUBELET_ROOT/pki
  KUBELET_CLIENT_CERT=$KUBELET_PKI/kubelet-client-current.pem

  # The device agent (service edgeplane-device): it owns the workloads' static pods and their
  # desired state; the paths are its flags' defaults, so its command line needs none of them.
  AGENT_SERVICE=edgeplane-device
  AGENT_BIN=/usr/local/bin/edgeplane-device
  AGENT_STATE=$EDGEPLANE_STATE/device-agent
  AGENT_SOCKET=/run/edgeplane/device-agent.sock

  # The tunnel agent (konnectivity-agent, service edgeplane-tunnel): it dials out to the cluster's
  # tunnel server, through which the apiserver reaches this kubelet (logs, exec, port-forward).
  # It proves who it is with a token that only the device agent writes ($TUNNEL_TOKEN, 0600);
  # its health and admin servers listen on 127.0.0.1 only.
  TUNNEL_SERVICE=edgeplane-tunnel
  TUNNEL_BIN=/usr/local/bin/konnectivity-agent
  TUNNEL_STATE=$EDGEPLANE_STATE/tunnel
  TUNNEL_TOKEN=$TUNNEL_STATE/token
  TUNNEL_HEALTH_PORT=8093
  TUNNEL_ADMIN_PORT=8094
  # Where the node name resolves to this device when nothing else makes it (see lib/tunnel.sh).
  HOSTS_FILE=/etc/hosts

  # Cluster services (lib/cluster-services.sh): kube-proxy and a node-local CoreDNS as static pods
  # of the kubelet, from images built here out of the pinned binaries (kept in $SERVICES_BINARIES,
  # so that a second run downloads nothing and deprovisioning can run kube-proxy --cleanup).
  # CoreDNS answers on $CLUSTER_DNS_ADDRESS, link-local on a dummy interface as NodeLocal DNSCache does.
  KUBE_PROXY_POD=$STATIC_PODS/edgeplane-kube-proxy.yaml
  COREDNS_POD=$STATIC_PODS/edgeplane-coredns.yaml
  SERVICES_BINARIES=$EDGEPLANE_STATE/cluster-services
  COREDNS_ETC=$EDGEPLANE_ETC/coredns
  LOCAL_IMAGES=edgeplane.local
  CLUSTER_DNS_INTERFACE=edgeplane-dns
  CLUSTER_DNS_ADDRESS=169.254.20.10
  CLUSTER_DOMAIN=cluster.local
  COREDNS_HEALTH_PORT=8095
  KUBE_PROXY_HEALTHZ_PORT=10256
  KUBE_PROXY_METRICS_PORT=10249

  CONTAINERD_CONFIG=/etc/containerd/config.toml
  CONTAINERD_CERTS_D=/etc/containerd/certs.d
  CONTAINERD_ENV=$EDGEPLANE_ETC/containerd.env
  CONTAINERD_SOCKET=/run/containerd/containerd.sock
  CNI_CONFIG=/etc/cni/net.d/10-edgeplane.conflist
  CNI_BRIDGE=cni0
  # The device agent's link to other devices' pods (a TUN device), while the cluster has a pod network.
  POD_NETWORK_LINK=edgeplane0
  CNI_STATE=/var/lib/cni/networks/edgeplane
  CNI_NETNS=/run/netns
  MODULES_FILE=/etc/modules-load.d/edgeplane.conf
  SYSCTL_FILE=/etc/sysctl.d/99-edgeplane.conf
}
