package io.edgeplane.seedmanager.workload;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import static io.edgeplane.seedmanager.workload.WorkloadEvent.*;
import static io.edgeplane.seedmanager.workload.WorkloadState.*;

/**
 * Every allowed transition of a workload, in one table: {@link #live} for the workload's state,
 * {@link #staged} for the state of its staged version. An operation with no edge is refused with
 * {@link #refusal}; an observed fact with no edge leaves the state as it is.
 */
public final class WorkloadStateMachine {
    private static final Map<WorkloadState, Map<WorkloadEvent, WorkloadState>> LIVE = new EnumMap<>(WorkloadState.class);
    private static final Map<WorkloadState, Map<WorkloadEvent, WorkloadState>> STAGED = new EnumMap<>(WorkloadState.class);

    static {
        // Server side: queued until the cluster (and its devices) can take it.
        live(pending_deploy, PUSHED, received, DEPLOY, pending_deploy, STAGE, pending_deploy);
        live(pending_start, PUSHED, starting, STOP, pending_stop, DEPLOY, pending_deploy, STAGE, pending_start);
        live(pending_stop, PUSHED, stopping, START, pending_start, DEPLOY, pending_deploy, STAGE, pending_stop);
        live(pending_apply, PUSHED, received, DEPLOY, pending_deploy, STAGE, pending_apply);
        // In the cluster.
        live(received, PODS_PENDING, deploying, PODS_READY, running, PODS_FAILED, failed, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, received, APPLY, pending_apply, STOP, pending_stop);
        live(deploying, PODS_READY, running, PODS_FAILED, failed, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, deploying, APPLY, pending_apply, STOP, pending_stop);
        live(running, PODS_PENDING, deploying, PODS_FAILED, failed, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, running, APPLY, pending_apply, STOP, pending_stop);
        live(failed, PODS_READY, running, PODS_PENDING, deploying, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, failed, APPLY, pending_apply, STOP, pending_stop);
        live(stopping, PODS_GONE, stopped, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, stopping, APPLY, pending_apply, START, pending_start);
        live(stopped, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, stopped, APPLY, pending_apply, START, pending_start);
        live(starting, PODS_READY, running, PODS_FAILED, failed, NODE_UNREACHABLE, unreachable,
                DEPLOY, pending_deploy, STAGE, starting, APPLY, pending_apply, STOP, pending_stop);
        // Back in touch: whatever the device reports now.
        live(unreachable, PODS_READY, running, PODS_PENDING, deploying, PODS_FAILED, failed, PODS_TERMINATING, stopping,
                PODS_GONE, stopped, DEPLOY, pending_deploy, STAGE, unreachable, APPLY, pending_apply,
                START, pending_start, STOP, pending_stop);
        // Nothing live yet: only a staged version.
        live(staged, APPLY, pending_apply, DEPLOY, pending_deploy, STAGE, staged);

        // The staged version: pre-pull, then wait for apply (or apply itself, with instantlyApply).
        staged(received, PULL_STARTED, downloading, PULL_DONE, ready, PULL_FAILED, failed, STAGE, received);
        staged(downloading, PULL_DONE, ready, PULL_FAILED, failed, STAGE, received);
        staged(failed, PULL_STARTED, downloading, PULL_DONE, ready, STAGE, received);
        staged(ready, PULL_STARTED, downloading, STAGE, received);
    }

    private WorkloadStateMachine() {
    }

    /** The workload's next state, or empty when {@code event} does not apply in {@code from}. */
    public static Optional<WorkloadState> live(WorkloadState from, WorkloadEvent event) {
        return Optional.ofNullable(LIVE.getOrDefault(from, Map.of()).get(event));
    }

    /** The staged version's next state, or empty when {@code event} does not apply in {@code from}. */
    public static Optional<WorkloadState> staged(WorkloadState from, WorkloadEvent event) {
        return Optional.ofNullable(STAGED.getOrDefault(from, Map.of()).get(event));
    }

    /** Why an operation is refused in a state, for a 409. */
    public static String refusal(WorkloadState from, WorkloadEvent operation) {
        return switch (operation) {
            case START -> from == running || from == starting || from == pending_start
                    ? "the workload is already " + from + "; nothing to start"
                    : from == staged ? "only a staged version exists; apply it first"
                    : "a workload that is " + from + " cannot be started";
            case STOP -> from == stopped || from == stopping || from == pending_stop
                    ? "the workload is already " + from + "; nothing to stop"
                    : from == staged ? "only a staged version exists; nothing runs to stop"
                    : "a workload that is " + from + " cannot be stopped; wait until the pending operation is carried out";
            case APPLY -> "a workload that is " + from + " cannot take an apply now; wait until the pending operation is carried out";
            default -> "operation " + operation + " is not allowed while the workload is " + from;
        };
    }

    private static void live(WorkloadState from, Object... pairs) {
        LIVE.put(from, edges(pairs));
    }

    private static void staged(WorkloadState from, Object... pairs) {
        STAGED.put(from, edges(pairs));
    }

    private static Map<WorkloadEvent, WorkloadState> edges(Object... pairs) {
        Map<WorkloadEvent, WorkloadState> edges = new EnumMap<>(WorkloadEvent.class);
        for (int i = 0; i < pairs.length; i += 2) {
            edges.put((WorkloadEvent) pairs[i], (WorkloadState) pairs[i + 1]);
        }
        return edges;
    }
}
