package io.edgeplane.seedmanager.machine;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** An idle device's next pass: the resync, or earlier when something time-based comes due. */
class MachineScheduleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void withNothingDueTheResync() {
        assertThat(MachineSchedule.next(NOW, List.of())).isEqualTo(NOW.plus(MachineSchedule.RESYNC));
        assertThat(MachineSchedule.next(NOW, List.of(Optional.empty(), Optional.empty()))).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void theEarliestDueTimeAhead() {
        Optional<Instant> stale = Optional.of(NOW.plusSeconds(25));
        Optional<Instant> renewal = Optional.of(NOW.plusSeconds(40));
        assertThat(MachineSchedule.next(NOW, List.of(stale, renewal))).isEqualTo(NOW.plusSeconds(25));
        assertThat(MachineSchedule.next(NOW, List.of(Optional.empty(), renewal))).isEqualTo(NOW.plusSeconds(40));
    }

    @Test
    void dueTimesPastOrBeyondTheResyncChangeNothing() {
        assertThat(MachineSchedule.next(NOW, List.of(Optional.of(NOW.minusSeconds(1)), Optional.of(NOW)))).isEqualTo(NOW.plusSeconds(60));
        assertThat(MachineSchedule.next(NOW, List.of(Optional.of(NOW.plusSeconds(1800))))).isEqualTo(NOW.plusSeconds(60));
    }
}
