package io.edgeplane.seedmanager.watch;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents the 200 of a watch route: the event stream (micronaut-openapi merges it with the list's JSON page). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ApiResponse(responseCode = "200", description = "the list; with watch=true, its stream of server-sent events",
        content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS)))
public @interface WatchStreamResponse {
}
