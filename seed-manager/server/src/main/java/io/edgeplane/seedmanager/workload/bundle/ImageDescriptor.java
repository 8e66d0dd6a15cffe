package io.edgeplane.seedmanager.workload.bundle;

/** An OCI content descriptor: what a blob is, its {@code sha256:<hex>} digest and its size in bytes. */
public record ImageDescriptor(String mediaType, String digest, long size) {

    /** The hex part of the digest, which names the blob in an image layout. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
