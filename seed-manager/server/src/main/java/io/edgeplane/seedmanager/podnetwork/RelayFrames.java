package io.edgeplane.seedmanager.podnetwork;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * The framing on a device connection, both ways: a 2-byte big-endian length N, then N bytes that
 * are one IPv4 packet; N = 0 is a keepalive. A 16-bit length cannot exceed an IPv4 packet's
 * largest size, so no frame is ever too long.
 */
final class RelayFrames {
    static final int LENGTH_BYTES = 2;
    static final int MAX_PAYLOAD = 65535;

    private RelayFrames() {
    }

    /** Splits the decrypted stream into payloads (length stripped); a keepalive is an empty one. */
    static LengthFieldBasedFrameDecoder decoder() {
        return new LengthFieldBasedFrameDecoder(LENGTH_BYTES + MAX_PAYLOAD, 0, LENGTH_BYTES, 0, LENGTH_BYTES);
    }

    /** One frame holding the readable bytes of {@code packet}, allocated by {@code alloc} (the receiving connection's). */
    static ByteBuf frame(ByteBufAllocator alloc, ByteBuf packet) {
        int length = packet.readableBytes();
        if (length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a frame holds at most " + MAX_PAYLOAD + " bytes, not " + length);
        }
        ByteBuf frame = alloc.buffer(LENGTH_BYTES + length);
        frame.writeShort(length);
        frame.writeBytes(packet, packet.readerIndex(), length);
        return frame;
    }

    static ByteBuf keepalive(ByteBufAllocator alloc) {
        return alloc.buffer(LENGTH_BYTES).writeShort(0);
    }
}
