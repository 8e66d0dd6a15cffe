package io.edgeplane.provisioner.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceAgentBinariesTest {
    private static final int ET_EXEC = 2;
    private static final int PT_INTERP = 3;
    private static final int PT_DYNAMIC = 2;

    @ParameterizedTest
    @CsvSource({"linux-amd64, 62", "linux-arm64, 183"})
    void eachPlatformHasAStaticElfExecutableOfItsMachine(String platform, int machine) throws IOException {
        byte[] binary;
        try (InputStream in = DeviceAgentBinaries.open(platform)) {
            binary = in.readAllBytes();
        }
        ByteBuffer elf = ByteBuffer.wrap(binary).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(binary).as("ELF magic").startsWith(0x7f, 'E', 'L', 'F');
        assertThat(binary[4]).as("64-bit").isEqualTo((byte) 2);
        assertThat(binary[5]).as("little-endian").isEqualTo((byte) 1);
        assertThat(elf.getShort(16)).as("e_type: an executable, not a shared object").isEqualTo((short) ET_EXEC);
        assertThat(elf.getShort(18) & 0xffff).as("e_machine").isEqualTo(machine);
        long programHeaders = elf.getLong(32);
        int entrySize = elf.getShort(54) & 0xffff;
        int entries = elf.getShort(56) & 0xffff;
        assertThat(entries).isPositive();
        for (int i = 0; i < entries; i++) {
            int type = elf.getInt((int) (programHeaders + (long) i * entrySize));
            assertThat(type).as("program header %d: static (no interpreter, no dynamic section)", i).isNotIn(PT_INTERP, PT_DYNAMIC);
        }
    }

    @Test
    void resourcePathNamesThePlatform() {
        assertThat(DeviceAgentBinaries.resourcePath("linux-arm64")).isEqualTo("io/edgeplane/provisioner/agent/linux-arm64/edgeplane-device");
        assertThatThrownBy(() -> DeviceAgentBinaries.resourcePath("windows-amd64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("platform: 'windows-amd64'");
    }
}
