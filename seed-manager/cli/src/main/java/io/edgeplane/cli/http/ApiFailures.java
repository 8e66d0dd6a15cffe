package io.edgeplane.cli.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.ApiException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Turns what the generated client throws into one clear message and the exit code a script can act on. */
public final class ApiFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiFailures() {
    }

    public static CliFailure translate(ApiException e, URI server, List<X509Certificate> presentedChain) {
        if (e.getCode() == 0) {
            return unreachable(e.getCause() == null ? e : e.getCause(), server, presentedChain);
        }
        return refusal(e.getCode(), e.getResponseBody(), e);
    }

    public static CliFailure refusal(int status, String body, Throwable cause) {
        ExitCode code = status == 404 ? ExitCode.NOT_FOUND : status >= 500 ? ExitCode.FAILED : ExitCode.REFUSED;
        return new CliFailure(code, renderProblem(status, body), cause);
    }

    /** Renders an {@code application/problem+json} body: title and detail on one line, then one line per bad field. */
    public static String renderProblem(int status, String body) {
        JsonNode problem = parse(body);
        StringBuilder text = new StringBuilder();
        text.append(status);
        String title = problem.path("title").asText("");
        String detail = problem.path("detail").asText("");
        if (!title.isEmpty()) {
            text.append(' ').append(title);
        }
        if (!detail.isEmpty() && !detail.equals(title)) {
            text.append(": ").append(detail);
        }
        if (title.isEmpty() && detail.isEmpty() && body != null && !body.isBlank() && problem.isMissingNode()) {
            text.append(": ").append(body.strip());
        }
        for (JsonNode error : problem.path("errors")) {
            String field = error.path("field").asText("");
            text.append(System.lineSeparator()).append("  ")
                    .append(field.isEmpty() ? "" : field + ": ")
                    .append(error.path("message").asText(""));
        }
        if (status == 401) {
            text.append(System.lineSeparator()).append("  (the token was refused: run 'edgeplane login' again or check EDGEPLANE_TOKEN)");
        }
        return text.toString();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : JSON.missingNode();
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    public static CliFailure unreachable(Throwable cause, URI server, List<X509Certificate> presentedChain) {
        if (cause instanceof SSLException) {
            StringBuilder text = new StringBuilder("TLS with ").append(server).append(" failed: ").append(cause.getMessage());
            if (!presentedChain.isEmpty()) {
                text.append(System.lineSeparator()).append("  the server presented (verify out of band, then trust it with")
                        .append(" 'edgeplane login --certificate-authority FILE' or '--certificate-fingerprint'):");
                for (X509Certificate certificate : presentedChain) {
                    text.append(System.lineSeparator()).append("    ").append(certificate.getSubjectX500Principal().getName())
                            .append("  ").append(Fingerprint.of(certificate));
                }
            }
            return new CliFailure(ExitCode.UNREACHABLE, text.toString(), cause);
        }
        if (cause instanceof JacksonException || String.valueOf(cause.getMessage()).contains("deserialization")) {
            return new CliFailure(ExitCode.FAILED, "cannot read the answer of " + server + ": " + cause.getMessage(), cause);
        }
        String reason;
        if (cause instanceof ConnectException) {
            reason = "connection refused or unreachable";
        } else if (cause instanceof UnknownHostException) {
            reason = "unknown host";
        } else if (cause instanceof HttpTimeoutException) {
            reason = "timed out";
        } else if (cause instanceof InterruptedException) {
            return new CliFailure(ExitCode.FAILED, "interrupted", cause);
        } else {
            reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return new CliFailure(ExitCode.UNREACHABLE, "cannot reach " + server + ": " + reason, cause);
    }
}
