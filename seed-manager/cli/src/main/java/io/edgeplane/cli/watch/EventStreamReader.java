package io.edgeplane.cli.watch;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.function.Predicate;

/** Reads {@code text/event-stream} as the HTML standard defines it: fields up to a blank line make an event; comments are skipped. */
final class EventStreamReader {

    private EventStreamReader() {
    }

    /** Hands each event to {@code sink} until it answers false (then returns false) or the stream ends (true). */
    static boolean read(BufferedReader in, Predicate<ServerEvent> sink) throws IOException {
        String type = null;
        String id = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    if (!sink.test(new ServerEvent(type == null ? "message" : type, id, data.toString()))) {
                        return false;
                    }
                }
                type = null;
                id = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // retry and unknown fields carry nothing a CLI needs.
                }
            }
        }
        return true;
    }
}
