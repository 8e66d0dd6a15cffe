package io.edgeplane.cli.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.edgeplane.cli.api.model.TokenRole;
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
    void otherBodiesAreJson() throws Exception {
        Map<String, TokenRole> roles = new BodyMapper().readValue("{\"a\":\"owner\"}", new TypeReference<Map<String, TokenRole>>() {});

        assertThat(roles).containsEntry("a", TokenRole.owner);
    }
}
