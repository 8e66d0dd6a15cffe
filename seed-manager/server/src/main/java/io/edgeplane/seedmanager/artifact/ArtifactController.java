package io.edgeplane.seedmanager.artifact;

import io.edgeplane.seedmanager.api.ApiException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Read-only artifact mirror for devices (no token: binaries are public, and the provisioning
 * script checks each download against the SHA-256 it was rendered with). The checksum is also
 * sent as a header for clients that verify on the fly.
 */
@Controller("/artifacts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ArtifactController {
    private final ArtifactMirror mirror;

    public ArtifactController(ArtifactMirror mirror) {
        this.mirror = mirror;
    }

    @Get("/{version}/{platform}/{name}")
    public HttpResponse<SystemFile> get(String version, String platform, String name) {
        ArtifactMirror.Artifact artifact = mirror.find(version, platform, name)
                .orElseThrow(() -> ApiException.notFound("artifact", version + "/" + platform + "/" + name));
        MediaType type = artifact.sha256() == null ? MediaType.TEXT_PLAIN_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE;
        var response = HttpResponse.ok(new SystemFile(artifact.file().toFile(), type));
        return artifact.sha256() == null ? response : response.header("X-Checksum-Sha256", artifact.sha256());
    }
}
