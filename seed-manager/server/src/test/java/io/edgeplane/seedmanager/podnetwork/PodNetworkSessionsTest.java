package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.edgeplane.seedmanager.podnetwork.Ipv4PacketsTest.address;
import static io.edgeplane.seedmanager.podnetwork.Ipv4PacketsTest.packet;
import static org.assertj.core.api.Assertions.assertThat;

/** Sessions per cluster: one per node, routes by pod range, never across clusters; and what a session sends. */
class PodNetworkSessionsTest {
    private final PodNetworkSessions sessions = new PodNetworkSessions();

    @Test
    void packetsAreRoutedWithinTheirClusterOnly() {
        RelaySession one = session("c1", "edge-1", "m1", "10.244.1.0/24");
        RelaySession two = session("c1", "edge-2", "m2", "10.244.2.0/24");
        RelaySession otherCluster = session("c2", "edge-1", "m3", "10.244.2.0/24");
        assertThat(sessions.register(one)).isEmpty();
        assertThat(sessions.register(two)).isEmpty();
        assertThat(sessions.register(otherCluster)).as("the same node name and range in another cluster").isEmpty();

        assertThat(sessions.route("c1", address("10.244.2.5"))).isSameAs(two);
        assertThat(sessions.route("c1", address("10.244.1.5"))).isSameAs(one);
        assertThat(sessions.route("c2", address("10.244.2.5"))).isSameAs(otherCluster);
        assertThat(sessions.route("c2", address("10.244.1.5"))).isNull();
        assertThat(sessions.route("c3", address("10.244.1.5"))).isNull();
        assertThat(sessions.count()).isEqualTo(3);
        assertThat(sessions.clusterIds()).containsExactlyInAnyOrder("c1", "c2");
        assertThat(sessions.of("c1")).containsExactlyInAnyOrder(one, two);
    }

    @Test
    void aNewSessionOfANodeReplacesItsOldOne() {
        RelaySession old = session("c1", "edge-1", "m1", "10.244.1.0/24");
        RelaySession fresh = session("c1", "edge-1", "m1", "10.244.1.0/24");
        sessions.register(old);
        assertThat(sessions.register(fresh)).containsExactly(old);
        assertThat(sessions.route("c1", address("10.244.1.5"))).isSameAs(fresh);
        assertThat(sessions.unregister(old)).as("the replaced one is gone already").isFalse();
        assertThat(sessions.route("c1", address("10.244.1.5"))).isSameAs(fresh);
        assertThat(sessions.count()).isOne();

        assertThat(sessions.unregister(fresh)).isTrue();
        assertThat(sessions.count()).isZero();
        assertThat(sessions.clusterIds()).as("an empty cluster is forgotten").isEmpty();
    }

    @Test
    void aNodeWhoseRangeWasGivenAnewLosesIt() {
        RelaySession stale = session("c1", "edge-gone", "m1", "10.244.1.0/24");
        RelaySession holder = session("c1", "edge-new", "m9", "10.244.1.0/24");
        sessions.register(stale);
        assertThat(sessions.register(holder)).containsExactly(stale);
        assertThat(sessions.route("c1", address("10.244.1.5"))).isSameAs(holder);
        assertThat(sessions.of("c1")).containsExactly(holder);
        assertThat(sessions.count()).isOne();
    }

    @Test
    void aSessionFramesWhatItIsGivenAndDropsWhenItsBufferIsFull() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        RelaySession session = new RelaySession(admitted("c1", "edge-2", "m2", "10.244.2.0/24"), channel);
        ByteBuf packet = Unpooled.wrappedBuffer(packet("10.244.1.7", "10.244.2.9", 8));

        assertThat(session.offer(packet)).isEqualTo(PacketOutcome.RELAYED);
        assertThat(packet.readerIndex()).as("the caller's packet is untouched").isZero();
        assertThat(session.offer(packet)).as("above the high-water mark until flushed").isEqualTo(PacketOutcome.CONGESTED);
        session.flush();
        ByteBuf frame = channel.readOutbound();
        assertThat(frame.readUnsignedShort()).isEqualTo(28);
        assertThat(frame.readableBytes()).isEqualTo(28);
        assertThat(Ipv4Packets.format(Ipv4Packets.destination(frame))).isEqualTo("10.244.2.9");
        frame.release();
        assertThat((Object) channel.readOutbound()).as("the dropped one was never written").isNull();
        assertThat(session.offer(packet)).as("writable again once flushed").isEqualTo(PacketOutcome.RELAYED);
        session.flush();
        assertThat(channel.finishAndReleaseAll()).isTrue();
    }

    @Test
    void theFirstReasonToCloseIsKept() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RelaySession session = new RelaySession(admitted("c1", "edge-1", "m1", "10.244.1.0/24"), channel);
        assertThat(session.owns(address("10.244.1.200"))).isTrue();
        assertThat(session.owns(address("10.244.2.1"))).isFalse();
        session.close("its MachineDeployment is gone");
        session.close("the seed manager is stopping");
        assertThat(session.closeReason()).isEqualTo("its MachineDeployment is gone");
        assertThat(channel.isOpen()).isFalse();
        assertThat(session.ref()).isEqualTo("machine=acme/line/edge-1");
    }

    private static RelaySession session(String clusterId, String node, String machineId, String range) {
        return new RelaySession(admitted(clusterId, node, machineId, range), new EmbeddedChannel());
    }

    private static Admitted admitted(String clusterId, String node, String machineId, String range) {
        return new Admitted(clusterId, "acme/line/" + node, node, machineId, Ipv4Cidr.parse(range), Instant.now().plusSeconds(3600));
    }
}
