package io.edgeplane.testbed.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRegistryIT {
    private static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.index.v1+json");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void testImagesArePushedAsLinuxImagesOfThisArchitecture() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start("127.0.0.1")) {
            long started = System.nanoTime();
            String helloHttp = TestImages.helloHttp(registry);
            long helloMillis = millisSince(started);
            started = System.nanoTime();
            String pause = TestImages.pause(registry);
            long pauseMillis = millisSince(started);
            started = System.nanoTime();
            TestImages.helloHttp(registry);
            long repushMillis = millisSince(started);
            System.out.printf("testbed: build+push hello-http %d ms, pause %d ms; push again (blobs present) %d ms%n",
                    helloMillis, pauseMillis, repushMillis);

            assertThat(helloHttp).isEqualTo(registry.hostPort() + "/edgeplane/hello-http:1");
            assertThat(pause).isEqualTo(registry.hostPort() + "/edgeplane/pause:3.10");
            assertImage(registry, "edgeplane/hello-http", "1", "/hello-http");
            assertImage(registry, "edgeplane/pause", "3.10", "/pause");
        }
    }

    @Test
    void helloHttpVersionTwoIsAnotherImageOfTheSameProgram() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start("127.0.0.1")) {
            TestImages.helloHttp(registry);
            assertThat(TestImages.helloHttp(registry, "1")).isEqualTo(registry.hostPort() + "/edgeplane/hello-http:1");
            assertThat(TestImages.helloHttp(registry, "2")).isEqualTo(registry.hostPort() + "/edgeplane/hello-http:2");
            assertImage(registry, "edgeplane/hello-http", "2", "/hello-http");

            HttpResponse<String> one = get(registry.uri().resolve("/v2/edgeplane/hello-http/manifests/1"));
            HttpResponse<String> two = get(registry.uri().resolve("/v2/edgeplane/hello-http/manifests/2"));
            assertThat(two.headers().firstValue("Docker-Content-Digest")).isPresent()
                    .isNotEqualTo(one.headers().firstValue("Docker-Content-Digest"));
            assertThat(json.readTree(two.body()).path("layers")).as("the same program layer")
                    .isEqualTo(json.readTree(one.body()).path("layers"));
            assertThat(env(registry, two)).contains("HELLO_VERSION=2");
            assertThat(env(registry, one)).noneMatch(e -> e.startsWith("HELLO_VERSION="));
        }
    }

    private List<String> env(LocalRegistry registry, HttpResponse<String> manifest) throws Exception {
        String configDigest = json.readTree(manifest.body()).path("config").path("digest").asText();
        JsonNode config = json.readTree(get(registry.uri().resolve("/v2/edgeplane/hello-http/blobs/" + configDigest)).body());
        List<String> env = new java.util.ArrayList<>();
        config.path("config").path("Env").forEach(e -> env.add(e.asText()));
        return env;
    }

    @Test
    void controlPlaneComponentImagesArePushedFromThePinnedBinaries() throws Exception {
        io.edgeplane.testbed.KubernetesBinaries binaries = io.edgeplane.testbed.KubernetesBinaries.ensure();
        try (LocalRegistry registry = LocalRegistry.start("127.0.0.1")) {
            long started = System.nanoTime();
            java.util.Map<String, String> images = ControlPlaneImages.push(registry, binaries);
            System.out.printf("testbed: control-plane images built and pushed in %d ms%n", millisSince(started));
            assertThat(images).containsOnlyKeys(ControlPlaneImages.COMPONENTS);
            assertImage(registry, "edgeplane/kube-apiserver", binaries.versions().kubernetes(), "/kube-apiserver");
            assertImage(registry, "edgeplane/etcd", binaries.versions().etcd(), "/etcd");
        }
    }

    private void assertImage(LocalRegistry registry, String repository, String tag, String entrypoint) throws Exception {
        HttpResponse<String> manifest = get(registry.uri().resolve("/v2/" + repository + "/manifests/" + tag));
        assertThat(manifest.statusCode()).as("manifest of %s:%s", repository, tag).isEqualTo(200);
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue("application/vnd.docker.distribution.manifest.v2+json");
        JsonNode manifestJson = json.readTree(manifest.body());
        assertThat(manifestJson.path("layers")).hasSize(1);

        String configDigest = manifestJson.path("config").path("digest").asText();
        HttpResponse<String> config = get(registry.uri().resolve("/v2/" + repository + "/blobs/" + configDigest));
        assertThat(config.statusCode()).as("config blob %s of %s", configDigest, repository).isEqualTo(200);
        JsonNode configJson = json.readTree(config.body());
        assertThat(configJson.path("os").asText()).isEqualTo("linux");
        assertThat(configJson.path("architecture").asText()).isEqualTo(Architecture.host().goarch());
        assertThat(json.convertValue(configJson.path("config").path("Entrypoint"), List.class)).containsExactly(entrypoint);
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).header("Accept", MANIFEST_TYPES).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
