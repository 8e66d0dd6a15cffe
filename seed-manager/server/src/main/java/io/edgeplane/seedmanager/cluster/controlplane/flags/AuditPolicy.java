package io.edgeplane.seedmanager.cluster.controlplane.flags;

/**
 * The apiserver audit policy of clusters with audit logging on: who did what to which object, at
 * Metadata level for every request, so Secret values and tokens never land in the log. Health
 * probes and lease renewals are left out: they arrive every few seconds and say nothing.
 */
public final class AuditPolicy {
    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages:
              - RequestReceived
            rules:
              - level: None
                nonResourceURLs:
                  - /healthz*
                  - /livez*
                  - /readyz*
                  - /version
              - level: None
                verbs: ["get", "update"]
                resources:
                  - group: coordination.k8s.io
                    resources: ["leases"]
              - level: Metadata
            """;

    private AuditPolicy() {
    }

    public static String yaml() {
        return POLICY;
    }
}
