package io.edgeplane.cli.watch;

/**
 * One server-sent event of a watch: {@code ADDED}, {@code MODIFIED}, {@code DELETED}, {@code BOOKMARK}, {@code ERROR},
 * or for a log {@code LINE} and {@code END}.
 *
 * @param id the resume id, null for events of an initial listing
 * @param data the event's JSON
 */
public record ServerEvent(String type, String id, String data) {

    public static final String ADDED = "ADDED";
    public static final String MODIFIED = "MODIFIED";
    public static final String DELETED = "DELETED";
    public static final String BOOKMARK = "BOOKMARK";
    public static final String ERROR = "ERROR";
    public static final String LINE = "LINE";
    public static final String END = "END";

    public boolean isChange() {
        return ADDED.equals(type) || MODIFIED.equals(type) || DELETED.equals(type);
    }
}
