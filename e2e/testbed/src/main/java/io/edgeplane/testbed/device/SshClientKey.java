package io.edgeplane.testbed.device;

import io.edgeplane.testbed.TestBedRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The run's SSH client key: every device authorizes it for root, as a fleet would an operator's key. */
record SshClientKey(Path privateKey, String publicKey) {

    /** The run's key, generated on first use; the file is the state, so there is nothing else to keep. */
    static synchronized SshClientKey of(TestBedRun run) {
        Path key = run.dir().resolve("ssh").resolve("id_ed25519");
        try {
            if (!Files.exists(key)) {
                Files.createDirectories(key.getParent());
                HostKey.generate(key, "edgeplane-testbed-run-" + run.id());
            }
            return new SshClientKey(key, Files.readString(Path.of(key + ".pub")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
