package io.edgeplane.seedmanager.api;

import java.util.List;

/** The object does not exist, or the caller may not know that it does (another tenant's). */
public final class NotFoundException extends DomainException {
    public NotFoundException(String kind, String name) {
        super(kind + " " + name + " not found", List.of());
    }
}
