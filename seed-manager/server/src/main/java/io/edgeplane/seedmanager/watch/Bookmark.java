package io.edgeplane.seedmanager.watch;

import io.micronaut.serde.annotation.Serdeable;

/** The body of a BOOKMARK event: everything up to {@code resourceVersion} (also its SSE id) has been sent. */
@Serdeable
public record Bookmark(long resourceVersion) {
}
