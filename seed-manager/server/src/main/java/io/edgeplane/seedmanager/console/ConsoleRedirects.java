package io.edgeplane.seedmanager.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;

/** The service's root leads to the console: what a person opening the seed manager's address wants. */
@Controller
@Hidden
public class ConsoleRedirects {
    @Get("/")
    public HttpResponse<?> root() {
        return HttpResponse.seeOther(URI.create(ConsolePaths.ROOT));
    }
}
