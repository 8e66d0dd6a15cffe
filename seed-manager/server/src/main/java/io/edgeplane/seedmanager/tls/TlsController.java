package io.edgeplane.seedmanager.tls;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The CA that verifies the seed manager's HTTPS listener, for operators to pin (curl --cacert, the CLI's
 * --certificate-authority). No token: a CA certificate is public. Fetched over an unverified channel, it is worth
 * only as much as a comparison of its fingerprint with the one the seed manager logs at start.
 */
@Controller("/tls")
@Tag(name = "tls")
public class TlsController {
    static final String PEM = "application/x-pem-file";

    private final ServingCertificate serving;

    public TlsController(ServingCertificate serving) {
        this.serving = serving;
    }

    @Get("/ca.crt")
    @Produces(PEM)
    @Operation(operationId = "getSeedCaCertificate",
            summary = "Download the CA certificate(s) that verify the seed manager's HTTPS listener (no token needed)")
    @ApiResponse(responseCode = "200", description = "one or more PEM certificates",
            headers = @Header(name = "X-Fingerprint-Sha256", description = "SHA-256 fingerprint of the first certificate,"
                    + " colon-separated uppercase hex as the seed manager logs it at start", schema = @Schema(type = "string")),
            content = @Content(mediaType = PEM, schema = @Schema(type = "string")))
    public HttpResponse<String> caCertificate() {
        return HttpResponse.ok(serving.caPem()).header("X-Fingerprint-Sha256", serving.caFingerprint());
    }
}
