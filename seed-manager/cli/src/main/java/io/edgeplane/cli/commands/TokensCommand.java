package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.TokensApi;
import io.edgeplane.cli.api.model.CreateProjectTokenRequest;
import io.edgeplane.cli.api.model.TokenRole;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "tokens", aliases = "token",
        synopsisSubcommandLabel = "COMMAND",
        description = "A project's API tokens: owner (changes the project) or viewer (reads it).",
        subcommands = {TokensCommand.ListTokens.class, TokensCommand.CreateToken.class, TokensCommand.RevokeToken.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane tokens create -p acme --role owner --description ci --expires-in 30d",
                "  edgeplane tokens list -p acme",
                "  edgeplane tokens revoke -p acme 3f2a..."})
public final class TokensCommand extends GroupCommand {

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Id", "id"),
                Column.field("Role", "role"),
                Column.field("Description", "description"),
                Column.field("Expires", "expiresAt"),
                Column.field("Revoked", "revokedAt"),
                Column.field("Created by", "createdBy").wideOnly(),
                Column.age("Age", "createdAt", cli.clock()));
    }

    @Command(name = "list", aliases = "ls", description = "List a project's tokens (never their secrets).",
            footerHeading = "%nExamples:%n", footer = "  edgeplane tokens list -p acme -o wide")
    static final class ListTokens implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Option(names = "--limit", paramLabel = "N", description = "At most N tokens (default: all).")
        Integer limit;

        ListTokens(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String name = project.project(cli);
            TokensApi api = new TokensApi(cli.client());
            List<JsonNode> tokens = Pages.all(cli, limit, (l, c) -> api.listProjectTokens(name, l, c));
            cli.printer().list(tokens, columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "create", description = {"Issue a project token. Its secret is shown this once:",
            "in the TOKEN column, or as .token with -o json."},
            footerHeading = "%nExamples:%n",
            footer = {
                    "  edgeplane tokens create -p acme --role viewer --description dashboard",
                    "  OWNER=$(edgeplane tokens create -p acme --role owner -o json | jq -r .token)"})
    static final class CreateToken implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "owner or viewer.")
        TokenRole role;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--expires-at", paramLabel = "RFC3339", description = "When it stops working, e.g. 2030-01-31T12:00:00Z.")
        String expiresAt;

        @Option(names = "--expires-in", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Or how long it works: 12h, 30d (default: 24h).")
        Duration expiresIn;

        CreateToken(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            CreateProjectTokenRequest request = new CreateProjectTokenRequest().role(role).description(description).expiresAt(expiry());
            String name = project.project(cli);
            Object token = cli.call(() -> new TokensApi(cli.client()).createProjectToken(name, request));
            List<Column> columns = new ArrayList<>(columns(cli).subList(0, 4));
            columns.add(Column.field("Token", "token"));
            cli.printer().object(token, columns);
            return ExitCode.OK.status();
        }

        private OffsetDateTime expiry() {
            if (expiresAt != null && expiresIn != null) {
                throw new CliFailure(ExitCode.USAGE, "give --expires-at or --expires-in, not both");
            }
            if (expiresAt != null) {
                try {
                    return OffsetDateTime.parse(expiresAt);
                } catch (DateTimeParseException e) {
                    throw new CliFailure(ExitCode.USAGE, "--expires-at: not an RFC 3339 time: " + expiresAt);
                }
            }
            if (expiresIn != null) {
                return OffsetDateTime.ofInstant(cli.clock().instant().plus(expiresIn), ZoneOffset.UTC);
            }
            return null;
        }
    }

    @Command(name = "revoke", description = "Revoke a token at once.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane tokens revoke -p acme 6a1f0c2e-...")
    static final class RevokeToken implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "ID")
        String id;

        RevokeToken(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String name = project.project(cli);
            cli.call(() -> {
                new TokensApi(cli.client()).revokeProjectToken(name, id);
                return null;
            });
            cli.err().println("token " + id + " revoked");
            return ExitCode.OK.status();
        }
    }
}
