package io.edgeplane.seedmanager.cluster.encryption;

/**
 * Where a rotation of a cluster's Secrets encryption key stands; the names are the API's values.
 * The order is the Kubernetes procedure's: a new key is read before it is written, every Secret is
 * rewritten with it, and only then is the old key dropped.
 */
public enum EncryptionKeyRotationPhase {
    /** Recorded by the API; the reconciler has not added the new key yet. */
    Requested,
    /** The new key is in the configuration as a reading key; waiting until every apiserver loaded it. */
    AddingKey,
    /** The new key writes; waiting until every apiserver loaded that. */
    SwitchingWriter,
    /** Every Secret of the cluster is read and written back unchanged, so it is encrypted with the new key. */
    RewritingSecrets,
    /** The old key is gone from the configuration; waiting until every apiserver loaded that. */
    RemovingOldKey,
    Done;

    public boolean underWay() {
        return this != Done;
    }
}
