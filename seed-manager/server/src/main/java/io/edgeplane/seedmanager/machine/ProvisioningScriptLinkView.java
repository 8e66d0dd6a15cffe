package io.edgeplane.seedmanager.machine;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** A new one-time link to a device's provisioning script: shown once, in the answer that created it. */
@Serdeable
@Schema(description = "A one-time, short-lived link to a device's provisioning script, and the command that uses it")
public record ProvisioningScriptLinkView(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the script's address on the seed manager's HTTPS listener as devices reach it; no token needed, "
                + "answers once", example = "https://seed.example.com:8443/provisioning-scripts/3q2-7wE...")
        String url,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "one line to paste into a root shell on the device: downloads the script with the seed manager's "
                + "CA pinned inline (retrying while binaries are prepared) and runs it with bash")
        String command,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "when the link stops working if it was not used")
        Instant expiresAt) {
}
