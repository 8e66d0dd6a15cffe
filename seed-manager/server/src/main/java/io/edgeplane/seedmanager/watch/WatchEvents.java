package io.edgeplane.seedmanager.watch;

import io.edgeplane.seedmanager.api.Problems;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.sse.Event;

import java.util.List;

/** The events of a stream, in the format the OpenAPI document describes. */
final class WatchEvents {
    static final String BOOKMARK = "BOOKMARK";
    static final String ERROR = "ERROR";
    static final String LINE = "LINE";
    static final String END = "END";

    private WatchEvents() {
    }

    static Event<Object> change(long seq, ChangeType type, Object body) {
        return Event.<Object>of(body).name(type.name()).id(Long.toString(seq));
    }

    /** An object of the initial listing: no id, so a client cut off during it starts over rather than skipping the rest. */
    static Event<Object> listed(Object body) {
        return Event.<Object>of(body).name(ChangeType.ADDED.name());
    }

    static Event<Object> bookmark(long seq) {
        return Event.<Object>of(new Bookmark(seq)).name(BOOKMARK).id(Long.toString(seq));
    }

    /** A comment line: no event for the client, bytes for the proxies in between. */
    static Event<Object> keepAlive() {
        return Event.<Object>of("").comment("heartbeat");
    }

    static Event<Object> expired(String detail) {
        return Event.<Object>of(Problems.of(HttpStatus.GONE, detail, List.of())).name(ERROR);
    }

    static Event<Object> line(long seq, Object line) {
        return Event.<Object>of(line).name(LINE).id(Long.toString(seq));
    }

    static Event<Object> end(Object body) {
        return Event.<Object>of(body).name(END);
    }
}
