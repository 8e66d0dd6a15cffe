package io.edgeplane.seedmanager.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifetimesTest {
    private static final Duration DEFAULT = Duration.ofMinutes(15);
    private static final Duration MAX = Duration.ofHours(24);

    @Test
    void shortFormsAndIsoDurationsParse() {
        assertThat(Lifetimes.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Lifetimes.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Lifetimes.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(Lifetimes.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat("15m").matches(Lifetimes.PATTERN);
        assertThat("soon").doesNotMatch(Lifetimes.PATTERN);
        assertThat("15 m").doesNotMatch(Lifetimes.PATTERN);
    }

    @Test
    void anIsoFormThatPassesThePatternButNotTheParserNamesTheField() {
        assertThat("PTXM").doesNotMatch(Lifetimes.PATTERN);
        assertThat("P1DT").matches(Lifetimes.PATTERN);
        assertThatThrownBy(() -> Lifetimes.parse("P1DT")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors()).containsExactly(new FieldProblem("lifetime", Lifetimes.MESSAGE)));
    }

    @Test
    void theRangeIsPositiveAndBounded() {
        assertThat(Lifetimes.within(null, DEFAULT, MAX)).isEqualTo(DEFAULT);
        assertThat(Lifetimes.within(Duration.ofSeconds(1), DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Lifetimes.within(MAX, DEFAULT, MAX)).isEqualTo(MAX);
        for (Duration bad : new Duration[]{Duration.ZERO, Duration.ofSeconds(-1), MAX.plusSeconds(1)}) {
            assertThatThrownBy(() -> Lifetimes.within(bad, DEFAULT, MAX)).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.errors()).containsExactly(new FieldProblem("lifetime",
                            "must be a positive duration of at most 24h (e.g. 15m)")));
        }
    }
}
