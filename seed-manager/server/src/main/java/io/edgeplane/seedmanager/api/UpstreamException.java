package io.edgeplane.seedmanager.api;

import java.util.List;

/** Something outside the seed manager that a documented live call depends on (a registry, a tenant apiserver) failed. */
public final class UpstreamException extends DomainException {
    public UpstreamException(String detail) {
        super(detail, List.of());
    }
}
