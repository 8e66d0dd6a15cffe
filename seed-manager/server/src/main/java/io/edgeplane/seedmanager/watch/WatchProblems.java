package io.edgeplane.seedmanager.watch;

import io.edgeplane.seedmanager.api.Problem;
import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents a list operation's watch: the event stream of its 200, and the 410 and 503 only a watch answers. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ApiResponse(responseCode = "200", description = "the list; with watch=true, its stream of server-sent events",
        content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS)))
@ApiResponse(responseCode = "410", description = WatchDocs.GONE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = WatchDocs.BUSY,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public @interface WatchProblems {
}
