package io.edgeplane.seedmanager.datacenter;

import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Optional;

/** Either a valid {@link Seed} or every problem found in the file, never both. */
public record SeedParseResult(@Nullable Seed seed, List<SeedProblem> problems) {

    public SeedParseResult {
        problems = List.copyOf(problems);
        if ((seed == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("a parse result holds either a seed or problems");
        }
    }

    static SeedParseResult valid(Seed seed) {
        return new SeedParseResult(seed, List.of());
    }

    static SeedParseResult invalid(List<SeedProblem> problems) {
        return new SeedParseResult(null, problems.stream().sorted(SeedProblem.REPORT_ORDER).toList());
    }

    public boolean isValid() {
        return seed != null;
    }

    public Optional<Seed> validSeed() {
        return Optional.ofNullable(seed);
    }

    /** The seed, or an {@link InvalidSeedException} listing every problem. */
    public Seed orElseThrow() {
        if (seed == null) {
            throw new InvalidSeedException(problems);
        }
        return seed;
    }
}
