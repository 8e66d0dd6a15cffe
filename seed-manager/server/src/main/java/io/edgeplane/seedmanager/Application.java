package io.edgeplane.seedmanager;

import io.edgeplane.seedmanager.api.BearerAuthFilter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the seed manager. A start that fails ends the process with one message and exit code 1,
 * after stopping whatever was already started (the embedded PostgreSQL among it), so a refused start
 * leaves no process and no lock behind. SIGTERM stops the service cleanly.
 */
@OpenAPIDefinition(
        info = @Info(title = "Edgeplane seed manager", version = "v1",
                description = "Admin API of the Edgeplane seed manager. Every /api operation needs a bearer token "
                        + "(the admin token or a project token); the artifact mirror is open."),
        servers = @Server(url = "/", description = "the seed manager that serves this document"))
// Operations require it through @UnauthorizedProblem, so the open artifact mirror is documented as open.
@SecurityScheme(name = BearerAuthFilter.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "the admin token (EDGEPLANE_ADMIN_TOKEN or <data dir>/admin-token) or a project token (ep_...)")
public final class Application {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = null;
        try {
            context = Micronaut.build(args).mainClass(Application.class).banner(false).build();
            context.start();
            context.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
        } catch (Throwable failure) {
            StartupFailure reason = StartupFailure.of(failure);
            if (reason.expected()) {
                LOG.error("seed manager not started: {}", reason.message());
            } else {
                LOG.error("seed manager not started: {}", reason.message(), failure);
            }
            close(context);
            System.exit(1);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ApplicationContext running = context;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close(running);
            stopped.countDown();
        }, "seed-manager-shutdown"));
        stopped.await();
    }

    /**
     * Stops what was started. A context that failed to start does not stop its beans, so its
     * connection pool is closed here first; the embedded PostgreSQL then stops at exit by itself.
     */
    private static void close(ApplicationContext context) {
        if (context == null) {
            return;
        }
        try {
            if (!context.isRunning()) {
                for (BeanRegistration<DataSource> pool : context.getActiveBeanRegistrations(DataSource.class)) {
                    if (pool.getBean() instanceof AutoCloseable closeable) {
                        closeable.close();
                    }
                }
            }
            context.close();
        } catch (Exception e) {
            LOG.warn("stopping the seed manager: {}", e.toString());
        }
    }
}
