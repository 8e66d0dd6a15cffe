package io.edgeplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.api.ApiClient;
import io.edgeplane.cli.api.ApiException;
import io.edgeplane.cli.config.ConfigFile;
import io.edgeplane.cli.config.Target;
import io.edgeplane.cli.http.ApiConnection;
import io.edgeplane.cli.http.ApiFailures;
import io.edgeplane.cli.input.Manifests;
import io.edgeplane.cli.output.Printer;
import io.edgeplane.cli.output.Progress;
import io.edgeplane.cli.watch.Watch;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;

/**
 * What every command needs from its surroundings: the streams, the environment, the config file, the global
 * options and, once a command asks for it, the connection to the seed manager. Tests build one with their own.
 */
public final class Cli {

    private final Map<String, String> env;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private final Clock clock;
    private final GlobalOptions options = new GlobalOptions();
    private ApiConnection connection;

    public Cli(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, boolean interactive, Clock clock) {
        this.env = Map.copyOf(env);
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.clock = clock;
    }

    public Map<String, String> env() {
        return env;
    }

    public InputStream in() {
        return in;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean interactive() {
        return interactive;
    }

    public Clock clock() {
        return clock;
    }

    public GlobalOptions options() {
        return options;
    }

    public ConfigFile configFile() {
        return ConfigFile.locate(env);
    }

    public ApiConnection connection() {
        if (connection == null) {
            ConfigFile file = configFile();
            if (file.readableByOthers()) {
                err.println("warning: " + file.path() + " holds tokens and is readable by others; run: chmod 600 " + file.path());
            }
            Target target = Target.resolve(file.load(), env, options.context(), options.server());
            connection = new ApiConnection(target, "edgeplane-cli/" + VersionProvider.version());
        }
        return connection;
    }

    /** The generated client, pointed at the resolved server. */
    public ApiClient client() {
        return connection().client();
    }

    /** Runs one call of the generated client, turning its failures into messages and exit codes. */
    public <T> T call(ApiCall<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            ApiConnection current = connection();
            throw ApiFailures.translate(e, current.target().server(), current.target().trust().lastPresentedChain());
        }
    }

    public Watch watch() {
        return new Watch(connection(), clock);
    }

    public Manifests manifests() {
        return new Manifests(in);
    }

    /** A JSON body the generated client returned as text (see {@code BodyMapper}), read as JSON. */
    public JsonNode json(String body) {
        try {
            return ApiClient.createDefaultObjectMapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCode.FAILED, "the server answered something that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public Printer printer() {
        return new Printer(out, err, options.output(), ApiClient.createDefaultObjectMapper());
    }

    public Progress progress() {
        return new Progress(err, interactive);
    }

    @FunctionalInterface
    public interface ApiCall<T> {
        T call() throws ApiException;
    }
}
