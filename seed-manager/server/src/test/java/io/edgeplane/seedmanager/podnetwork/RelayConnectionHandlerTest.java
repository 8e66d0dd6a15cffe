package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.edgeplane.seedmanager.podnetwork.Ipv4PacketsTest.packet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device connection after TLS, on Netty's in-memory channels: frames in, frames out to the device
 * the destination belongs to, drops counted by outcome, keepalives and the idle close.
 */
class RelayConnectionHandlerTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PodNetworkSessions sessions = new PodNetworkSessions();
    private final PodNetworkMetrics metrics = new PodNetworkMetrics(registry, sessions);

    @Test
    void framesGoToTheDeviceOfTheirDestinationAndOthersAreCounted() {
        EmbeddedChannel one = admitted("edge-1", "10.244.0.0/24");
        EmbeddedChannel two = admitted("edge-2", "10.244.1.0/24");
        assertThat(registry.get(PodNetworkMetrics.SESSIONS).gauge().value()).isEqualTo(2);

        byte[] there = packet("10.244.0.7", "10.244.1.9", 12);
        one.writeInbound(frame(there), frame(packet("10.244.1.50", "10.244.1.9", 0)), frame(packet("10.244.0.7", "10.244.5.1", 0)),
                frame(new byte[]{0x45, 0, 0, 5, 0}), frame(new byte[0]));
        ByteBuf out = two.readOutbound();
        assertThat(out.readUnsignedShort()).isEqualTo(there.length);
        byte[] received = new byte[out.readableBytes()];
        out.readBytes(received).release();
        assertThat(received).isEqualTo(there);
        assertThat((Object) two.readOutbound()).isNull();
        assertThat((Object) one.readOutbound()).as("a keepalive is not answered").isNull();

        assertThat(count(PacketOutcome.RELAYED)).isEqualTo(1);
        assertThat(count(PacketOutcome.SPOOFED)).isEqualTo(1);
        assertThat(count(PacketOutcome.NO_ROUTE)).isEqualTo(1);
        assertThat(count(PacketOutcome.MALFORMED)).isEqualTo(1);
        assertThat(one.isOpen()).as("drops do not end the connection").isTrue();
    }

    @Test
    void anIdleConnectionSendsKeepalivesAndOneThatHearsNothingIsClosed() {
        EmbeddedChannel one = admitted("edge-1", "10.244.0.0/24");
        one.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        ByteBuf keepalive = one.readOutbound();
        assertThat(keepalive.readableBytes()).isEqualTo(2);
        assertThat(keepalive.readUnsignedShort()).isZero();
        keepalive.release();

        one.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertThat(one.isOpen()).isFalse();
        one.runPendingTasks();
        assertThat(sessions.count()).as("its session is gone with it").isZero();
    }

    @Test
    void beforeAdmissionNothingIsRelayedAndARefusalCloses() {
        EmbeddedChannel two = admitted("edge-2", "10.244.1.0/24");
        RelayConnectionHandler handler = handler();
        EmbeddedChannel waiting = new EmbeddedChannel(RelayFrames.decoder(), handler);
        waiting.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        waiting.writeInbound(frame(packet("10.244.0.7", "10.244.1.9", 0)));
        assertThat((Object) waiting.readOutbound()).as("no keepalive before admission").isNull();
        assertThat((Object) two.readOutbound()).as("held until admitted").isNull();

        handler.decided(waiting.pipeline().context(handler), null, new SessionRefused("machine=acme/line/ghost", "no such machine"));
        assertThat(waiting.isOpen()).isFalse();
        assertThat((Object) two.readOutbound()).as("dropped with the refusal").isNull();
    }

    @Test
    void whatArrivedDuringAdmissionIsRelayedOnceAdmitted() {
        EmbeddedChannel two = admitted("edge-2", "10.244.1.0/24");
        RelayConnectionHandler handler = handler();
        EmbeddedChannel one = new EmbeddedChannel(RelayFrames.decoder(), handler);
        one.writeInbound(frame(packet("10.244.0.7", "10.244.1.9", 0)));
        handler.decided(one.pipeline().context(handler), device("edge-1", "10.244.0.0/24"), null);
        ByteBuf out = two.readOutbound();
        assertThat(out).isNotNull();
        out.release();
        assertThat(one.config().isAutoRead()).isTrue();
    }

    private EmbeddedChannel admitted(String node, String range) {
        RelayConnectionHandler handler = handler();
        EmbeddedChannel channel = new EmbeddedChannel(RelayFrames.decoder(), handler);
        handler.decided(channel.pipeline().context(handler), device(node, range), null);
        return channel;
    }

    private RelayConnectionHandler handler() {
        return new RelayConnectionHandler(sessions, null, metrics, Runnable::run);
    }

    private static Admitted device(String node, String range) {
        return new Admitted("c1", "acme/line/" + node, node, "m-" + node, Ipv4Cidr.parse(range), Instant.now().plusSeconds(3600));
    }

    private double count(PacketOutcome outcome) {
        return registry.get(PodNetworkMetrics.PACKETS).tag("outcome", outcome.label()).counter().count();
    }

    private static ByteBuf frame(byte[] payload) {
        return Unpooled.buffer(2 + payload.length).writeShort(payload.length).writeBytes(payload);
    }
}
