package io.edgeplane.seedmanager.artifact;

import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.UnavailableProblem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.SystemFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Read-only artifact mirror for devices (no token: binaries are public, and the provisioning
 * script checks each download against the SHA-256 it was rendered with). The checksum is also
 * sent as a header for clients that verify on the fly.
 */
@Controller("/artifacts")
@Tag(name = "artifacts")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ArtifactController {
    private final ArtifactMirror mirror;
    private final DeviceAgentArtifacts agents;

    public ArtifactController(ArtifactMirror mirror, DeviceAgentArtifacts agents) {
        this.mirror = mirror;
        this.agents = agents;
    }

    @Get("/device-agent/{platform}/" + DeviceAgentArtifacts.NAME)
    @Operation(operationId = "getDeviceAgent", summary = "Download the device agent edgeplane-device for a platform (no token needed)")
    @ApiResponse(responseCode = "200", description = "the static binary",
            headers = @Header(name = "X-Checksum-Sha256", description = "SHA-256 (hex) of the binary", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")))
    @NotFoundProblem
    public HttpResponse<SystemFile> deviceAgent(String platform) {
        ArtifactMirror.Artifact agent = agents.find(platform)
                .orElseThrow(() -> new NotFoundException("artifact", "device-agent/" + platform + "/" + DeviceAgentArtifacts.NAME));
        return HttpResponse.ok(new SystemFile(agent.file().toFile(), MediaType.APPLICATION_OCTET_STREAM_TYPE))
                .header("X-Checksum-Sha256", agent.sha256());
    }

    @Get("/{version}/{platform}/{name}")
    @Operation(operationId = "getArtifact", summary = "Download a binary or checksum file of the artifact mirror (no token needed)")
    @ApiResponse(responseCode = "200", description = "the file",
            headers = @Header(name = "X-Checksum-Sha256", description = "SHA-256 (hex) of a binary", schema = @Schema(type = "string")),
            content = {@Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "text/plain", schema = @Schema(type = "string"))})
    @NotFoundProblem @UnavailableProblem
    public HttpResponse<SystemFile> get(String version, String platform, String name) {
        ArtifactMirror.Artifact artifact = mirror.find(version, platform, name)
                .orElseThrow(() -> new NotFoundException("artifact", version + "/" + platform + "/" + name));
        MediaType type = artifact.sha256() == null ? MediaType.TEXT_PLAIN_TYPE : MediaType.APPLICATION_OCTET_STREAM_TYPE;
        var response = HttpResponse.ok(new SystemFile(artifact.file().toFile(), type));
        return artifact.sha256() == null ? response : response.header("X-Checksum-Sha256", artifact.sha256());
    }
}
