package io.edgeplane.seedmanager.api;

import java.util.List;

/** The caller is known and may see the object, but its role may not do this. */
public final class ForbiddenException extends DomainException {
    public ForbiddenException(String detail) {
        super(detail, List.of());
    }
}
