package io.edgeplane.cli.watch;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamReaderTest {

    private static final String STREAM = """
            event: ADDED
            data: {"name":"hello","state":"pending_deploy"}

            event: BOOKMARK
            id: 41
            data: {"resourceVersion": 41}

            : heartbeat

            event: MODIFIED
            id: 42
            data: {"name":"hello",
            data: "state":"running"}

            """;

    @Test
    void readsEventsWithTheirIdsAndSkipsComments() throws Exception {
        List<ServerEvent> events = new ArrayList<>();

        boolean ended = EventStreamReader.read(new BufferedReader(new StringReader(STREAM)), events::add);

        assertThat(ended).isTrue();
        assertThat(events).containsExactly(
                new ServerEvent("ADDED", null, "{\"name\":\"hello\",\"state\":\"pending_deploy\"}"),
                new ServerEvent("BOOKMARK", "41", "{\"resourceVersion\": 41}"),
                new ServerEvent("MODIFIED", "42", "{\"name\":\"hello\",\n\"state\":\"running\"}"));
        assertThat(events.get(2).isChange()).isTrue();
        assertThat(events.get(1).isChange()).isFalse();
    }

    @Test
    void stopsWhenTheHandlerHasSeenEnough() throws Exception {
        List<ServerEvent> events = new ArrayList<>();

        boolean ended = EventStreamReader.read(new BufferedReader(new StringReader(STREAM)), e -> events.add(e) && !e.type().equals("BOOKMARK"));

        assertThat(ended).isFalse();
        assertThat(events).hasSize(2);
    }
}
