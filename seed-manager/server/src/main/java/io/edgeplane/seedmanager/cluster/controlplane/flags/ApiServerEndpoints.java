package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.util.List;
import java.util.Objects;

/**
 * Runtime-specific inputs of the kube-apiserver command line.
 *
 * @param bindAddress      address the secure port listens on; independent of the external address,
 *                         which may be a NAT or load-balancer address the host does not own
 * @param securePort       HTTPS port
 * @param advertiseAddress IP published as the tenant's {@code kubernetes} Service endpoint, or null
 *                         when the apiserver cannot know the address devices use (behind a NodePort
 *                         or load balancer): then it publishes none and Edgeplane maintains that endpoint
 * @param etcdServers      client URLs of every etcd member
 * @param auditLogPath     audit log file; required when audit logging is on
 * @param auditPolicyFile  file holding {@link AuditPolicy#yaml()}; required when audit logging is on
 * @param egressSelectorConfigFile file holding {@link EgressSelector#yaml}, when traffic to the
 *                         cluster's nodes goes through the tunnel to the devices; null when it does not
 * @param encryptionConfigFile file holding {@link EncryptionConfiguration#yaml}: Secrets are always encrypted in etcd
 */
public record ApiServerEndpoints(String bindAddress,
                                 int securePort,
                                 String advertiseAddress,
                                 List<String> etcdServers,
                                 String auditLogPath,
                                 String auditPolicyFile,
                                 String egressSelectorConfigFile,
                                 String encryptionConfigFile) {

    public ApiServerEndpoints {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(encryptionConfigFile, "encryptionConfigFile");
        etcdServers = List.copyOf(etcdServers);
        if (etcdServers.isEmpty()) {
            throw new IllegalArgumentException("kube-apiserver needs at least one etcd server");
        }
        if (securePort < 1 || securePort > 65535) {
            throw new IllegalArgumentException("securePort out of range: " + securePort);
        }
    }
}
