package io.edgeplane.seedmanager.watch;

import io.micronaut.http.sse.Event;

import java.util.Set;
import java.util.function.Consumer;

/** What one open stream reads: asked for up to so many events at a time, always on one thread at a time. */
interface StreamSource {

    enum Progress {
        /** More may be ready now. */
        MORE,
        /** Caught up: nothing more until a wake. */
        CAUGHT_UP,
        /** The stream is complete. */
        DONE
    }

    /** The hub keys ({@code table:scope}) whose notifications concern this stream. */
    Set<String> keys();

    Progress next(int max, Consumer<Event<Object>> out);

    /** What an idle stream sends at a heartbeat: a bookmark of where it stands, or a comment. */
    Event<Object> heartbeat();
}
