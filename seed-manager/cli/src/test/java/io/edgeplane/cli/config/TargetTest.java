package io.edgeplane.cli.config;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetTest {

    private final CliConfig config = CliConfig.EMPTY
            .withContext(new Context("dev", "http://localhost:8080", "dev-token", null, null, "acme", null))
            .withContext(new Context("prod", "https://seed.example.com/", "prod-token", null, null, null, null))
            .withCurrentContext("dev");

    @Test
    void usesTheCurrentContextOrTheOneNamed() {
        assertThat(Target.resolve(config, Map.of(), null, null).server()).isEqualTo(URI.create("http://localhost:8080"));
        Target prod = Target.resolve(config, Map.of(), "prod", null);
        assertThat(prod.server()).isEqualTo(URI.create("https://seed.example.com"));
        assertThat(prod.token()).isEqualTo("prod-token");
        assertThat(Target.resolve(config, Map.of("EDGEPLANE_CONTEXT", "prod"), null, null).token()).isEqualTo("prod-token");
    }

    @Test
    void theEnvironmentOverridesTheContext() {
        Target target = Target.resolve(config, Map.of("EDGEPLANE_TOKEN", "env-token"), null, null);
        assertThat(target.token()).isEqualTo("env-token");

        Target envOnly = Target.resolve(CliConfig.EMPTY, Map.of("EDGEPLANE_SERVER", "http://10.0.0.1:8080", "EDGEPLANE_TOKEN", "t"), null, null);
        assertThat(envOnly.server()).isEqualTo(URI.create("http://10.0.0.1:8080"));
        assertThat(envOnly.context()).isEmpty();
    }

    @Test
    void aContextsTokenIsNeverSentToAnotherServer() {
        assertThatThrownBy(() -> Target.resolve(config, Map.of("EDGEPLANE_SERVER", "http://evil.example.com"), null, null))
                .isInstanceOf(CliFailure.class).hasMessageContaining("no token for http://evil.example.com");
        assertThatThrownBy(() -> Target.resolve(config, Map.of(), null, "http://evil.example.com"))
                .isInstanceOf(CliFailure.class).hasMessageContaining("no token");
        assertThat(Target.resolve(config, Map.of(), null, "http://localhost:8080/").token()).isEqualTo("dev-token");
    }

    @Test
    void sayWhatIsMissing() {
        assertThatThrownBy(() -> Target.resolve(CliConfig.EMPTY, Map.of(), null, null))
                .isInstanceOf(CliFailure.class).hasMessageContaining("edgeplane login")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThatThrownBy(() -> Target.resolve(config, Map.of(), "stage", null))
                .isInstanceOf(CliFailure.class).hasMessageContaining("no context named 'stage'");
        assertThatThrownBy(() -> Target.serverUri("localhost:8080"))
                .isInstanceOf(CliFailure.class).hasMessageContaining("not a server URL");
    }

    @Test
    void neverShowsTheTokenWhenPrinted() {
        assertThat(Target.resolve(config, Map.of(), null, null).toString()).doesNotContain("dev-token");
    }
}
