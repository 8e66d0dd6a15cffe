package io.edgeplane.seedmanager.watch;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

/**
 * This replica's ear on the database: one dedicated connection (outside the pool, which it would
 * otherwise hold forever) LISTENs for recorded changes, numbers them (any replica may: they take turns)
 * and wakes the streams of the scopes that changed, whichever replica wrote them. A periodic sweep
 * covers notifications lost while the connection was down, and forgets changes past their retention.
 */
@Context
public class ChangeNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final DatasourceConfiguration datasource;
    private final ChangeFeed feed;
    private final WatchHub hub;
    private final WatchSettings settings;
    private final Thread listener;
    private volatile boolean running = true;
    private volatile Connection connection;

    public ChangeNotifications(@Named("default") DatasourceConfiguration datasource, ChangeFeed feed, WatchHub hub,
                               WatchSettings settings) {
        this.datasource = datasource;
        this.feed = feed;
        this.hub = hub;
        this.settings = settings;
        this.listener = new Thread(this::listen, "watch-notifications");
        this.listener.setDaemon(true);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        listener.interrupt();
        closeQuietly(connection);
    }

    private void listen() {
        Instant nextPrune = Instant.now();
        while (running) {
            try (Connection c = DriverManager.getConnection(datasource.getJdbcUrl(), datasource.getUsername(), datasource.getPassword())) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + ChangeFeed.PENDING_CHANNEL);
                    s.execute("LISTEN " + ChangeFeed.CHANGES_CHANNEL);
                }
                // Whatever was recorded while this replica was not listening.
                sequence();
                hub.wakeAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                Instant nextSweep = Instant.now().plus(settings.sweep());
                while (running) {
                    PGNotification[] notifications = pg.getNotifications((int) settings.sweep().toMillis());
                    boolean pending = false;
                    for (PGNotification n : notifications == null ? new PGNotification[0] : notifications) {
                        if (ChangeFeed.PENDING_CHANNEL.equals(n.getName())) {
                            pending = true;
                        } else {
                            hub.wake(n.getParameter());
                        }
                    }
                    if (pending) {
                        sequence();
                    }
                    Instant now = Instant.now();
                    if (now.isAfter(nextSweep)) {
                        sequence();
                        hub.wakeAll();
                        nextSweep = now.plus(settings.sweep());
                    }
                    if (now.isAfter(nextPrune)) {
                        int pruned = feed.prune(settings.retention());
                        LOG.debug("watch feed pruned={}", pruned);
                        nextPrune = now.plus(PRUNE_EVERY);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("watch notifications interrupted; reconnecting in {}", RECONNECT_DELAY, e);
                sleep();
            }
        }
    }

    /** Numbers everything pending; the sequencer's own notifications then wake the streams. */
    private void sequence() {
        while (feed.sequencePending() > 0) {
            LOG.trace("watch feed sequenced a batch");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("watch notifications connection close failed", e);
        }
    }
}
