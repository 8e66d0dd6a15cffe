package io.edgeplane.seedmanager.persistence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * During a rolling upgrade the previous release's replicas run on the schema the new release
 * migrated, so every change set only adds: a column, table or index leaves in a later release than
 * the one that stopped using it, and a new column either may be null or has a default.
 */
class SchemaChangesTest {
    private static final Path CHANGES = Path.of("src/main/resources/db/changelog/changes");
    private static final List<Rule> RULES = List.of(
            new Rule("drops", Pattern.compile("\\bDROP\\s+(TABLE|COLUMN|INDEX|VIEW|TYPE|CONSTRAINT|SEQUENCE)\\b")),
            new Rule("renames", Pattern.compile("\\bRENAME\\b")),
            new Rule("changes a column's type", Pattern.compile("\\bALTER\\s+COLUMN\\s+\\w+\\s+(SET\\s+DATA\\s+)?TYPE\\b")),
            new Rule("makes a column required", Pattern.compile("\\bALTER\\s+COLUMN\\s+\\w+\\s+SET\\s+NOT\\s+NULL\\b")),
            new Rule("adds a required column without a default",
                    Pattern.compile("\\bADD\\s+COLUMN\\s+(IF\\s+NOT\\s+EXISTS\\s+)?\\w+\\s+[^,;]*\\bNOT\\s+NULL\\b(?![^,;]*\\bDEFAULT\\b)")));

    @Test
    void everyChangeSetOnlyAddsToTheSchema() throws IOException {
        List<String> breaking = new ArrayList<>();
        try (Stream<Path> files = Files.list(CHANGES)) {
            for (Path file : files.sorted().toList()) {
                String sql = withoutComments(Files.readString(file)).toUpperCase(Locale.ROOT);
                for (Rule rule : RULES) {
                    if (rule.pattern().matcher(sql).find()) {
                        breaking.add(file.getFileName() + " " + rule.what());
                    }
                }
            }
        }
        assertThat(breaking).as("change sets the previous release could not run on").isEmpty();
    }

    @Test
    void theRulesCatchWhatWouldBreakThePreviousRelease() {
        assertThat(broken("ALTER TABLE clusters DROP COLUMN phase;")).containsExactly("drops");
        assertThat(broken("ALTER TABLE clusters RENAME COLUMN phase TO state;")).containsExactly("renames");
        assertThat(broken("ALTER TABLE clusters ALTER COLUMN version TYPE INT;")).containsExactly("changes a column's type");
        assertThat(broken("ALTER TABLE clusters ALTER COLUMN version SET NOT NULL;")).containsExactly("makes a column required");
        assertThat(broken("ALTER TABLE clusters ADD COLUMN zone TEXT NOT NULL;")).containsExactly("adds a required column without a default");
        assertThat(broken("ALTER TABLE clusters ADD COLUMN zone TEXT NOT NULL DEFAULT 'a';")).isEmpty();
        assertThat(broken("ALTER TABLE clusters ADD COLUMN zone TEXT;")).isEmpty();
        assertThat(broken("CREATE TABLE t (id TEXT NOT NULL);\n-- DROP TABLE t in a later release")).isEmpty();
    }

    private static List<String> broken(String sql) {
        String upper = withoutComments(sql).toUpperCase(Locale.ROOT);
        return RULES.stream().filter(r -> r.pattern().matcher(upper).find()).map(Rule::what).toList();
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("--[^\\n]*", "");
    }

    private record Rule(String what, Pattern pattern) {
    }
}
