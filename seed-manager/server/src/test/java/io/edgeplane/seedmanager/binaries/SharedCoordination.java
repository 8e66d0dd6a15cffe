package io.edgeplane.seedmanager.binaries;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the database holds for several seed managers, in memory, for the preparation rules' unit
 * tests (DatabaseBinariesCoordinationIT checks the real one keeps the same rules on PostgreSQL).
 */
final class SharedCoordination {
    private final Set<Platform> turns = new HashSet<>();
    private final Map<String, String[]> recorded = new ConcurrentHashMap<>();

    /** The view of one seed manager named {@code owner}. */
    BinariesCoordination as(String owner) {
        return new BinariesCoordination() {
            @Override
            public Optional<Turn> tryTurn(Platform platform) {
                synchronized (turns) {
                    if (!turns.add(platform)) {
                        return Optional.empty();
                    }
                }
                return Optional.of(() -> {
                    synchronized (turns) {
                        turns.remove(platform);
                    }
                });
            }

            @Override
            public synchronized List<Disagreement> agree(Platform platform, Map<String, String> sums) {
                List<Disagreement> differ = new ArrayList<>();
                sums.forEach((component, sum) -> {
                    String key = platform + "/" + component;
                    String[] known = recorded.computeIfAbsent(key, k -> new String[]{sum, owner});
                    if (known[1].equals(owner)) {
                        recorded.put(key, new String[]{sum, owner});
                    } else if (!known[0].equals(sum)) {
                        differ.add(new Disagreement(component, sum, known[0], known[1]));
                    }
                });
                return differ;
            }
        };
    }

    /** Another seed manager holds the platform's turn until the returned turn is closed. */
    BinariesCoordination.Turn heldElsewhere(Platform platform) throws BinariesFetcher.BinariesFetchException {
        return as("elsewhere").tryTurn(platform).orElseThrow();
    }
}
