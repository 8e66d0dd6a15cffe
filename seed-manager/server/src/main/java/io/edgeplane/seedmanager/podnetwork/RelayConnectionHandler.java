package io.edgeplane.seedmanager.podnetwork;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One device connection, after TLS: admission (off the event loop), then every frame the device
 * sends checked and handed to the session of the device it is for; keepalives both ways. Runs on
 * the connection's event loop only, so its fields need no locks.
 */
final class RelayConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConnectionHandler.class);
    /** Frames that arrived with the handshake's last bytes, kept until admission decides (reads pause meanwhile). */
    private static final int MAX_PENDING = 64;

    private final PodNetworkSessions sessions;
    private final PodNetworkAdmission admission;
    private final PodNetworkMetrics metrics;
    private final Executor blocking;
    private final Queue<ByteBuf> pending = new ArrayDeque<>();
    private final Set<RelaySession> unflushed = Collections.newSetFromMap(new IdentityHashMap<>());
    private String serverName;
    private RelaySession session;
    private boolean ended;
    private boolean spoofWarned;
    private boolean malformedWarned;

    RelayConnectionHandler(PodNetworkSessions sessions, PodNetworkAdmission admission, PodNetworkMetrics metrics, Executor blocking) {
        this.sessions = sessions;
        this.admission = admission;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SniCompletionEvent sni) {
            serverName = sni.hostname();
            if (!sni.isSuccess()) {
                handshakeFailed(ctx, "no TLS credentials for server name " + serverName + ": " + message(sni.cause()));
            }
        } else if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                admit(ctx);
            } else {
                handshakeFailed(ctx, "TLS handshake failed: " + message(handshake.cause()));
            }
        } else if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                close(ctx, "nothing received for " + PodNetworkRelay.IDLE_TIMEOUT.toSeconds() + " s");
            } else if (idle.state() == IdleState.WRITER_IDLE && session != null) {
                ctx.writeAndFlush(RelayFrames.keepalive(ctx.alloc()), ctx.voidPromise());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (!frame.isReadable() || ended) {
            frame.release();                 // a keepalive, or a frame after the end
        } else if (session == null) {
            if (pending.size() < MAX_PENDING) {
                pending.add(frame);
            } else {
                frame.release();
            }
        } else {
            try {
                relay(frame);
            } finally {
                frame.release();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushTargets();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended = true;
        releasePending();
        unflushed.clear();
        if (session != null) {
            sessions.unregister(session);    // a displaced session is no longer registered
            String reason = session.closeReason();
            LOG.info("pod-network {} disconnected: {}", session.ref(), reason == null ? "the connection ended" : reason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The handshake's failures arrive as events too, and are logged there.
        if (session != null) {
            close(ctx, "connection error: " + message(cause));
        } else {
            LOG.debug("pod-network {} from {}: {}", subject(), ctx.channel().remoteAddress(), message(cause));
            ctx.close();
        }
    }

    private void relay(ByteBuf packet) {
        PacketOutcome outcome;
        if (!Ipv4Packets.wellFormed(packet)) {
            outcome = PacketOutcome.MALFORMED;
            if (!malformedWarned) {
                malformedWarned = true;
                LOG.info("pod-network {} sent a frame of {} bytes that is not an IPv4 packet; dropped (said once per connection)",
                        session.ref(), packet.readableBytes());
            }
        } else if (!session.owns(Ipv4Packets.source(packet))) {
            outcome = PacketOutcome.SPOOFED;
            if (!spoofWarned) {
                spoofWarned = true;
                LOG.info("pod-network {} sent a packet from {}, outside its pod range {}; dropped (said once per connection)",
                        session.ref(), Ipv4Packets.format(Ipv4Packets.source(packet)), session.podRange());
            }
        } else {
            RelaySession target = sessions.route(session.clusterId(), Ipv4Packets.destination(packet));
            if (target == null || target == session) {
                outcome = PacketOutcome.NO_ROUTE;
            } else {
                outcome = target.offer(packet);
                if (outcome == PacketOutcome.RELAYED) {
                    unflushed.add(target);
                }
            }
        }
        metrics.packet(outcome);
    }

    private void flushTargets() {
        if (!unflushed.isEmpty()) {
            unflushed.forEach(RelaySession::flush);
            unflushed.clear();
        }
    }

    /** Reads pause while the database decides, so what a device sends meanwhile waits in its socket, not here. */
    private void admit(ChannelHandlerContext ctx) {
        Optional<String> clusterId = PodNetworkName.clusterId(serverName);
        X509Certificate client = clientCertificate(ctx);
        if (clusterId.isEmpty() || client == null) {
            handshakeFailed(ctx, "no cluster or no client certificate after the handshake");
            return;
        }
        ctx.channel().config().setAutoRead(false);
        try {
            blocking.execute(() -> {
                Admitted admitted = null;
                SessionRefused refused = null;
                try {
                    admitted = admission.admit(clusterId.get(), client);
                } catch (SessionRefused e) {
                    refused = e;
                } catch (RuntimeException e) {
                    LOG.warn("pod-network cluster-id={} cannot check a device connection from {}", clusterId.get(),
                            ctx.channel().remoteAddress(), e);
                    refused = new SessionRefused("cluster-id=" + clusterId.get(), "its machine could not be checked: " + message(e));
                }
                Admitted decided = admitted;
                SessionRefused reason = refused;
                ctx.executor().execute(() -> decided(ctx, decided, reason));
            });
        } catch (RejectedExecutionException e) {
            ctx.close();                     // the relay is stopping
        }
    }

    /** Admission's answer, on the connection's event loop: exactly one of the two is given. */
    void decided(ChannelHandlerContext ctx, Admitted admitted, SessionRefused refused) {
        if (!ctx.channel().isActive()) {
            releasePending();
            return;
        }
        if (refused != null) {
            LOG.info("pod-network {} refused: {} (from {})", refused.subject(), refused.getMessage(), ctx.channel().remoteAddress());
            releasePending();
            ctx.close();
            return;
        }
        session = new RelaySession(admitted, ctx.channel());
        for (RelaySession displaced : sessions.register(session)) {
            displaced.close(displaced.node().equals(session.node()) ? "replaced by a new connection of the node"
                    : "its pod range " + displaced.podRange() + " now belongs to node " + session.node());
        }
        LOG.info("pod-network {} connected podRange={} (from {})", session.ref(), session.podRange(), ctx.channel().remoteAddress());
        while (!pending.isEmpty()) {
            ByteBuf frame = pending.poll();
            try {
                relay(frame);
            } finally {
                frame.release();
            }
        }
        flushTargets();
        ctx.channel().config().setAutoRead(true);
    }

    private void close(ChannelHandlerContext ctx, String reason) {
        if (session != null) {
            session.close(reason);
        } else {
            LOG.debug("pod-network {} from {} closed: {}", subject(), ctx.channel().remoteAddress(), reason);
            ctx.close();
        }
    }

    /** Logged at info when the device named a cluster (a device of ours, misconfigured or revoked); scanners only at debug. */
    private void handshakeFailed(ChannelHandlerContext ctx, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        if (PodNetworkName.clusterId(serverName).isPresent()) {
            LOG.info("pod-network {} refused: {} (from {})", subject(), reason, ctx.channel().remoteAddress());
        } else {
            LOG.debug("pod-network {} refused: {} (from {})", subject(), reason, ctx.channel().remoteAddress());
        }
        // Left in place, the SNI handler would look the name up again from the hello it still holds when the
        // connection closes, and that answer would arrive after the pipeline is gone.
        SniHandler sni = ctx.pipeline().get(SniHandler.class);
        if (sni != null) {
            ctx.pipeline().remove(sni);
        }
        ctx.close();
    }

    private String subject() {
        return PodNetworkName.clusterId(serverName).map(id -> "cluster-id=" + id).orElse("server-name=" + serverName);
    }

    private static X509Certificate clientCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            Certificate[] chain = ssl == null ? null : ssl.engine().getSession().getPeerCertificates();
            return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private void releasePending() {
        while (!pending.isEmpty()) {
            pending.poll().release();
        }
    }

    private static String message(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
