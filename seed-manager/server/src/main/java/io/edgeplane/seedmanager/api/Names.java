package io.edgeplane.seedmanager.api;

/** The shape of every Edgeplane object name, for Bean Validation's {@code @Pattern} and the OpenAPI document. */
public final class Names {
    /** A Kubernetes DNS-1123 label. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    public static final int DNS_LABEL_MAX = 63;
    public static final String DNS_LABEL_MESSAGE = "must be a DNS-1123 label: lowercase letters, digits and '-', "
            + "starting and ending with a letter or digit, at most 63 characters";

    private Names() {
    }
}
