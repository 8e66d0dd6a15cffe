package io.edgeplane.seedmanager.console;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** The web console from the seed manager's own jar: its files, its browser protections, and who a token is. */
class ConsoleServingIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern BUNDLE = Pattern.compile("<script type=\"module\" crossorigin src=\"(/console/assets/[^\"]+\\.js)\"></script>");

    @TempDir
    Path dir;

    @Test
    void theConsoleIsServedWithAPolicyThatForbidsInlineScripts() throws Exception {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            HttpResponse<String> root = get(seed, "/");
            assertThat(root.statusCode()).isEqualTo(303);
            assertThat(root.headers().firstValue("Location")).hasValue("/console/");

            assertThat(get(seed, "/console").statusCode()).isEqualTo(200);
            HttpResponse<String> index = get(seed, "/console/");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(index.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHeadersFilter.CONTENT_SECURITY_POLICY);
            assertThat(ConsoleHeadersFilter.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(index.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(index.body()).as("no inline script in the page")
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");

            Matcher bundle = BUNDLE.matcher(index.body());
            assertThat(bundle.find()).as(index.body()).isTrue();
            HttpResponse<String> script = get(seed, bundle.group(1));
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
            assertThat(script.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        }
    }

    @Test
    void whoAmISaysWhatTheTokenMayDo() {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            assertThat(seed.get(null, "/api/v1/whoami").status()).isEqualTo(401);
            assertThat(seed.get(ADMIN_TOKEN, "/api/v1/whoami").json().get("role").asText()).isEqualTo("admin");

            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
            var viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"viewer\"}").json();
            var identity = seed.get(viewer.get("token").asText(), "/api/v1/whoami").json();
            assertThat(identity.get("role").asText()).isEqualTo("viewer");
            assertThat(identity.get("project").asText()).isEqualTo("acme");
            assertThat(identity.get("subject").asText()).isEqualTo("token:" + viewer.get("id").asText());
        }
    }

    private static HttpResponse<String> get(SeedManagerInstance seed, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(seed.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
