package io.edgeplane.e2e.fleet;

import java.util.List;

/**
 * One round of the crash campaign: what was done, how often the seed manager was killed in it and
 * when (seconds into the round), how long each restart took until healthy, how long the round took
 * to converge, and every problem the checks found afterwards.
 */
record CampaignRound(String name, List<Double> killedAt, List<Double> restartSeconds, double seconds, List<String> problems,
                     List<String> notes) {

    String line() {
        return String.format("%-38s kills %d at %s s, restarts %s s, converged in %.0f s: %s", name, killedAt.size(), rounded(killedAt),
                rounded(restartSeconds), seconds, problems.isEmpty() ? "all checks passed" : problems.size() + " problem(s)");
    }

    private static String rounded(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }
}
