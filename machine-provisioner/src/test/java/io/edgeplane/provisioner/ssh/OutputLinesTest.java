package io.edgeplane.provisioner.ssh;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OutputLinesTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void bytesBecomeLinesWithoutTheirLineEnds() {
        OutputLines output = new OutputLines(Redactor.of(Set.of()), lines::add);

        write(output, "one\ntwo\r\n\nthree");
        assertThat(lines).containsExactly("one", "two", "");
        output.close();

        assertThat(lines).containsExactly("one", "two", "", "three");
    }

    @Test
    void aCharacterSplitAcrossWritesIsDecodedWhole() {
        OutputLines output = new OutputLines(Redactor.of(Set.of()), lines::add);

        for (byte b : "grüße ✓\n".getBytes(StandardCharsets.UTF_8)) {
            output.write(b);
        }

        assertThat(lines).containsExactly("grüße ✓");
    }

    @Test
    void secretsAreMaskedLongestFirst() {
        OutputLines output = new OutputLines(Redactor.of(Set.of("abc", "abcdef"), List.of("pa55")), lines::add);

        write(output, "token abcdef, short abc, password pa55pa55\n");

        assertThat(lines).containsExactly("token ***, short ***, password ******");
    }

    @Test
    void aLongLineIsPassedOnInPartsThatNeverCutASecret() {
        String secret = "s3cr3t-bootstrap-token";
        OutputLines output = new OutputLines(Redactor.of(Set.of(secret)), lines::add);
        // A secret every 1000 characters, so that one straddles every possible cut.
        StringBuilder line = new StringBuilder();
        while (line.length() < 3 * OutputLines.MAX_LINE_BYTES) {
            line.append("x".repeat(1000 - secret.length())).append(secret);
        }

        write(output, line + "\n");

        assertThat(lines).hasSizeGreaterThan(2).allSatisfy(part -> {
            assertThat(part).doesNotContain(secret);
            assertThat(part.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(OutputLines.MAX_LINE_BYTES);
            // No fragment of the secret at a cut either.
            assertThat(part).doesNotEndWith(secret.substring(0, 5)).doesNotStartWith(secret.substring(secret.length() - 5));
        });
        assertThat(String.join("", lines)).isEqualTo(line.toString().replace(secret, "***"));
    }

    @Test
    void safePrefixStopsBeforeASecretThatMayStillBeArriving() {
        Redactor redactor = Redactor.of(Set.of("secret"));

        assertThat(redactor.safePrefix("abcdefgh")).isEqualTo(3);
        assertThat(redactor.safePrefix("abcdsecret")).as("a whole secret is held back too").isEqualTo(4);
        assertThat(redactor.safePrefix("abcdefsecre")).isEqualTo(6);
        assertThat(Redactor.of(Set.of()).safePrefix("abc")).isEqualTo(3);
    }

    private static void write(OutputLines output, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        output.write(bytes, 0, bytes.length);
    }
}
