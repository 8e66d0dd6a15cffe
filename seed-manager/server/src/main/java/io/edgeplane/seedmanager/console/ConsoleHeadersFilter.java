package io.edgeplane.seedmanager.console;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The web console's browser protections. The policy allows scripts, styles and API calls from this
 * origin only, so no inline script runs even if text from the fleet ever reached the page as markup;
 * the console is never framed (clickjacking) and sends no referrer (its URLs name clusters and devices).
 */
@ServerFilter(ConsolePaths.PATTERN)
public class ConsoleHeadersFilter {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @ResponseFilter
    public void protect(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
        // index.html names the content-hashed bundles of this build: it is checked on every load, so that an
        // upgrade takes effect at once, while a bundle's name changes with its content and it can be kept.
        response.header("Cache-Control", request.getPath().startsWith(ConsolePaths.ASSETS)
                ? "public, max-age=31536000, immutable" : "no-cache");
    }
}
