package io.edgeplane.seedmanager.watch;

/** What happened to an object, as the SSE {@code event:} field names it. */
public enum ChangeType {
    ADDED, MODIFIED, DELETED
}
