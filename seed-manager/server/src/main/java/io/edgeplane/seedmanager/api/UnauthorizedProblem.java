package io.edgeplane.seedmanager.api;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents that an operation (or every operation of a controller) needs the bearer token: it declares the
 * {@code bearer} security requirement and the 401 answered without a valid token (missing, unknown, expired
 * or revoked). Operations without it, such as the artifact mirror's, are open.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@SecurityRequirement(name = BearerAuthFilter.SECURITY_SCHEME)
@ApiResponse(responseCode = "401", description = "no valid bearer token: missing, unknown, expired or revoked",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface UnauthorizedProblem {
}
