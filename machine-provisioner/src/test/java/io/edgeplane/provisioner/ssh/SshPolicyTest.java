package io.edgeplane.provisioner.ssh;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SshPolicyTest {

    @Test
    void defaultsRetryAFewTimesWithDoublingPauses() {
        SshPolicy policy = SshPolicy.defaults();

        assertThat(policy.attempts()).isBetween(2, SshPolicy.MAX_ATTEMPTS);
        assertThat(policy.backoffAfter(1)).isEqualTo(policy.initialBackoff());
        assertThat(policy.backoffAfter(2)).isEqualTo(policy.initialBackoff().multipliedBy(2));
        assertThat(policy.backoffAfter(3)).isEqualTo(policy.initialBackoff().multipliedBy(4));
        assertThat(policy.commandTimeout()).isGreaterThan(policy.connectTimeout());
    }

    @Test
    void unboundedOrMeaninglessPoliciesAreRefused() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new SshPolicy(Duration.ZERO, second, 1, second)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> new SshPolicy(second, Duration.ofSeconds(-1), 1, second)).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> new SshPolicy(second, second, 0, second)).hasMessageContaining("attempts");
        assertThatThrownBy(() -> new SshPolicy(second, second, SshPolicy.MAX_ATTEMPTS + 1, second)).hasMessageContaining("attempts");
        assertThatThrownBy(() -> new SshPolicy(second, second, 1, Duration.ofMillis(-1))).hasMessageContaining("initialBackoff");
    }
}
