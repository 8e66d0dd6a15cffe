package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * Security settings shared by every control-plane pod; they meet the Pod Security "restricted"
 * level the namespace enforces. None of the components needs root: all ports are above 1024, and
 * the only writable paths are volumes.
 */
final class PodHardening {
    /** nobody/nogroup; fsGroup makes volumes and Secret files readable (and the etcd volume writable) for it. */
    private static final long NOBODY = 65534L;

    /**
     * Edgeplane's component images hold the binary at {@code /}, upstream images in
     * {@code /usr/local/bin}; the command is looked up on this PATH, so both kinds run.
     */
    static final EnvVar PATH = new EnvVarBuilder().withName("PATH").withValue("/usr/local/bin:/usr/bin:/bin:/").build();

    private PodHardening() {
    }

    static PodSecurityContext podSecurityContext() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(NOBODY)
                .withRunAsGroup(NOBODY)
                .withFsGroup(NOBODY)
                .withFsGroupChangePolicy("OnRootMismatch")
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities()
                .build();
    }
}
