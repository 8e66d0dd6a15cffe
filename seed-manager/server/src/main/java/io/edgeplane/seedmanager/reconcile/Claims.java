package io.edgeplane.seedmanager.reconcile;

import java.util.Optional;

/**
 * Leases on the rows of one kind, taken from PostgreSQL so that several seed managers never work
 * on the same row at once.
 *
 * @param <T> the claimed row
 */
public interface Claims<T> {

    /** Claims the next due row nobody holds, if any. */
    Optional<T> claimNext();

    /** Releases the leases a previous run of this seed manager left behind. */
    void releaseStaleLeases();
}
