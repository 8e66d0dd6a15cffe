package io.edgeplane.seedmanager.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.workload.WorkloadEvent.*;
import static io.edgeplane.seedmanager.workload.WorkloadState.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every edge of both tables, written out once more by hand: a test per edge, and every pair not
 * listed has no edge (an operation is refused with an explanation, a fact changes nothing).
 */
class WorkloadStateMachineTest {
    record Edge(WorkloadState from, WorkloadEvent event, WorkloadState to) {
        @Override
        public String toString() {
            return from + " --" + event + "--> " + to;
        }
    }

    private static final Set<WorkloadEvent> OPERATIONS = EnumSet.of(DEPLOY, STAGE, APPLY, START, STOP);
    private static final Set<WorkloadEvent> LIVE_FACTS = EnumSet.of(PUSHED, PODS_PENDING, PODS_READY, PODS_FAILED, PODS_TERMINATING,
            PODS_GONE, NODE_UNREACHABLE);
    private static final Set<WorkloadEvent> PULL_FACTS = EnumSet.of(PULL_STARTED, PULL_DONE, PULL_FAILED);
    private static final Set<WorkloadState> STAGED_STATES = EnumSet.of(received, downloading, ready, failed);

    static final List<Edge> LIVE = List.of(
            new Edge(pending_deploy, PUSHED, received),
            new Edge(pending_deploy, DEPLOY, pending_deploy),
            new Edge(pending_deploy, STAGE, pending_deploy),

            new Edge(pending_start, PUSHED, starting),
            new Edge(pending_start, STOP, pending_stop),
            new Edge(pending_start, DEPLOY, pending_deploy),
            new Edge(pending_start, STAGE, pending_start),

            new Edge(pending_stop, PUSHED, stopping),
            new Edge(pending_stop, START, pending_start),
            new Edge(pending_stop, DEPLOY, pending_deploy),
            new Edge(pending_stop, STAGE, pending_stop),

            new Edge(pending_apply, PUSHED, received),
            new Edge(pending_apply, DEPLOY, pending_deploy),
            new Edge(pending_apply, STAGE, pending_apply),

            new Edge(received, PODS_PENDING, deploying),
            new Edge(received, PODS_READY, running),
            new Edge(received, PODS_FAILED, failed),
            new Edge(received, NODE_UNREACHABLE, unreachable),
            new Edge(received, DEPLOY, pending_deploy),
            new Edge(received, STAGE, received),
            new Edge(received, APPLY, pending_apply),
            new Edge(received, STOP, pending_stop),

            new Edge(deploying, PODS_READY, running),
            new Edge(deploying, PODS_FAILED, failed),
            new Edge(deploying, NODE_UNREACHABLE, unreachable),
            new Edge(deploying, DEPLOY, pending_deploy),
            new Edge(deploying, STAGE, deploying),
            new Edge(deploying, APPLY, pending_apply),
            new Edge(deploying, STOP, pending_stop),

            new Edge(running, PODS_PENDING, deploying),
            new Edge(running, PODS_FAILED, failed),
            new Edge(running, NODE_UNREACHABLE, unreachable),
            new Edge(running, DEPLOY, pending_deploy),
            new Edge(running, STAGE, running),
            new Edge(running, APPLY, pending_apply),
            new Edge(running, STOP, pending_stop),

            new Edge(failed, PODS_READY, running),
            new Edge(failed, PODS_PENDING, deploying),
            new Edge(failed, NODE_UNREACHABLE, unreachable),
            new Edge(failed, DEPLOY, pending_deploy),
            new Edge(failed, STAGE, failed),
            new Edge(failed, APPLY, pending_apply),
            new Edge(failed, STOP, pending_stop),

            new Edge(stopping, PODS_GONE, stopped),
            new Edge(stopping, NODE_UNREACHABLE, unreachable),
            new Edge(stopping, DEPLOY, pending_deploy),
            new Edge(stopping, STAGE, stopping),
            new Edge(stopping, APPLY, pending_apply),
            new Edge(stopping, START, pending_start),

            new Edge(stopped, NODE_UNREACHABLE, unreachable),
            new Edge(stopped, DEPLOY, pending_deploy),
            new Edge(stopped, STAGE, stopped),
            new Edge(stopped, APPLY, pending_apply),
            new Edge(stopped, START, pending_start),

            new Edge(starting, PODS_READY, running),
            new Edge(starting, PODS_FAILED, failed),
            new Edge(starting, NODE_UNREACHABLE, unreachable),
            new Edge(starting, DEPLOY, pending_deploy),
            new Edge(starting, STAGE, starting),
            new Edge(starting, APPLY, pending_apply),
            new Edge(starting, STOP, pending_stop),

            new Edge(unreachable, PODS_READY, running),
            new Edge(unreachable, PODS_PENDING, deploying),
            new Edge(unreachable, PODS_FAILED, failed),
            new Edge(unreachable, PODS_TERMINATING, stopping),
            new Edge(unreachable, PODS_GONE, stopped),
            new Edge(unreachable, DEPLOY, pending_deploy),
            new Edge(unreachable, STAGE, unreachable),
            new Edge(unreachable, APPLY, pending_apply),
            new Edge(unreachable, START, pending_start),
            new Edge(unreachable, STOP, pending_stop),

            new Edge(staged, APPLY, pending_apply),
            new Edge(staged, DEPLOY, pending_deploy),
            new Edge(staged, STAGE, staged));

    static final List<Edge> STAGED = List.of(
            new Edge(received, PULL_STARTED, downloading),
            new Edge(received, PULL_DONE, ready),
            new Edge(received, PULL_FAILED, failed),
            new Edge(received, STAGE, received),

            new Edge(downloading, PULL_DONE, ready),
            new Edge(downloading, PULL_FAILED, failed),
            new Edge(downloading, STAGE, received),

            new Edge(failed, PULL_STARTED, downloading),
            new Edge(failed, PULL_DONE, ready),
            new Edge(failed, STAGE, received),

            new Edge(ready, PULL_STARTED, downloading),
            new Edge(ready, STAGE, received));

    static Stream<Edge> liveEdges() {
        return LIVE.stream();
    }

    static Stream<Edge> stagedEdges() {
        return STAGED.stream();
    }

    /** Every (state, event) pair without an edge in {@code edges}. */
    private static List<Edge> missing(List<Edge> edges, Set<WorkloadState> states, Set<WorkloadEvent> events) {
        Set<String> present = new HashSet<>();
        edges.forEach(e -> present.add(e.from() + "/" + e.event()));
        return states.stream().flatMap(s -> events.stream().filter(e -> !present.contains(s + "/" + e)).map(e -> new Edge(s, e, s)))
                .toList();
    }

    static Stream<Edge> liveOperationsWithoutEdge() {
        return missing(LIVE, EnumSet.allOf(WorkloadState.class), OPERATIONS).stream();
    }

    static Stream<Edge> liveFactsWithoutEdge() {
        EnumSet<WorkloadEvent> facts = EnumSet.copyOf(LIVE_FACTS);
        facts.addAll(PULL_FACTS);
        return missing(LIVE, EnumSet.allOf(WorkloadState.class), facts).stream();
    }

    static Stream<Edge> stagedEventsWithoutEdge() {
        return missing(STAGED, EnumSet.allOf(WorkloadState.class), EnumSet.allOf(WorkloadEvent.class)).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("liveEdges")
    void liveEdge(Edge edge) {
        assertThat(WorkloadStateMachine.live(edge.from(), edge.event())).contains(edge.to());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stagedEdges")
    void stagedEdge(Edge edge) {
        assertThat(WorkloadStateMachine.staged(edge.from(), edge.event())).contains(edge.to());
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("liveOperationsWithoutEdge")
    void anOperationWithoutAnEdgeIsRefusedWithAReason(Edge pair) {
        assertThat(WorkloadStateMachine.live(pair.from(), pair.event())).isEmpty();
        String reason = WorkloadStateMachine.refusal(pair.from(), pair.event());
        assertThat(reason).isNotBlank().contains(pair.from() == staged ? "staged" : pair.from().name());
    }

    @ParameterizedTest(name = "{0} changes nothing")
    @MethodSource("liveFactsWithoutEdge")
    void aFactWithoutAnEdgeLeavesTheStateAsItIs(Edge pair) {
        assertThat(WorkloadStateMachine.live(pair.from(), pair.event()).orElse(pair.from())).isEqualTo(pair.from());
    }

    @ParameterizedTest(name = "staged {0} changes nothing")
    @MethodSource("stagedEventsWithoutEdge")
    void aStagedEventWithoutAnEdgeLeavesTheStagedStateAsItIs(Edge pair) {
        assertThat(WorkloadStateMachine.staged(pair.from(), pair.event())).isEmpty();
    }

    @Test
    void theListsAboveAreTheWholeTables() {
        assertThat(LIVE).doesNotHaveDuplicates();
        assertThat(STAGED).doesNotHaveDuplicates();
        long liveEdges = EnumSet.allOf(WorkloadState.class).stream()
                .flatMap(s -> EnumSet.allOf(WorkloadEvent.class).stream().filter(e -> WorkloadStateMachine.live(s, e).isPresent()))
                .count();
        long stagedEdges = EnumSet.allOf(WorkloadState.class).stream()
                .flatMap(s -> EnumSet.allOf(WorkloadEvent.class).stream().filter(e -> WorkloadStateMachine.staged(s, e).isPresent()))
                .count();
        assertThat(liveEdges).isEqualTo(LIVE.size());
        assertThat(stagedEdges).isEqualTo(STAGED.size());
    }

    @Test
    void everyStateIsUsedAndStagedVersionsStayInTheirOwnStates() {
        Set<WorkloadState> used = EnumSet.noneOf(WorkloadState.class);
        Stream.concat(LIVE.stream(), STAGED.stream()).forEach(e -> {
            used.add(e.from());
            used.add(e.to());
        });
        assertThat(used).containsExactlyInAnyOrder(WorkloadState.values());
        assertThat(STAGED).allSatisfy(e -> assertThat(STAGED_STATES).contains(e.from(), e.to()));
        assertThat(LIVE).noneSatisfy(e -> assertThat(PULL_FACTS).contains(e.event()));
    }

    @Test
    void everyOperationIsQueuedAsPendingOrKeepsTheState() {
        // The API never jumps to an observed state: an operation lands in pending_* (or, for STAGE, leaves the state as it is).
        for (Edge e : LIVE) {
            if (e.event() == STAGE) {
                assertThat(e.to()).as(e.toString()).isEqualTo(e.from());
            } else if (OPERATIONS.contains(e.event())) {
                assertThat(e.to().name()).as(e.toString()).startsWith("pending_");
            }
        }
        assertThat(LIVE).filteredOn(e -> e.event() == DEPLOY).hasSize(WorkloadState.values().length - 2)
                .allSatisfy(e -> assertThat(e.to()).isEqualTo(pending_deploy));
    }

    @Test
    void refusalsExplainThemselves() {
        assertThat(WorkloadStateMachine.refusal(running, START)).contains("already running");
        assertThat(WorkloadStateMachine.refusal(stopped, STOP)).contains("already stopped");
        assertThat(WorkloadStateMachine.refusal(staged, START)).contains("apply it first");
        assertThat(WorkloadStateMachine.refusal(staged, STOP)).contains("nothing runs");
        assertThat(WorkloadStateMachine.refusal(pending_deploy, APPLY)).contains("pending_deploy").contains("wait");
        assertThat(WorkloadStateMachine.refusal(pending_deploy, STOP)).contains("wait until the pending operation");
    }
}
