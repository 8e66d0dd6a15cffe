package io.edgeplane.seedmanager.audit;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.CallerArgumentBinder;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Records every mutating API call, including refused ones, once its response is known. Ordered
 * outside authentication so that calls rejected with 401 are recorded too.
 */
@ServerFilter("/api/**")
public class AuditFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);

    private final AuditRepository audit;

    public AuditFilter(AuditRepository audit) {
        this.audit = audit;
    }

    @ResponseFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return;
        }
        String actor = request.getAttribute(CallerArgumentBinder.ATTRIBUTE, Caller.class).map(Caller::subject).orElse("anonymous");
        // A creation's target is the new object's location, which the request path does not name.
        String target = response.getHeaders().get(HttpHeaders.LOCATION, String.class).orElse(request.getPath());
        AuditEvent event = new AuditEvent(null, Instant.now().truncatedTo(ChronoUnit.MICROS), actor,
                method + " " + request.getPath(), target, Integer.toString(response.code()));
        try {
            audit.save(event);
        } catch (RuntimeException e) {
            LOG.error("audit record lost actor={} action={} target={} result={}: {}",
                    event.actor(), event.action(), event.target(), event.result(), e.getMessage());
        }
    }

    @Override
    public int getOrder() {
        return -100;
    }
}
