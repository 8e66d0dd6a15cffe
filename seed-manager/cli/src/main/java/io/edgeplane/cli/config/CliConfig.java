package io.edgeplane.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The contents of the config file: the contexts and which one is current. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliConfig(@JsonProperty("current-context") String currentContext, List<Context> contexts) {

    public static final CliConfig EMPTY = new CliConfig(null, List.of());

    public CliConfig {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    public Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Adds the context, or replaces the one with the same name in place. */
    public CliConfig withContext(Context context) {
        List<Context> next = new ArrayList<>(contexts);
        int at = indexOf(context.name());
        if (at < 0) {
            next.add(context);
        } else {
            next.set(at, context);
        }
        return new CliConfig(currentContext, next);
    }

    public CliConfig withoutContext(String name) {
        List<Context> next = new ArrayList<>(contexts);
        next.removeIf(c -> c.name().equals(name));
        return new CliConfig(name.equals(currentContext) ? null : currentContext, next);
    }

    public CliConfig withCurrentContext(String name) {
        return new CliConfig(name, contexts);
    }

    private int indexOf(String name) {
        for (int i = 0; i < contexts.size(); i++) {
            if (contexts.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
