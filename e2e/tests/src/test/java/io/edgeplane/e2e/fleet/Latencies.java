package io.edgeplane.e2e.fleet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Round trips of the benchmark's own API calls by kind, kept in full (a few hundred thousand longs at most) and cut per phase. */
final class Latencies {
    /** How a call touches the seed manager: reads of one object, pages of a list, and calls that change something. */
    enum Kind { get, list, mutate }

    private final Map<Kind, List<Long>> nanos = new EnumMap<>(Kind.class);

    Latencies() {
        for (Kind kind : Kind.values()) {
            nanos.put(kind, new ArrayList<>());
        }
    }

    synchronized void record(Kind kind, long elapsedNanos) {
        nanos.get(kind).add(elapsedNanos);
    }

    /** The calls recorded since the last cut, then forgets them: one phase's figures. */
    synchronized Map<Kind, Summary> cut() {
        Map<Kind, Summary> summaries = new EnumMap<>(Kind.class);
        nanos.forEach((kind, values) -> {
            summaries.put(kind, Summary.of(values));
            values.clear();
        });
        return summaries;
    }

    /** Count, median and 99th percentile in milliseconds. */
    record Summary(int count, double p50Millis, double p99Millis) {
        static Summary of(List<Long> values) {
            if (values.isEmpty()) {
                return new Summary(0, Double.NaN, Double.NaN);
            }
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Summary(sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6);
        }

        static double percentile(long[] sorted, int p) {
            return sorted[nearestRank(sorted.length, p)];
        }

        /** The index, in {@code length} sorted values, of the smallest value at or below which {@code p} percent of them lie. */
        static int nearestRank(int length, int p) {
            return Math.max(0, (int) Math.ceil(p / 100.0 * length) - 1);
        }

        @Override
        public String toString() {
            return count == 0 ? "-" : String.format("n=%d p50=%.1f ms p99=%.1f ms", count, p50Millis, p99Millis);
        }
    }
}
