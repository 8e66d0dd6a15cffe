package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelCredentials;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every seed-cluster object of one hosted control plane, in the order they must be applied. */
public final class ControlPlaneObjects {
    private ControlPlaneObjects() {
    }

    /**
     * Namespace, Secrets and configuration first (pods mount them), then etcd, the apiserver that
     * needs it, and the components that need the apiserver.
     *
     * @param pkiFiles    PKI file path relative to the PKI directory to PEM content
     * @param kubeconfigs kubeconfig file name ({@code controller-manager.conf}, {@code scheduler.conf}) to YAML
     * @param tunnel      the tunnel server's credentials
     * @param encryptionKeys the apiserver's keys for Secrets in etcd
     * @param requests    the operator's requests over the builders' defaults
     */
    public static List<HasMetadata> all(ControlPlaneSpec spec, Map<String, String> pkiFiles, Map<String, String> kubeconfigs,
                                        TunnelCredentials tunnel, EncryptionKeys encryptionKeys, ComponentRequests requests) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(NamespaceBuilder.build(spec));
        objects.add(PkiSecretBuilder.build(spec, pkiFiles));
        objects.add(KubeconfigSecretBuilder.build(spec, kubeconfigs));
        objects.add(TunnelSecretBuilder.build(spec, tunnel));
        objects.add(EncryptionConfigSecretBuilder.build(spec, encryptionKeys));
        objects.add(EgressSelectorConfigMapBuilder.build(spec));
        if (spec.auditLogging()) {
            objects.add(AuditPolicyConfigMapBuilder.build(spec));
        }
        objects.addAll(EtcdServiceBuilder.build(spec));
        objects.add(EtcdStatefulSetBuilder.build(spec));
        objects.add(ApiServerServiceBuilder.build(spec));
        objects.add(ApiServerDeploymentBuilder.build(spec, tunnel.serial(),
                encryptionKeys.keys().stream().map(EncryptionKeys.Key::name).toList()));
        objects.add(ControllerManagerDeploymentBuilder.build(spec));
        objects.add(SchedulerDeploymentBuilder.build(spec));
        return objects.stream().map(requests::applyTo).toList();
    }
}
