package io.edgeplane.seedmanager.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The caller's own identity: what a client shows after sign-in, and a cheap check that a token works. */
@Controller("/api/v1/whoami")
@Tag(name = "auth")
@UnauthorizedProblem
public class WhoAmIController {
    @Get
    @Operation(operationId = "whoAmI", summary = "Who the presented token is: its subject, role and project")
    public Identity get(Caller caller) {
        return Identity.of(caller);
    }
}
