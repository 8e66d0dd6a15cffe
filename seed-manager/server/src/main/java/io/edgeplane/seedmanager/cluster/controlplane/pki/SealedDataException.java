package io.edgeplane.seedmanager.cluster.controlplane.pki;

/** Sealed data could not be opened: wrong master key, altered bytes, or bytes of another entry. */
public class SealedDataException extends RuntimeException {
    public SealedDataException(String message) {
        super(message);
    }

    public SealedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
