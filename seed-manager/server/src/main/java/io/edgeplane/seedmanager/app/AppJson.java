package io.edgeplane.seedmanager.app;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON spec column of an app version, read and written in one place. */
@Singleton
public class AppJson {
    private final ObjectMapper json;

    public AppJson(ObjectMapper json) {
        this.json = json;
    }

    public AppSpec spec(App app) {
        try {
            return json.readValue(app.spec(), Argument.of(AppSpec.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec of app " + app.project() + "/" + app.name() + " " + app.version(), e);
        }
    }

    public String write(AppSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
