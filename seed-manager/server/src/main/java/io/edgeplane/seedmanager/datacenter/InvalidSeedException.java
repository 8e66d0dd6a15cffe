package io.edgeplane.seedmanager.datacenter;

import java.util.List;

/** A Seed file that cannot be used; the message lists every problem, one per line. */
public class InvalidSeedException extends RuntimeException {

    private final transient List<SeedProblem> problems;

    public InvalidSeedException(List<SeedProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SeedProblem> problems() {
        return problems;
    }

    private static String describe(List<SeedProblem> problems) {
        String file = problems.isEmpty() ? "seed file" : problems.get(0).file();
        StringBuilder text = new StringBuilder(file).append(" is not a valid Seed (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(p -> text.append(System.lineSeparator()).append("  ").append(p));
        return text.toString();
    }
}
