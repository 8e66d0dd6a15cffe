package io.edgeplane.seedmanager.reconcile;


/**
 * One kind of reconciler, as the {@link ClaimLoop} drives it with the rows its {@link Claims} hand
 * out: run one pass of named steps that finishes the claim, and, should the pass fail unexpectedly, finish the claim
 * so that the row is retried. Logging that failure and counting it is the loop's.
 *
 * @param <T> the claimed row
 */
public interface Reconciler<T> {

    /** The object a row is about, as log lines name it, e.g. {@code cluster=p1/c1}. */
    String describe(T row);

    /** One pass of named steps; finishes the claim with the observed status. */
    void reconcile(T row, String ref);

    /** Finishes the claim after {@link #reconcile} failed unexpectedly, keeping what was observed and saying why. */
    void finishFailed(T row, RuntimeException failure);
}
