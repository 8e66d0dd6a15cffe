package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.output.Column;
import io.edgeplane.cli.output.OutputFormat;
import io.edgeplane.cli.output.Printer;
import io.edgeplane.cli.output.Progress;
import io.edgeplane.cli.watch.ServerEvent;
import io.edgeplane.cli.watch.Watch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/** {@code list -w} and {@code --wait}, both on the API's watch of a list. */
final class Watching {

    /** What a wait makes of the object's latest state. */
    enum Verdict { WAIT, DONE, FAILED }

    private Watching() {
    }

    /**
     * Prints every object of the list, then every change, until interrupted or {@code timeout} passes: a table row
     * each, or one {@code {"type": ..., "object": ...}} per line (JSON) or document (YAML).
     */
    static int follow(Cli cli, String path, Predicate<JsonNode> shown, List<Column> columns, Duration timeout) {
        Printer printer = cli.printer();
        cli.watch().follow(path, Map.of(), timeout, event -> {
            if (event.isChange()) {
                JsonNode object = cli.json(event.data());
                if (shown.test(object)) {
                    if (printer.format() == OutputFormat.JSON || printer.format() == OutputFormat.YAML) {
                        ObjectNode change = JsonNodeFactory.instance.objectNode().put("type", event.type());
                        change.set("object", object);
                        printer.change(change, columns);
                    } else {
                        printer.change(object, columns);
                    }
                }
            }
            return true;
        });
        return ExitCode.OK.status();
    }

    /**
     * Waits until {@code verdict} says the object {@code name} of the list is done (returned) or failed (exit code 1),
     * showing {@code status} on a terminal meanwhile.
     */
    static JsonNode until(Cli cli, String path, String name, Duration timeout, Function<JsonNode, Verdict> verdict,
                          Function<JsonNode, String> status) {
        Progress progress = cli.progress();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        AtomicReference<Verdict> outcome = new AtomicReference<>(Verdict.WAIT);
        Watch.Outcome result = cli.watch().follow(path, Map.of(), timeout, event -> {
            if (!event.isChange()) {
                return true;
            }
            JsonNode object = cli.json(event.data());
            if (!name.equals(object.path("name").asText())) {
                return true;
            }
            last.set(object);
            if (ServerEvent.DELETED.equals(event.type())) {
                outcome.set(Verdict.FAILED);
                return false;
            }
            Verdict now = verdict.apply(object);
            progress.show(status.apply(object));
            outcome.set(now);
            return now == Verdict.WAIT;
        });
        JsonNode object = last.get();
        String seen = object == null ? "not seen" : status.apply(object);
        if (result == Watch.Outcome.TIMED_OUT) {
            progress.done(seen);
            throw new CliFailure(ExitCode.TIMEOUT, "gave up waiting for " + name + " after " + timeout.toSeconds() + " s: " + seen);
        }
        progress.done(seen);
        if (outcome.get() == Verdict.FAILED) {
            throw new CliFailure(ExitCode.FAILED, name + (object == null ? " is gone" : " failed: " + seen));
        }
        return object;
    }

    /** Waits until the object {@code name} is gone from the list. */
    static void untilGone(Cli cli, String path, String name, Duration timeout, Function<JsonNode, String> status) {
        Progress progress = cli.progress();
        AtomicReference<String> seen = new AtomicReference<>("not listed");
        AtomicReference<Boolean> listed = new AtomicReference<>(false);
        AtomicReference<Boolean> failed = new AtomicReference<>(false);
        Watch.Outcome result = cli.watch().follow(path, Map.of(), timeout, event -> {
            if (ServerEvent.BOOKMARK.equals(event.type()) && !listed.get()) {
                // The initial listing is over and did not contain it: it is gone already.
                return false;
            }
            if (!event.isChange()) {
                return true;
            }
            JsonNode object = cli.json(event.data());
            if (!name.equals(object.path("name").asText())) {
                return true;
            }
            listed.set(true);
            if (ServerEvent.DELETED.equals(event.type())) {
                return false;
            }
            seen.set(status.apply(object));
            progress.show(seen.get());
            if (object.path("phase").asText().equals("Failed")) {
                failed.set(true);
                return false;
            }
            return true;
        });
        progress.done(failed.get() ? seen.get() : "deleted");
        if (failed.get()) {
            throw new CliFailure(ExitCode.FAILED, "deleting " + name + " failed: " + seen.get());
        }
        if (result == Watch.Outcome.TIMED_OUT) {
            throw new CliFailure(ExitCode.TIMEOUT, "gave up waiting for " + name + " to be deleted after " + timeout.toSeconds() + " s: " + seen.get());
        }
    }
}
