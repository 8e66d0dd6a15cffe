package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.ProjectsApi;
import io.edgeplane.cli.config.CliConfig;
import io.edgeplane.cli.config.ConfigFile;
import io.edgeplane.cli.config.Context;
import io.edgeplane.cli.config.Target;
import io.edgeplane.cli.http.ApiConnection;
import io.edgeplane.cli.http.ApiFailures;
import io.edgeplane.cli.http.Fingerprint;
import io.edgeplane.cli.api.ApiException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "login",
        description = {
                "Check a token against a seed manager and save both as a context (the current one from now on).",
                "The token is read from a file, from stdin, from $EDGEPLANE_TOKEN or, on a terminal, typed unseen; it is never printed.",
                "The config file is $XDG_CONFIG_HOME/edgeplane/config.yaml (else ~/.config/edgeplane/config.yaml), mode 0600."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane login http://localhost:8080 --token-file ~/.edgeplane/admin-token",
                "  vault read -field=token secret/edgeplane | edgeplane login https://seed.example.com --token-stdin \\",
                "      --certificate-authority seed-ca.pem --context prod",
                "  edgeplane login https://10.0.0.5:8443 --token-file t --certificate-fingerprint sha256:5f1c...e9",
                "  edgeplane --context prod login https://seed.example.com --token-stdin --project acme"})
public final class LoginCommand implements Callable<Integer> {

    private final Cli cli;

    @Parameters(index = "0", paramLabel = "SERVER", description = "Seed manager URL, e.g. http://localhost:8080")
    String server;

    @ArgGroup(exclusive = true)
    TokenSource tokenSource = new TokenSource();

    @Option(names = "--certificate-authority", paramLabel = "PEM_FILE",
            description = "CA (or self-signed certificate) that signed the server's HTTPS certificate.")
    Path certificateAuthority;

    @Option(names = "--certificate-fingerprint", paramLabel = "SHA256",
            description = "Pin a certificate of the server's chain by its SHA-256 fingerprint instead.")
    String fingerprint;

    @Option(names = "--project", paramLabel = "PROJECT", description = "Project the context's commands use by default.")
    String project;

    @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Cluster the context's commands use by default.")
    String cluster;

    static final class TokenSource {
        @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file.")
        Path file;

        @Option(names = "--token-stdin", description = "Read the token from stdin.")
        boolean stdin;
    }

    LoginCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        URI uri = Target.serverUri(server);
        if (certificateAuthority != null && fingerprint != null) {
            throw new CliFailure(ExitCode.USAGE, "give either --certificate-authority or --certificate-fingerprint, not both");
        }
        if (fingerprint != null) {
            try {
                Fingerprint.parse(fingerprint);
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCode.USAGE, "--certificate-fingerprint: " + e.getMessage());
            }
        }
        if ("http".equals(uri.getScheme()) && (certificateAuthority != null || fingerprint != null)) {
            throw new CliFailure(ExitCode.USAGE, "a certificate only applies to an https:// server");
        }
        String name = cli.options().context() != null ? cli.options().context() : defaultName(uri);
        Context context = new Context(name, uri.toString(), readToken(),
                certificateAuthority == null ? null : certificateAuthority.toAbsolutePath().toString(),
                fingerprint == null ? null : Fingerprint.parse(fingerprint).toString(), project, cluster);
        verify(context);

        ConfigFile file = cli.configFile();
        CliConfig config = file.load().withContext(context).withCurrentContext(name);
        file.save(config);
        cli.err().println("Logged in to " + uri + "; context '" + name + "' saved in " + file.path() + " and made current.");
        return ExitCode.OK.status();
    }

    /** Every valid token may list the projects it sees, so this proves server, trust and token without changing anything. */
    private void verify(Context context) {
        Target target = new Target(URI.create(context.server()), context.token(), Target.trust(Optional.of(context)), Optional.of(context));
        ApiConnection connection = new ApiConnection(target, "edgeplane-cli");
        try {
            new ProjectsApi(connection.client()).listProjects(1, null);
        } catch (ApiException e) {
            throw ApiFailures.translate(e, target.server(), target.trust().lastPresentedChain());
        }
    }

    private String readToken() {
        String token;
        if (tokenSource.file != null) {
            token = read(tokenSource.file);
        } else if (tokenSource.stdin) {
            token = read(cli.in());
        } else if (cli.env().get("EDGEPLANE_TOKEN") != null) {
            token = cli.env().get("EDGEPLANE_TOKEN");
        } else {
            token = prompt();
        }
        token = token.strip();
        if (token.isEmpty() || token.contains("\n")) {
            throw new CliFailure(ExitCode.USAGE, "the token must be one non-empty line");
        }
        return token;
    }

    private String prompt() {
        Console console = System.console();
        if (!cli.interactive() || console == null) {
            throw new CliFailure(ExitCode.USAGE, "no token: pass --token-file FILE or --token-stdin, or set EDGEPLANE_TOKEN");
        }
        char[] typed = console.readPassword("Token: ");
        if (typed == null) {
            throw new CliFailure(ExitCode.USAGE, "no token typed");
        }
        return new String(typed);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the token from stdin: " + e.getMessage(), e);
        }
    }

    static String defaultName(URI server) {
        return server.getPort() < 0 ? server.getHost() : server.getHost() + "-" + server.getPort();
    }
}
