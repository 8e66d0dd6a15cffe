package io.edgeplane.seedmanager.machine;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisioningScriptCommandTest {
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIU\n-----END CERTIFICATE-----\n";
    private static final String URL = "https://seed.example.com:8443/provisioning-scripts/AbC_-09xyz";

    @Test
    void oneLineThatPinsTheCaDownloadsWholeAndThenRunsTheScript() {
        String command = ProvisioningScriptCommand.render(URL, CA);

        assertThat(command).doesNotContain("\n").startsWith("(set -eu; ").endsWith(")");
        assertThat(command).contains("d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT; ");
        assertThat(command).contains("curl -fsS --proto '=https' --cacert \"$d/ca.pem\" --retry 60 --retry-connrefused --retry-max-time 900 "
                + "-o \"$d/provision.sh\" '" + URL + "'; bash \"$d/provision.sh\")");
        assertThat(command).doesNotContain(" -k ", "--insecure", "Authorization");
        Matcher ca = Pattern.compile("echo '([A-Za-z0-9+/=]+)' \\| base64 -d >\"\\$d/ca.pem\"").matcher(command);
        assertThat(ca.find()).as(command).isTrue();
        assertThat(new String(Base64.getDecoder().decode(ca.group(1)), StandardCharsets.US_ASCII)).isEqualTo(CA);
        // The download comes before the run, so a failed download (curl -f) never runs anything.
        assertThat(command.indexOf("curl ")).isLessThan(command.indexOf("bash "));
    }

    @Test
    void aQuoteInTheUrlStaysInsideItsWord() {
        assertThat(ProvisioningScriptCommand.quote("https://h/it's")).isEqualTo("'https://h/it'\\''s'");
        assertThat(ProvisioningScriptCommand.render("https://h/it's", CA)).contains("-o \"$d/provision.sh\" 'https://h/it'\\''s';");
    }
}
