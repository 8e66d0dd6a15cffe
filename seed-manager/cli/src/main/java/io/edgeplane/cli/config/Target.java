package io.edgeplane.cli.config;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.http.Fingerprint;
import io.edgeplane.cli.http.ServerTrust;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The server a command talks to, resolved from the command line, the environment and the config file.
 *
 * @param context the context it came from, if any
 */
public record Target(URI server, String token, ServerTrust trust, Optional<Context> context) {

    @Override
    public String toString() {
        return "Target[" + server + "]";
    }

    /**
     * {@code --server} beats {@code EDGEPLANE_SERVER} beats the context; {@code EDGEPLANE_TOKEN} beats the context.
     * A context's token and trust only go to the context's own server, never to one named on the command line.
     */
    public static Target resolve(CliConfig config, Map<String, String> env, String contextFlag, String serverFlag) {
        Optional<Context> context = selectContext(config, env, contextFlag);
        String server = firstOf(serverFlag, env.get("EDGEPLANE_SERVER"), context.map(Context::server).orElse(null));
        if (server == null) {
            throw new CliFailure(ExitCode.USAGE,
                    "no server: run 'edgeplane login <server-url>' or set EDGEPLANE_SERVER");
        }
        URI uri = serverUri(server);
        Optional<Context> sameServer = context.filter(c -> c.server() != null && serverUri(c.server()).equals(uri));
        String token = firstOf(env.get("EDGEPLANE_TOKEN"), sameServer.map(Context::token).orElse(null));
        if (token == null) {
            throw new CliFailure(ExitCode.USAGE, "no token for " + uri + ": run 'edgeplane login " + uri + "' or set EDGEPLANE_TOKEN");
        }
        return new Target(uri, token, trust(sameServer), context);
    }

    public static URI serverUri(String server) {
        URI uri;
        try {
            uri = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.USAGE, "not a server URL: " + server);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CliFailure(ExitCode.USAGE, "not a server URL (http:// or https://host[:port]): " + server);
        }
        return uri;
    }

    public static ServerTrust trust(Optional<Context> context) {
        if (context.map(Context::certificateFingerprint).isPresent()) {
            return ServerTrust.pinned(Fingerprint.parse(context.get().certificateFingerprint()));
        }
        if (context.map(Context::certificateAuthority).isPresent()) {
            return ServerTrust.certificateAuthority(Path.of(context.get().certificateAuthority()));
        }
        return ServerTrust.system();
    }

    public static Optional<Context> selectContext(CliConfig config, Map<String, String> env, String contextFlag) {
        String name = firstOf(contextFlag, env.get("EDGEPLANE_CONTEXT"), config.currentContext());
        if (name == null) {
            return Optional.empty();
        }
        Optional<Context> context = config.context(name);
        if (context.isEmpty() && (contextFlag != null || env.get("EDGEPLANE_CONTEXT") != null)) {
            throw new CliFailure(ExitCode.USAGE, "no context named '" + name + "'; see 'edgeplane config get-contexts'");
        }
        return context;
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
