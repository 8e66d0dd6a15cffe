package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One admitted device connection. Other connections hand it packets from their own event loops;
 * Netty queues each write to this connection's loop, so a slow device only ever fills its own
 * bounded outbound buffer.
 */
final class RelaySession {
    private final Admitted device;
    private final Channel channel;
    private volatile String closeReason;

    RelaySession(Admitted device, Channel channel) {
        this.device = device;
        this.channel = channel;
    }

    String clusterId() {
        return device.clusterId();
    }

    String node() {
        return device.node();
    }

    String machineId() {
        return device.machineId();
    }

    Ipv4Cidr podRange() {
        return device.podRange();
    }

    Admitted device() {
        return device;
    }

    /** {@code machine=project/cluster/node}, as log lines name it. */
    String ref() {
        return "machine=" + device.machine();
    }

    Channel channel() {
        return channel;
    }

    /** Whether the device may send from {@code address}: it lies in its pod range. */
    boolean owns(int address) {
        return PodRoutes.contains(device.podRange(), address);
    }

    /**
     * Queues {@code packet} (not consumed) for this device, unflushed; {@link #flush} sends what was
     * queued. Dropped when the connection's outbound buffer is above its high-water mark.
     */
    PacketOutcome offer(ByteBuf packet) {
        if (!channel.isWritable()) {
            return PacketOutcome.CONGESTED;
        }
        channel.write(RelayFrames.frame(channel.alloc(), packet), channel.voidPromise());
        return PacketOutcome.RELAYED;
    }

    void flush() {
        channel.flush();
    }

    /** Closes the connection; the first reason given is the one its log line shows. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        channel.close();
    }

    /** Why the relay closed it; null when the device or the network did. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public String toString() {
        return ref() + " podRange=" + device.podRange();
    }
}
