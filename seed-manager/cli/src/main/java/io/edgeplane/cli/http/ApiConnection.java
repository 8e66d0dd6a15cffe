package io.edgeplane.cli.http;

import io.edgeplane.cli.api.ApiClient;
import io.edgeplane.cli.config.Target;

import java.net.http.HttpClient;
import java.time.Duration;

/** The generated client, pointed at the target with its token and trust. */
public final class ApiConnection {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Target target;
    private final ApiClient client;

    public ApiConnection(Target target, String userAgent) {
        this.target = target;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(target.trust().sslContext());
        this.client = new ApiClient(http, new BodyMapper(), target.server().toString());
        client.setConnectTimeout(CONNECT_TIMEOUT);
        client.setRequestInterceptor(request -> request
                .header("Authorization", "Bearer " + target.token())
                .header("User-Agent", userAgent));
    }

    public Target target() {
        return target;
    }

    public ApiClient client() {
        return client;
    }
}
