package io.edgeplane.seedmanager.cluster.encryption;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.core.annotation.Nullable;

/**
 * Writes a tenant cluster's Secrets back unchanged, one page at a time, so the apiserver stores each
 * with its current encryption key. Resumable at a page's continue token; rewriting a Secret twice is harmless.
 */
final class SecretRewriter {
    static final long PAGE = 100;
    private static final int CONFLICT = 409;
    private static final int NOT_FOUND = 404;
    private static final int GONE = 410;

    /**
     * @param rewritten Secrets written back in this page
     * @param next      where the next page starts; null when this was the last
     * @param restarted the continue token had expired, so the list starts over (nothing was rewritten)
     */
    record Page(long rewritten, @Nullable String next, boolean restarted) {
    }

    private SecretRewriter() {
    }

    static Page rewrite(KubernetesClient tenant, @Nullable String from) {
        SecretList list;
        try {
            list = tenant.secrets().inAnyNamespace().list(new ListOptionsBuilder().withLimit(PAGE).withContinue(from).build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == GONE && from != null) {
                // The continue token outlived etcd's compaction: start over (Secrets rewritten already are rewritten again).
                return new Page(0, null, true);
            }
            throw e;
        }
        long rewritten = 0;
        for (Secret secret : list.getItems()) {
            try {
                // Unchanged, with its resourceVersion: a Secret written meanwhile was written with the new key anyway.
                tenant.secrets().inNamespace(secret.getMetadata().getNamespace()).resource(secret).update();
                rewritten++;
            } catch (KubernetesClientException e) {
                if (e.getCode() != CONFLICT && e.getCode() != NOT_FOUND) {
                    throw e;
                }
            }
        }
        String next = list.getMetadata().getContinue();
        return new Page(rewritten, next == null || next.isEmpty() ? null : next, false);
    }
}
