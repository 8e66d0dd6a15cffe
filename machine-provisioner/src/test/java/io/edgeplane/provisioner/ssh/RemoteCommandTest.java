package io.edgeplane.provisioner.ssh;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteCommandTest {

    @Test
    void rootRunsBashUnderTimeoutAndOtherUsersGoThroughSudoWithoutPrompting() {
        assertThat(RemoteCommand.commandLine(true, Duration.ofMinutes(20)))
                .isEqualTo("timeout --kill-after=10 1200 bash -s");
        assertThat(RemoteCommand.commandLine(false, Duration.ofMillis(2500)))
                .isEqualTo("sudo -n timeout --kill-after=10 3 bash -s");
    }

    @Test
    void argumentsPrecedeTheScriptOnItsFirstLineQuotedForTheShell() {
        byte[] stdin = RemoteCommand.stdin("#!/usr/bin/env bash\necho \"$1\"\n", List.of("a b", "it's", "$(reboot)", ""));

        assertThat(new String(stdin, StandardCharsets.UTF_8))
                .isEqualTo("set -- 'a b' 'it'\\''s' '$(reboot)' ''; #!/usr/bin/env bash\necho \"$1\"\n");
    }

    @Test
    void withoutArgumentsTheScriptGoesAsItIs() {
        assertThat(RemoteCommand.stdin("echo hi\n", List.of())).isEqualTo("echo hi\n".getBytes(StandardCharsets.UTF_8));
    }
}
