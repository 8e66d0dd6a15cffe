package io.edgeplane.seedmanager.workload.bundle;

/** An image could not be fetched or did not verify; the message names the image and the reason. */
public class RegistryException extends RuntimeException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
