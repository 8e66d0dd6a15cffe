package io.edgeplane.seedmanager.podnetwork;

import io.netty.buffer.ByteBuf;

/**
 * The little the relay reads of an IPv4 header: whether a frame holds one whole packet, and its
 * addresses (as unsigned 32-bit values in an int). Options and payload are never looked at.
 */
final class Ipv4Packets {
    static final int MIN_HEADER = 20;
    private static final int SOURCE_OFFSET = 12;
    private static final int DESTINATION_OFFSET = 16;

    private Ipv4Packets() {
    }

    /**
     * Whether the readable bytes of {@code frame} are exactly one IPv4 packet: version 4, a header
     * length of at least 5 words that fits, and a total length equal to the frame's.
     */
    static boolean wellFormed(ByteBuf frame) {
        int length = frame.readableBytes();
        if (length < MIN_HEADER) {
            return false;
        }
        int start = frame.readerIndex();
        int versionAndIhl = frame.getUnsignedByte(start);
        int headerLength = (versionAndIhl & 0x0F) * 4;
        return versionAndIhl >>> 4 == 4
                && headerLength >= MIN_HEADER && headerLength <= length
                && frame.getUnsignedShort(start + 2) == length;
    }

    /** The source address of a {@link #wellFormed} packet. */
    static int source(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + SOURCE_OFFSET);
    }

    /** The destination address of a {@link #wellFormed} packet. */
    static int destination(ByteBuf packet) {
        return packet.getInt(packet.readerIndex() + DESTINATION_OFFSET);
    }

    /** Dotted-quad form of an address, for logs and messages. */
    static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
