package io.edgeplane.seedmanager.watch;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents the provisioning log's follow parameters on the log method; see {@link WatchParameters} for why. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Parameter(name = "watch", in = ParameterIn.QUERY, description = WatchDocs.FOLLOW, schema = @Schema(type = "boolean"))
@Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = WatchDocs.LAST_EVENT_ID, schema = @Schema(type = "string"))
@Parameter(name = "timeoutSeconds", in = ParameterIn.QUERY, description = WatchDocs.TIMEOUT,
        schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "3600"))
public @interface FollowParameters {
}
