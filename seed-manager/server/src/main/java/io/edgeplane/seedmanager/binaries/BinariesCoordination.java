package io.edgeplane.seedmanager.binaries;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the seed managers sharing a database agree on about binaries: whose turn it is to prepare a
 * platform (one preparation per version and platform for all of them, however many replicas ask),
 * and which bytes every artifact mirror serves.
 */
public interface BinariesCoordination {

    /** The turn to prepare the platform, held until closed (or its holder dies); empty while another holds it. */
    Optional<Turn> tryTurn(Platform platform) throws BinariesFetcher.BinariesFetchException;

    /**
     * Records the sums of components nobody recorded yet and returns those that differ from what was
     * recorded; a seed manager may replace what it recorded itself (it prepared again).
     */
    List<Disagreement> agree(Platform platform, Map<String, String> sums);

    /** A held turn; closing it lets the next seed manager prepare. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** A component whose bytes here differ from those another seed manager recorded. */
    record Disagreement(String component, String here, String recorded, String recordedBy) {
        String describe() {
            return component + " (sha256 " + abbreviate(here) + " here, " + abbreviate(recorded) + " recorded by " + recordedBy + ")";
        }

        private static String abbreviate(String sum) {
            return sum.length() > 12 ? sum.substring(0, 12) : sum;
        }
    }
}
