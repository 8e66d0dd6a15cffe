package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The pod network relay: one TLS listener for every cluster's devices, each of which keeps one
 * connection and sends its pods' IPv4 packets for other devices' pods through it. The server name
 * picks the cluster (its CA serves and verifies), admission picks the device's pod range, and
 * packets go only to another device of the same cluster whose range holds their destination.
 * Listens from startup (after the database, before the HTTP server) until the application stops.
 */
@Singleton
public class PodNetworkRelay {
    private static final Logger LOG = LoggerFactory.getLogger(PodNetworkRelay.class);
    /** A connection that sent nothing for this long sends a keepalive, so NAT and proxies keep it. */
    static final Duration KEEPALIVE = Duration.ofSeconds(15);
    /** A connection that received nothing for this long (three keepalives missed) is dead. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(45);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Above the high mark a device's connection takes no more packets until it drained to the low one. */
    static final WriteBufferWaterMark OUTBOUND = new WriteBufferWaterMark(128 * 1024, 256 * 1024);
    /** Credentials of a cluster nobody dialled for this long are dropped (deleted clusters among them). */
    private static final Duration CREDENTIALS_UNUSED = Duration.ofHours(1);
    private static final int LOOKUP_THREADS = 2;
    // A reconnecting fleet queues here; beyond it a dial is closed and the device tries again after its backoff.
    private static final int LOOKUP_QUEUE = 1024;

    private final PodNetworkSettings settings;
    private final SeedRegistry seed;
    private final RelayCredentials credentials;
    private final PodNetworkAdmission admission;
    private final PodNetworkSessions sessions;
    private final PodNetworkMetrics metrics;
    private final PodNetworkSweep sweep;
    private EventLoopGroup loops;
    private ExecutorService lookups;
    private ScheduledExecutorService sweeper;
    private ChannelGroup connections;
    private Channel listener;
    private volatile int port = -1;

    PodNetworkRelay(PodNetworkSettings settings, SeedRegistry seed, RelayCredentials credentials, PodNetworkAdmission admission,
                    PodNetworkSessions sessions, PodNetworkMetrics metrics, PodNetworkSweep sweep) {
        this.settings = settings;
        this.seed = seed;
        this.credentials = credentials;
        this.admission = admission;
        this.sessions = sessions;
        this.metrics = metrics;
        this.sweep = sweep;
    }

    /** After the database (a refused start for a data directory in use is told as such), before the HTTP server. */
    @EventListener
    void onStartup(StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("pod-network relay disabled (EDGEPLANE_POD_NETWORK_ENABLED=false): devices' pods reach only pods of their own device");
            return;
        }
        start();
    }

    /**
     * Where {@code cluster}'s devices dial the relay: the seed's external address, the port it
     * listens on, and the cluster's server name; empty when the relay is disabled (or not listening yet).
     */
    public Optional<PodNetworkEndpoint> endpoint(Cluster cluster) {
        int listening = port;
        if (listening < 0) {
            return Optional.empty();
        }
        return Optional.of(new PodNetworkEndpoint(seed.current().externalAddress(), listening, PodNetworkName.of(cluster.id())));
    }

    /** The port the relay listens on (the chosen one when configured as 0); empty when it does not listen. */
    public OptionalInt port() {
        int listening = port;
        return listening < 0 ? OptionalInt.empty() : OptionalInt.of(listening);
    }

    synchronized void start() {
        if (listener != null) {
            return;
        }
        loops = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("pod-network", true), NioIoHandler.newFactory());
        lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(LOOKUP_QUEUE), new DefaultThreadFactory("pod-network-lookup", true));
        connections = new DefaultChannelGroup("pod-network", GlobalEventExecutor.INSTANCE);
        try {
            listener = new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, OUTBOUND)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            connections.add(channel);
                            channel.pipeline()
                                    .addLast("sni", new SniHandler(serverContexts(), HANDSHAKE_TIMEOUT.toMillis()))
                                    .addLast("idle", new IdleStateHandler(IDLE_TIMEOUT.toSeconds(), KEEPALIVE.toSeconds(), 0, TimeUnit.SECONDS))
                                    .addLast("frames", RelayFrames.decoder())
                                    .addLast("relay", new RelayConnectionHandler(sessions, admission, metrics, lookups));
                        }
                    })
                    .bind(new InetSocketAddress(settings.bind(), settings.port()))
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) {              // Netty rethrows the bind's checked exception unchecked
            stop();
            throw new InvalidConfigurationException("cannot listen for the pod network on " + settings.bind() + ":" + settings.port()
                    + " (EDGEPLANE_POD_NETWORK_BIND, EDGEPLANE_POD_NETWORK_PORT; EDGEPLANE_POD_NETWORK_ENABLED=false turns it off): "
                    + e.getMessage());
        }
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        sweeper = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("pod-network-sweep", true));
        long every = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        LOG.info("pod-network relay listening on {}:{}", settings.bind(), port);
    }

    @PreDestroy
    synchronized void stop() {
        port = -1;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            listener = null;
        }
        if (connections != null) {
            for (String clusterId : sessions.clusterIds()) {
                sessions.of(clusterId).forEach(session -> session.close("the seed manager is stopping"));
            }
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (lookups != null) {
            lookups.shutdownNow();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private void sweep() {
        try {
            sweep.sweep();
            int dropped = credentials.forgetUnusedSince(Instant.now().minus(CREDENTIALS_UNUSED));
            if (dropped > 0) {
                LOG.debug("pod-network dropped the TLS credentials of {} clusters nobody dialled for {}", dropped, CREDENTIALS_UNUSED);
            }
        } catch (RuntimeException e) {
            LOG.warn("pod-network sweep failed; trying again in {}", settings.sweepInterval(), e);
        }
    }

    /** The serving context by server name, looked up off the event loop: it reads the database and may unseal the CA key. */
    private AsyncMapping<String, SslContext> serverContexts() {
        return (serverName, promise) -> lookup(serverName, promise);
    }

    private Future<SslContext> lookup(String serverName, Promise<SslContext> promise) {
        Optional<String> clusterId = PodNetworkName.clusterId(serverName);
        if (clusterId.isEmpty()) {
            return promise.setFailure(new IllegalArgumentException("the server name " + serverName + " names no cluster's pod network"));
        }
        try {
            lookups.execute(() -> {
                try {
                    promise.trySuccess(credentials.serverContext(clusterId.get()));
                } catch (RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(new IllegalStateException("too many connections are being set up; try again later", e));
        }
        return promise;
    }
}
