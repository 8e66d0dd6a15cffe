package io.edgeplane.seedmanager.datacenter;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Result of the latest check of the seed file.
 *
 * @param checkedAt when the file was checked
 * @param outcome   applied, rejected or unchanged
 * @param problems  why the file was rejected, one {@link SeedProblem#toString()} each; empty otherwise
 */
@Serdeable
public record ReloadResult(Instant checkedAt, ReloadOutcome outcome, List<String> problems) {

    public ReloadResult {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(outcome, "outcome");
        problems = List.copyOf(problems);
    }
}
