package io.edgeplane.seedmanager.datacenter;

import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a Seed file and either returns the {@link Seed} or every problem in it, each with file,
 * line and field. Checks run in layers: YAML syntax and duplicate keys, then the JSON Schema, then
 * the rules in {@link SeedSemanticChecks}. Stateless and thread-safe.
 */
@Singleton
public class SeedParser {

    private final SeedSchema schema;

    public SeedParser() {
        this.schema = SeedSchema.fromClasspath();
    }

    /** Parses the file; problems name it as given (e.g. {@code datacenters/seed.yaml}). */
    public SeedParseResult parse(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return unreadable(file.toString(), e);
        }
        return parse(content, file.toString());
    }

    /** Parses raw file content; {@code fileName} is only used to label problems. */
    public SeedParseResult parse(byte[] content, String fileName) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return SeedParseResult.invalid(List.of(new SeedProblem(fileName, 0, FieldPath.ROOT, "the file is not UTF-8 text")));
        }
        return parse(text, fileName);
    }

    /** Parses Seed YAML text; {@code fileName} is only used to label problems. */
    public SeedParseResult parse(String text, String fileName) {
        YamlTree tree = YamlTree.parse(text, fileName);
        ProblemList problems = new ProblemList(fileName, tree.lines());
        problems.addAll(tree.problems());
        if (tree.root() != null) {
            schema.validate(tree.root(), problems);
            SeedSemanticChecks.check(tree.root(), problems);
        }
        return problems.isEmpty()
                ? SeedParseResult.valid(SeedBinder.bind(tree.root()))
                : SeedParseResult.invalid(problems.toList());
    }

    /** A result for a file that could not be read at all, e.g. because it does not exist. */
    static SeedParseResult unreadable(String fileName, IOException cause) {
        String reason;
        if (cause instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (cause instanceof AccessDeniedException) {
            reason = "permission denied";
        } else {
            reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return SeedParseResult.invalid(List.of(new SeedProblem(fileName, 0, FieldPath.ROOT, "cannot read the file: " + reason)));
    }
}
