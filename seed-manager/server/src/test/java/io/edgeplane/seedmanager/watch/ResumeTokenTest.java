package io.edgeplane.seedmanager.watch;

import io.edgeplane.seedmanager.api.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResumeTokenTest {

    @Test
    void theHeaderAnEventSourceSendsComesFirstThenTheParameters() {
        assertThat(ResumeToken.of("7", "5", "3")).isEqualTo(new ResumeToken("Last-Event-ID", 7));
        assertThat(ResumeToken.of(null, "5", "3")).isEqualTo(new ResumeToken("resourceVersion", 5));
        assertThat(ResumeToken.of(" ", null, "3")).isEqualTo(new ResumeToken("since", 3));
        assertThat(ResumeToken.of(null, "", null)).as("none: list first").isNull();
    }

    @Test
    void anythingButAnEventIdIsAnInvalidParameterNamedWhereItCameFrom() {
        assertThatThrownBy(() -> ResumeToken.of(null, "yesterday", null))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors()).extracting(p -> p.field()).containsExactly("resourceVersion"));
        assertThatThrownBy(() -> ResumeToken.of("-1", null, null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aWatcherResumesOnlyWithinWhatTheFeedStillKeeps() {
        FeedPosition position = new FeedPosition(100, 40);
        assertThat(position.canResumeFrom(40)).isTrue();
        assertThat(position.canResumeFrom(100)).isTrue();
        assertThat(position.canResumeFrom(39)).as("change 40 is gone").isFalse();
        assertThat(position.canResumeFrom(101)).as("not handed out yet").isFalse();
    }
}
