package io.edgeplane.seedmanager.watch;

/** The OpenAPI text of the watch parameters and streams, shared by every watch route. */
public final class WatchDocs {
    public static final String WATCH = "true: instead of a page, answer a stream of server-sent events (text/event-stream) "
            + "that follows the list live: without a resume id, first every current object as an ADDED event (without id), "
            + "then a BOOKMARK, then each change as it is committed, on any replica. Other list parameters do not apply.";
    public static final String FOLLOW = "true: instead of the lines so far, a stream of server-sent events (text/event-stream) "
            + "with each line as it is written, ending when provisioning ends.";
    public static final String LAST_EVENT_ID = "Resume a watch after this event id (EventSource sends it by itself on reconnect): "
            + "no change is missed or repeated. Takes precedence over resourceVersion and since.";
    public static final String RESOURCE_VERSION = "Resume a watch after this event id (the id of an event or BOOKMARK).";
    public static final String SINCE = "Same as resourceVersion.";
    public static final String EVENTS = """
            Server-sent events, one per change, in commit order:

                event: ADDED | MODIFIED | DELETED
                id: <resume id>
                data: <the object, exactly as its GET answers it (DELETED: as it was last)>

            `event: BOOKMARK` (data `{"resourceVersion": N}`, id N) marks that everything up to N was sent: after the
            initial listing, and at heartbeats once the feed moved on. Idle streams get a `: heartbeat` comment every
            15 s. `event: ERROR` with a problem body (status 410) ends a stream whose position is no longer kept:
            list again, or watch without a resume id. Resume with the last id seen as the `Last-Event-ID` header or
            the `resourceVersion` parameter; ids are kept for 15 minutes by default.""";
    public static final String LOG_EVENTS = """
            Server-sent events: each line as it is written,

                event: LINE
                id: <seq>
                data: {"seq": 12, "attempt": 1, "line": "...", "at": "..."}

            then, once no delivery is pending or running, `event: END` with the device as its GET answers it, and the
            stream closes. Resume with the last id as `Last-Event-ID` or `after`; `: heartbeat` comments keep it open.""";
    public static final String TIMEOUT = "End the stream after this many seconds (at most the server's maximum, 30 minutes by "
            + "default, after which every stream ends cleanly); resume with the last id.";
    public static final String LIST = "the list; with watch=true, its stream of server-sent events";
    public static final String LOG = "the lines so far; with watch=true, a stream of them as they are written";
    public static final String GONE = "The resume id is older than the changes kept (or unknown): list again, or watch without it.";
    public static final String BUSY = "This replica serves its maximum number of watches; retry later.";

    private WatchDocs() {
    }
}
