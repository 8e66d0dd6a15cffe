package io.edgeplane.seedmanager.workload.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.app.ImageReference;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads images from an OCI distribution registry (Docker Registry HTTP API v2) over HTTP/1.1:
 * the manifest (an OCI index or Docker manifest list resolves to the manifest of the requested
 * architecture on linux), then the config and layer blobs, each verified against its digest and size.
 * HTTPS is always verified; plain HTTP is used only for registries listed as insecure (after
 * HTTPS failed). An anonymous Bearer token is fetched when the registry asks for one
 * ({@code WWW-Authenticate: Bearer realm=...,service=...,scope=...}). Redirects (blob CDNs) are
 * followed without the registry's token.
 */
public final class RegistryReader {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    private static final String ACCEPT = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([a-zA-Z]+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> insecureRegistries;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration blobTimeout;

    /**
     * @param insecureRegistries host or host:port entries (the datacenter's {@code insecureRegistries})
     * @param requestTimeout     for manifests, tokens and until a blob's response headers arrive
     * @param blobTimeout        for reading one blob's body
     */
    public RegistryReader(List<String> insecureRegistries, Duration connectTimeout, Duration requestTimeout, Duration blobTimeout) {
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.requestTimeout = requestTimeout;
        this.blobTimeout = blobTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Fetches {@code reference} for linux/{@code architecture} (amd64, arm64) into {@code blobDir}. */
    public PulledImage pull(ImageReference reference, String architecture, Path blobDir) {
        try {
            Files.createDirectories(blobDir);
            Session session = open(reference);
            Manifest top = manifest(session, reference.manifestReference(), reference.digest());
            Manifest manifest = top;
            if (top.isIndex()) {
                ImageDescriptor chosen = platform(reference, top.json(), architecture);
                manifest = manifest(session, chosen.digest(), chosen.digest());
                if (manifest.isIndex()) {
                    throw new RegistryException("image " + reference + ": the " + architecture + " entry of its index is another index");
                }
            }
            Files.write(blobDir.resolve(manifest.descriptor().hex()), manifest.bytes());
            List<ImageDescriptor> blobs = new ArrayList<>();
            blobs.add(descriptor(reference, manifest.json().path("config")));
            for (JsonNode layer : manifest.json().path("layers")) {
                blobs.add(descriptor(reference, layer));
            }
            for (ImageDescriptor blob : blobs) {
                fetchBlob(session, blob, blobDir.resolve(blob.hex()));
            }
            return new PulledImage(reference, architecture, manifest.descriptor(), List.copyOf(blobs), blobDir);
        } catch (IOException e) {
            throw new RegistryException("image " + reference + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("image " + reference + ": interrupted", e);
        }
    }

    private record Manifest(String mediaType, byte[] bytes, JsonNode json, ImageDescriptor descriptor) {
        boolean isIndex() {
            return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
        }
    }

    /** The base URI chosen for one registry and the token it gave, for the requests of one pull. */
    private static final class Session {
        final ImageReference reference;
        final URI base;
        String authorization;

        Session(ImageReference reference, URI base) {
            this.reference = reference;
            this.base = base;
        }
    }

    private Session open(ImageReference reference) throws IOException, InterruptedException {
        URI https = URI.create("https://" + reference.apiHost() + "/");
        if (!insecure(reference.apiHost())) {
            return probe(reference, https);
        }
        try {
            return probe(reference, https);
        } catch (IOException e) {
            // Listed as insecure: a registry without TLS (or with a certificate we cannot verify) is reached over HTTP.
            return probe(reference, URI.create("http://" + reference.apiHost() + "/"));
        }
    }

    private Session probe(ImageReference reference, URI base) throws IOException, InterruptedException {
        Session session = new Session(reference, base);
        HttpResponse<InputStream> response = get(session, base.resolve("/v2/"), "application/json", requestTimeout);
        try (InputStream ignored = response.body()) {
            if (response.statusCode() != 200) {
                throw new RegistryException("image " + reference + ": registry " + base + " answers GET /v2/ with HTTP "
                        + response.statusCode());
            }
        }
        return session;
    }

    private Manifest manifest(Session session, String ref, String expectedDigest) throws IOException, InterruptedException {
        ImageReference image = session.reference;
        URI uri = session.base.resolve("/v2/" + image.repository() + "/manifests/" + ref);
        HttpResponse<InputStream> response = get(session, uri, ACCEPT, requestTimeout);
        byte[] bytes;
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                throw new RegistryException("image " + image + ": manifest " + ref + " not found in " + image.registry());
            }
            if (response.statusCode() != 200) {
                throw new RegistryException("image " + image + ": GET manifest " + ref + " answered HTTP " + response.statusCode());
            }
            bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException("image " + image + ": manifest " + ref + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new RegistryException("image " + image + ": manifest " + ref + " has digest " + digest + ", expected " + expectedDigest);
        }
        String announced = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (announced != null && announced.startsWith("sha256:") && !announced.equals(digest)) {
            throw new RegistryException("image " + image + ": manifest " + ref + " has digest " + digest
                    + " but the registry announced " + announced);
        }
        JsonNode json = JSON.readTree(bytes);
        String mediaType = json.path("mediaType").asText("");
        if (mediaType.isEmpty()) {
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            mediaType = contentType.split(";")[0].trim();
            if (mediaType.isEmpty() || mediaType.equals("application/json")) {
                mediaType = json.has("manifests") ? OCI_INDEX : OCI_MANIFEST;
            }
        }
        if (!List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST).contains(mediaType)) {
            throw new RegistryException("image " + image + ": manifest " + ref + " has unsupported media type " + mediaType);
        }
        return new Manifest(mediaType, bytes, json, new ImageDescriptor(mediaType, digest, bytes.length));
    }

    private static ImageDescriptor platform(ImageReference image, JsonNode index, String architecture) {
        ImageDescriptor fallback = null;
        List<String> offered = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            JsonNode platform = entry.path("platform");
            String os = platform.path("os").asText("");
            String arch = platform.path("architecture").asText("");
            offered.add(os + "/" + arch + (platform.has("variant") ? "/" + platform.path("variant").asText() : ""));
            if (!os.equals("linux") || !arch.equals(architecture)) {
                continue;
            }
            String variant = platform.path("variant").asText("");
            ImageDescriptor descriptor = descriptor(image, entry);
            if (variant.isEmpty() || (architecture.equals("arm64") && variant.equals("v8"))) {
                return descriptor;
            }
            if (fallback == null) {
                fallback = descriptor;
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new RegistryException("image " + image + " has no linux/" + architecture + " variant; it offers " + offered);
    }

    private static ImageDescriptor descriptor(ImageReference image, JsonNode node) {
        String digest = node.path("digest").asText("");
        if (!digest.matches("sha256:[a-f0-9]{64}")) {
            throw new RegistryException("image " + image + ": descriptor digest '" + digest + "' is not sha256:<64 hex>");
        }
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new RegistryException("image " + image + ": descriptor " + digest + " has no size");
        }
        return new ImageDescriptor(node.path("mediaType").asText(""), digest, size);
    }

    private void fetchBlob(Session session, ImageDescriptor blob, Path target) throws IOException, InterruptedException {
        ImageReference image = session.reference;
        if (Files.isRegularFile(target) && Files.size(target) == blob.size() && blob.digest().equals(digestOf(target))) {
            return;
        }
        URI uri = session.base.resolve("/v2/" + image.repository() + "/blobs/" + blob.digest());
        HttpResponse<InputStream> response = get(session, uri, "*/*", requestTimeout);
        Instant deadline = Instant.now().plus(blobTimeout);
        MessageDigest sha = sha256();
        long total = 0;
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(partial)) {
            if (response.statusCode() != 200) {
                throw new RegistryException("image " + image + ": GET blob " + blob.digest() + " answered HTTP " + response.statusCode());
            }
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                total += n;
                if (total > blob.size()) {
                    throw new RegistryException("image " + image + ": blob " + blob.digest() + " is larger than its " + blob.size() + " bytes");
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new RegistryException("image " + image + ": blob " + blob.digest() + " took longer than "
                            + blobTimeout.toSeconds() + " s");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (total != blob.size() || !digest.equals(blob.digest())) {
            Files.deleteIfExists(partial);
            throw new RegistryException("image " + image + ": blob " + blob.digest() + " arrived as " + digest + " (" + total
                    + " of " + blob.size() + " bytes); refusing it");
        }
        Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** GET with the session's token on the registry, a token fetched on the first 401, and redirects followed without it. */
    private HttpResponse<InputStream> get(Session session, URI start, String accept, Duration timeout) throws IOException, InterruptedException {
        URI uri = start;
        boolean authorized = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; ) {
            requireAllowedScheme(session.reference, uri);
            boolean registry = sameOrigin(uri, session.base);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout).header("Accept", accept);
            if (registry && session.authorization != null) {
                request.header("Authorization", session.authorization);
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status == 401 && registry && !authorized) {
                String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
                response.body().close();
                session.authorization = token(session, challenge);
                authorized = true;
                continue;
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.headers().firstValue("Location")
                        .orElseThrow(() -> new RegistryException("image " + session.reference + ": redirect without Location from " + start));
                response.body().close();
                uri = uri.resolve(location);
                hop++;
                continue;
            }
            return response;
        }
        throw new RegistryException("image " + session.reference + ": more than " + MAX_REDIRECTS + " redirects from " + start);
    }

    /** The anonymous Bearer flow: GET realm?service=...&scope=repository:<repo>:pull, answer {@code token} or {@code access_token}. */
    private String token(Session session, String challenge) throws IOException, InterruptedException {
        ImageReference image = session.reference;
        if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RegistryException("image " + image + ": registry " + image.registry() + " asks for credentials ("
                    + (challenge.isEmpty() ? "no challenge" : challenge.split(" ")[0]) + "); only anonymous pulls are supported");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAM.matcher(challenge.substring(7));
        while (matcher.find()) {
            params.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        String realm = params.get("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException("image " + image + ": registry's Bearer challenge has no realm");
        }
        URI realmUri = URI.create(realm);
        requireAllowedScheme(image, realmUri);
        StringBuilder query = new StringBuilder();
        if (params.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8));
        }
        String scope = params.getOrDefault("scope", "repository:" + image.repository() + ":pull");
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(requestTimeout).header("Accept", "application/json").build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new RegistryException("image " + image + ": token service " + realmUri.getHost() + " answered HTTP "
                    + response.statusCode() + " for an anonymous pull token");
        }
        JsonNode json = JSON.readTree(response.body());
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException("image " + image + ": token service " + realmUri.getHost() + " returned no token");
        }
        return "Bearer " + token;
    }

    private void requireAllowedScheme(ImageReference image, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http") && insecure(hostPort(uri))) {
            return;
        }
        throw new RegistryException("image " + image + ": refusing " + uri.getScheme() + "://" + uri.getAuthority()
                + " (plain HTTP only for the datacenter's insecureRegistries)");
    }

    private boolean insecure(String hostPort) {
        if (insecureRegistries.contains(hostPort)) {
            return true;
        }
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && !hostPort.endsWith("]") && insecureRegistries.contains(hostPort.substring(0, colon));
    }

    private static String hostPort(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort();
    }

    static String digestOf(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "the registry did not answer in time";
        }
        if (e instanceof SSLException) {
            return "TLS failed (" + e.getMessage() + "); certificates are always verified";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
