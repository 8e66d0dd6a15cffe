package io.edgeplane.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgeplane.cli.api.model.DeployWorkloads202Response;
import io.edgeplane.cli.api.model.TokenRole;
import io.edgeplane.cli.api.model.WorkloadList;
import io.edgeplane.cli.api.model.WorkloadView;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BodyMapperTest {

    @Test
    void aStringBodyIsTheTextAsItCame() throws Exception {
        String kubeconfig = "apiVersion: v1\nkind: Config\n";

        assertThat(new BodyMapper().readValue(kubeconfig, new TypeReference<String>() {})).isEqualTo(kubeconfig);
        assertThat(new BodyMapper().copy().readValue("#!/bin/bash\n", new TypeReference<String>() {})).isEqualTo("#!/bin/bash\n");
    }

    @Test
    void aOneOfAnswerIsReadAsTheMemberItsKindNames() throws Exception {
        DeployWorkloads202Response one = new BodyMapper().readValue("{\"kind\":\"Workload\",\"name\":\"hello\",\"state\":\"pending_deploy\"}",
                new TypeReference<DeployWorkloads202Response>() {});
        DeployWorkloads202Response list = new BodyMapper().readValue(
                "{\"kind\":\"WorkloadList\",\"items\":[{\"kind\":\"Workload\",\"name\":\"hello\"}]}",
                new TypeReference<DeployWorkloads202Response>() {});

        assertThat(one.getActualInstance()).isInstanceOf(WorkloadView.class);
        assertThat(list.getActualInstance()).isInstanceOf(WorkloadList.class);
    }

    @Test
    void otherBodiesAreJson() throws Exception {
        Map<String, TokenRole> roles = new BodyMapper().readValue("{\"a\":\"owner\"}", new TypeReference<Map<String, TokenRole>>() {});

        assertThat(roles).containsEntry("a", TokenRole.owner);
    }
}
