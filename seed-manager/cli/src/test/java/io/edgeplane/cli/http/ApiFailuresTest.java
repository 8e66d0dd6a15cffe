package io.edgeplane.cli.http;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.ApiException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ApiFailuresTest {

    private static final URI SERVER = URI.create("http://seed:8080");

    private static CliFailure answer(int status, String body) {
        ApiException e = new ApiException(status, "call failed", HttpHeaders.of(Map.of(), (a, b) -> true), body);
        return ApiFailures.translate(e, SERVER, List.of());
    }

    @Test
    void aValidationProblemListsEveryFieldPath() {
        CliFailure failure = answer(422, """
                {"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"request body has invalid fields",
                 "errors":[{"field":"nodeHealth.gracePeriodSeconds","message":"must be between 10 and 3600"},
                           {"field":"workloads[0].config.port","message":"must be an integer"}]}""");

        assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(failure.getMessage()).isEqualTo("""
                422 Unprocessable Entity: request body has invalid fields
                  nodeHealth.gracePeriodSeconds: must be between 10 and 3600
                  workloads[0].config.port: must be an integer""");
    }

    @Test
    void statusesMapToExitCodes() {
        String problem = "{\"title\":\"x\",\"status\":%d}";
        assertThat(answer(404, problem.formatted(404)).exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(answer(409, problem.formatted(409)).exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(answer(403, problem.formatted(403)).exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(answer(400, problem.formatted(400)).exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(answer(503, problem.formatted(503)).exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(ExitCode.REFUSED.status()).isEqualTo(3);
        assertThat(ExitCode.NOT_FOUND.status()).isEqualTo(4);
        assertThat(ExitCode.UNREACHABLE.status()).isEqualTo(5);
    }

    @Test
    void aRefusedTokenSaysHowToLogInAgain() {
        assertThat(answer(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"missing or invalid bearer token\"}").getMessage())
                .startsWith("401 Unauthorized: missing or invalid bearer token")
                .contains("edgeplane login");
    }

    @Test
    void aBodyThatIsNoProblemIsShownAsItIs() {
        assertThat(answer(502, "upstream timed out").getMessage()).isEqualTo("502: upstream timed out");
        assertThat(answer(404, "").getMessage()).isEqualTo("404");
    }

    @Test
    void anAnswerThatCannotBeReadIsAFailureNotAnUnreachableServer() {
        CliFailure failure = ApiFailures.translate(new ApiException(new IOException("Failed deserialization for X")), SERVER, List.of());

        assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(failure.getMessage()).startsWith("cannot read the answer of http://seed:8080");
    }

    @Test
    void aConnectionFailureIsUnreachable() {
        CliFailure failure = ApiFailures.translate(new ApiException(new ConnectException("Connection refused")), SERVER, List.of());

        assertThat(failure.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(failure.getMessage()).isEqualTo("cannot reach http://seed:8080: connection refused or unreachable");
    }
}
