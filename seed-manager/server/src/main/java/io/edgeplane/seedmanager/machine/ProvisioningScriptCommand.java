package io.edgeplane.seedmanager.machine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one line a person pastes into a root shell on a device to provision it from a one-time link. In a subshell, so
 * the person's shell keeps its options and traps: a private temporary directory (removed on exit, taking the script
 * and its bootstrap token with it), the seed manager's CA written there from the line itself (the device trusts
 * nothing yet; never {@code curl -k}), the download verified against that CA only, retried while the seed answers
 * 503 (curl honours Retry-After) or cannot be reached yet, and run with bash only when it arrived whole
 * ({@code --fail}: an error answer is never run). Nothing in it is specific to tests: a test may replace {@code bash}
 * on the PATH to see what would run.
 */
final class ProvisioningScriptCommand {
    /** How long curl keeps retrying 503s and refused connections, in seconds; the default link lifetime. */
    static final int RETRY_MAX_SECONDS = 900;

    private ProvisioningScriptCommand() {
    }

    static String render(String url, String caPem) {
        String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        return "(set -eu; d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT; "
                + "echo " + quote(ca) + " | base64 -d >\"$d/ca.pem\"; "
                + "curl -fsS --proto '=https' --cacert \"$d/ca.pem\" --retry 60 --retry-connrefused --retry-max-time "
                + RETRY_MAX_SECONDS + " -o \"$d/provision.sh\" " + quote(url) + "; "
                + "bash \"$d/provision.sh\")";
    }

    /** One shell word, single-quoted. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
