package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.BadGatewayProblem;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.Problem;
import io.edgeplane.seedmanager.api.UnavailableProblem;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Downloads through one-time links (no token: the secret in the path is the credential), on the same listeners as the
 * artifact mirror, which devices already reach. See {@link ProvisioningScriptLinks}.
 */
@Controller("/provisioning-scripts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "machinedeployments")
public class ProvisioningScriptDownloadController {
    private final ProvisioningScriptLinks links;

    public ProvisioningScriptDownloadController(ProvisioningScriptLinks links) {
        this.links = links;
    }

    @Get(value = "/{secret}", produces = MachineDeploymentController.SHELL_SCRIPT)
    @Operation(operationId = "getProvisioningScriptByLink",
            summary = "The provisioning script behind a one-time link (no token needed); the first answer with the script uses the link up")
    @ApiResponse(responseCode = "200", description = "the provisioning script, the same as the authenticated download gives",
            content = @Content(mediaType = MachineDeploymentController.SHELL_SCRIPT, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "the link is unknown, used, expired, or its device or cluster is being removed "
            + "(the answer does not say which)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ConflictProblem @BadGatewayProblem @UnavailableProblem
    public HttpResponse<String> script(HttpRequest<?> request, @Parameter(description = "the secret part of the link") String secret) {
        if (request.getMethod() == HttpMethod.HEAD) {
            // Micronaut answers HEAD with the GET route minus the body: that would use the link up and deliver nothing.
            return HttpResponse.<String>status(HttpStatus.METHOD_NOT_ALLOWED).header(HttpHeaders.ALLOW, HttpMethod.GET.name());
        }
        ProvisioningScriptLinks.Download download = links.download(secret);
        return HttpResponse.ok(download.script())
                .contentType(MediaType.of(MachineDeploymentController.SHELL_SCRIPT))
                .header("Content-Disposition", "attachment; filename=\"provision-" + download.machine() + ".sh\"")
                .header("Cache-Control", "no-store");
    }
}
