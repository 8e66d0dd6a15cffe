package io.edgeplane.seedmanager;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterStatus;
import io.edgeplane.seedmanager.cluster.ClusterView;
import io.edgeplane.seedmanager.machine.MachineDeployment;
import io.edgeplane.seedmanager.machine.MachineDeploymentView;
import io.edgeplane.seedmanager.workload.ImagePullState;
import io.edgeplane.seedmanager.workload.Workload;
import io.edgeplane.seedmanager.workload.WorkloadState;
import io.edgeplane.seedmanager.workload.WorkloadStatus;
import io.edgeplane.seedmanager.workload.WorkloadView;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Phases and states are enums from the row to the API body, and keep the API's spellings. */
class PhasesAreEnumsTest {
    private static final Set<String> PHASE_LIKE = Set.of("phase", "state", "stagedState");

    @Test
    void everyPhaseOrStateOfARowOrABodyIsAnEnum() {
        List<Class<?>> records = List.of(Cluster.class, MachineDeployment.class, Workload.class, ClusterView.class,
                MachineDeploymentView.class, WorkloadView.class, WorkloadView.Staged.class, WorkloadStatus.NodeState.class,
                WorkloadStatus.ImageProgress.class, ClusterStatus.class);
        int seen = 0;
        for (Class<?> type : records) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (PHASE_LIKE.contains(component.getName())) {
                    seen++;
                    assertThat(component.getType().isEnum()).as(type.getSimpleName() + "." + component.getName()).isTrue();
                }
            }
        }
        assertThat(seen).isGreaterThanOrEqualTo(9);
    }

    @Test
    void enumsKeepTheApiSpellings() throws IOException {
        ObjectMapper json = ObjectMapper.getDefault();
        assertThat(json.writeValueAsString(new WorkloadStatus.NodeState("edge-1", WorkloadState.pending_deploy, null)))
                .contains("\"state\":\"pending_deploy\"");
        assertThat(json.writeValueAsString(new WorkloadStatus.ImageProgress("img", ImagePullState.present, null)))
                .contains("\"state\":\"present\"");
        assertThat(json.readValue("{\"node\":\"edge-1\",\"state\":\"running\"}", WorkloadStatus.NodeState.class).state())
                .isEqualTo(WorkloadState.running);
    }
}
