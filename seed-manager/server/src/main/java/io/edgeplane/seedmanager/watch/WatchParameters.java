package io.edgeplane.seedmanager.watch;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a list's watch parameters on the list method. The watch route is hidden from the document
 * instead of merged with the list: micronaut-openapi merges two routes' parameters through a hash set
 * and their media types in visiting order, so a merged operation changed between builds and generated
 * clients typed the list as text. The watch route binds (and checks) these same parameters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Parameter(name = "watch", in = ParameterIn.QUERY, description = WatchDocs.WATCH, schema = @Schema(type = "boolean"))
@Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = WatchDocs.LAST_EVENT_ID, schema = @Schema(type = "string"))
@Parameter(name = "resourceVersion", in = ParameterIn.QUERY, description = WatchDocs.RESOURCE_VERSION, schema = @Schema(type = "string"))
@Parameter(name = "since", in = ParameterIn.QUERY, description = WatchDocs.SINCE, schema = @Schema(type = "string"))
@Parameter(name = "timeoutSeconds", in = ParameterIn.QUERY, description = WatchDocs.TIMEOUT,
        schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "3600"))
public @interface WatchParameters {
}
