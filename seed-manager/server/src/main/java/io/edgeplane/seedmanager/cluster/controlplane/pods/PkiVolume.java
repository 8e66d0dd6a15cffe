package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A component's view of {@link PodLayout#PKI_DIR}: exactly the PKI files and kubeconfigs its command
 * line names, projected from the two Secrets back into the kubeadm layout. Deriving the list from the
 * flags keeps mounts and flags in step, and no pod sees a key it does not use (only the
 * controller-manager gets the CA key, no pod gets the etcd or front-proxy CA keys).
 */
final class PkiVolume {
    static final String NAME = "pki";
    /** Owner and group read; the pod's fsGroup makes the files readable to the non-root user. */
    private static final int READ_ONLY_MODE = 0440;

    private PkiVolume() {
    }

    static Volume volume(List<String> flags) {
        List<KeyToPath> pki = new ArrayList<>();
        List<KeyToPath> kubeconfigs = new ArrayList<>();
        for (String file : referencedFiles(flags)) {
            KeyToPath item = new KeyToPath(PkiSecretBuilder.secretKey(file), null, file);
            (CertificatePaths.KUBECONFIG_FILES.contains(file) ? kubeconfigs : pki).add(item);
        }
        List<VolumeProjection> sources = new ArrayList<>();
        if (!pki.isEmpty()) {
            sources.add(new VolumeProjectionBuilder().withNewSecret()
                    .withName(PkiSecretBuilder.NAME).withItems(pki).endSecret().build());
        }
        if (!kubeconfigs.isEmpty()) {
            sources.add(new VolumeProjectionBuilder().withNewSecret()
                    .withName(KubeconfigSecretBuilder.NAME).withItems(kubeconfigs).endSecret().build());
        }
        return new VolumeBuilder()
                .withName(NAME)
                .withNewProjected().withDefaultMode(READ_ONLY_MODE).withSources(sources).endProjected()
                .build();
    }

    static VolumeMount mount() {
        return new VolumeMountBuilder().withName(NAME).withMountPath(PodLayout.PKI_DIR).withReadOnly(true).build();
    }

    /** Files under the PKI directory named by {@code --flag=<path>}, sorted for a stable pod template. */
    static List<String> referencedFiles(List<String> flags) {
        TreeSet<String> files = new TreeSet<>();
        for (String flag : flags) {
            int equals = flag.indexOf('=');
            if (equals > 0) {
                PodLayout.PKI.relativize(flag.substring(equals + 1)).ifPresent(files::add);
            }
        }
        return List.copyOf(files);
    }
}
