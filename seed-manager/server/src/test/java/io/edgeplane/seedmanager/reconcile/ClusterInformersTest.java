package io.edgeplane.seedmanager.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Informers are started on wanted clusters, started afresh once they stop watching or the client was renewed, each
 * independently of the others, and stopped when unwanted.
 */
class ClusterInformersTest {
    private final AtomicReference<Set<String>> wanted = new AtomicReference<>(Set.of("a"));
    private final Map<String, AtomicBoolean> clientsOpen = new ConcurrentHashMap<>();
    private final Map<String, Fake> informers = new ConcurrentHashMap<>();
    private final AtomicBoolean failSecond = new AtomicBoolean();

    /** A fake informer: watching until told otherwise, closed once. */
    private static final class Fake {
        final AtomicBoolean watching = new AtomicBoolean(true);
        final AtomicBoolean closed = new AtomicBoolean();
        final SharedIndexInformer<?> informer = (SharedIndexInformer<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{SharedIndexInformer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isWatching" -> watching.get() && !closed.get();
                    case "close" -> {
                        closed.set(true);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The caller's current client of each cluster; the test renews one by replacing it. */
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    private Optional<KubernetesClient> connect(String clusterId) {
        return Optional.of(clients.computeIfAbsent(clusterId, this::newClient));
    }

    private KubernetesClient newClient(String clusterId) {
        AtomicBoolean open = new AtomicBoolean(true);
        clientsOpen.put(clusterId, open);
        return (KubernetesClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{KubernetesClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        open.set(false);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private final AtomicBoolean thirdDefined = new AtomicBoolean();

    private ClusterInformers.Informer informer(String kind) {
        return (clusterId, client) -> {
            if (kind.equals("second") && failSecond.get()) {
                throw new IllegalStateException("refused");
            }
            if (kind.equals("third") && !thirdDefined.get()) {
                return Optional.empty();
            }
            Fake fake = new Fake();
            informers.put(clusterId + "/" + kind, fake);
            return Optional.of(fake.informer);
        };
    }

    private Map<String, ClusterInformers.Informer> kinds(String... names) {
        Map<String, ClusterInformers.Informer> kinds = new LinkedHashMap<>();
        for (String name : names) {
            kinds.put(name, informer(name));
        }
        return kinds;
    }

    @Test
    void keepsInformersOnWantedClustersOnly() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ClusterInformersTest.class);
        logger.addAppender(logged);
        try (ClusterInformers cluster = new ClusterInformers("test-watches", Duration.ofSeconds(1), wanted::get, this::connect, id -> "cluster=p/" + id,
                kinds("first", "second"), LoggerFactory.getLogger(ClusterInformersTest.class))) {
            cluster.start();
            await(() -> informers.containsKey("a/first") && informers.containsKey("a/second"));
            Fake first = informers.get("a/first");
            Fake untouched = informers.get("a/second");
            assertThat(cluster.informer("a", "first")).containsSame(first.informer);

            first.watching.set(false);
            await(() -> informers.get("a/first") != first);
            assertThat(first.closed).as("the stale informer is stopped once renewed").isTrue();
            await(() -> cluster.informer("a", "first").orElseThrow() == informers.get("a/first").informer);
            assertThat(informers.get("a/second")).as("one that still watches is kept").isSameAs(untouched);

            Fake second = informers.get("a/first");
            clients.put("a", newClient("a"));
            await(() -> informers.get("a/first") != second);
            assertThat(second.closed).as("informers move to the renewed client").isTrue();
            assertThat(informers.get("a/first").closed).isFalse();

            failSecond.set(true);
            wanted.set(Set.of("a", "b"));
            // a kind that cannot start keeps none of the others from watching, and is tried again
            await(() -> cluster.informer("b", "first").isPresent());
            Thread.sleep(2_500);
            assertThat(informers.get("b/first").closed).isFalse();
            assertThat(cluster.informer("b", "second")).isEmpty();
            failSecond.set(false);
            await(() -> cluster.informer("b", "second").isPresent());
            assertThat(cluster.informer("b", "first")).as("kept meanwhile").containsSame(informers.get("b/first").informer);

            wanted.set(Set.of("b"));
            await(() -> informers.get("a/first").closed.get());
            assertThat(informers.get("a/second").closed).isTrue();
            assertThat(clientsOpen.values()).as("the clients are the caller's and stay open").allMatch(AtomicBoolean::get);
        } finally {
            logger.detachAppender(logged);
        }
        List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).as("the refusal, once, with the cluster and the stack trace").hasSize(1);
        assertThat(warnings.get(0).getFormattedMessage()).isEqualTo("test watches cluster=p/b: cannot watch");
        assertThat(warnings.get(0).getThrowableProxy().getMessage()).isEqualTo("refused");
    }

    @Test
    void startsAKindOnceTheClusterDefinesIt() throws Exception {
        try (ClusterInformers cluster = new ClusterInformers("test-watches", Duration.ofSeconds(1), wanted::get, this::connect, id -> "cluster=p/" + id,
                kinds("first", "third"), LoggerFactory.getLogger(ClusterInformersTest.class))) {
            cluster.start();
            await(() -> cluster.informer("a", "first").isPresent());
            Fake first = informers.get("a/first");
            assertThat(cluster.informer("a", "third")).as("not defined yet").isEmpty();

            thirdDefined.set(true);
            await(() -> cluster.informer("a", "third").isPresent());
            assertThat(informers.get("a/first")).as("the others keep watching").isSameAs(first);
            assertThat(first.closed).isFalse();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
