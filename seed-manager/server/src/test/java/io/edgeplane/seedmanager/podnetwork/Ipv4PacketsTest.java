package io.edgeplane.seedmanager.podnetwork;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the relay accepts as one IPv4 packet, and the addresses it reads from it. */
class Ipv4PacketsTest {

    @Test
    void aWholePacketIsWellFormedAndItsAddressesAreRead() {
        ByteBuf packet = Unpooled.wrappedBuffer(packet("10.244.1.7", "10.244.2.9", 8));
        assertThat(Ipv4Packets.wellFormed(packet)).isTrue();
        assertThat(Ipv4Packets.format(Ipv4Packets.source(packet))).isEqualTo("10.244.1.7");
        assertThat(Ipv4Packets.format(Ipv4Packets.destination(packet))).isEqualTo("10.244.2.9");
        assertThat(packet.readerIndex()).as("not consumed").isZero();
    }

    @Test
    void addressesAboveTheSignBitAreReadUnsigned() {
        ByteBuf packet = Unpooled.wrappedBuffer(packet("192.168.200.1", "255.255.255.254", 0));
        assertThat(Ipv4Packets.format(Ipv4Packets.source(packet))).isEqualTo("192.168.200.1");
        assertThat(Ipv4Packets.format(Ipv4Packets.destination(packet))).isEqualTo("255.255.255.254");
    }

    @Test
    void aPacketWithOptionsIsWellFormed() {
        byte[] bytes = packet("10.244.1.7", "10.244.2.9", 12);
        bytes[0] = 0x46;                               // IHL 6: one option word, counted in the 32 bytes
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(bytes))).isTrue();
    }

    @Test
    void aPacketReadFromTheMiddleOfABufferIsReadFromItsReaderIndex() {
        byte[] bytes = packet("10.244.1.7", "10.244.2.9", 4);
        ByteBuf buffer = Unpooled.buffer().writeBytes(new byte[]{1, 2, 3}).writeBytes(bytes);
        buffer.skipBytes(3);
        assertThat(Ipv4Packets.wellFormed(buffer)).isTrue();
        assertThat(Ipv4Packets.format(Ipv4Packets.destination(buffer))).isEqualTo("10.244.2.9");
    }

    @Test
    void framesThatAreNotOneIpv4PacketAreNot() {
        byte[] ipv6 = packet("10.244.1.7", "10.244.2.9", 20);
        ipv6[0] = 0x60;
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(ipv6))).as("IPv6").isFalse();

        byte[] shortHeader = packet("10.244.1.7", "10.244.2.9", 20);
        shortHeader[0] = 0x44;
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(shortHeader))).as("IHL 4").isFalse();

        byte[] headerBeyondFrame = packet("10.244.1.7", "10.244.2.9", 0);
        headerBeyondFrame[0] = 0x4F;
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(headerBeyondFrame))).as("IHL 15 in 20 bytes").isFalse();

        byte[] longer = packet("10.244.1.7", "10.244.2.9", 8);
        longer[3] = (byte) (longer[3] + 1);
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(longer))).as("total length beyond the frame").isFalse();

        byte[] shorter = packet("10.244.1.7", "10.244.2.9", 8);
        shorter[3] = (byte) (shorter[3] - 1);
        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(shorter))).as("frame beyond the total length").isFalse();

        assertThat(Ipv4Packets.wellFormed(Unpooled.wrappedBuffer(new byte[19]))).as("shorter than a header").isFalse();
        assertThat(Ipv4Packets.wellFormed(Unpooled.EMPTY_BUFFER)).isFalse();
    }

    /** A minimal IPv4 packet (no checksum: the relay does not look at it) with {@code payload} zero bytes. */
    static byte[] packet(String source, String destination, int payload) {
        int length = 20 + payload;
        ByteBuf packet = Unpooled.buffer(length)
                .writeByte(0x45).writeByte(0).writeShort(length)
                .writeShort(0).writeShort(0)
                .writeByte(64).writeByte(17).writeShort(0)
                .writeInt(address(source)).writeInt(address(destination))
                .writeZero(payload);
        return packet.array();
    }

    static int address(String dotted) {
        String[] parts = dotted.split("\\.");
        int address = 0;
        for (String part : parts) {
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }
}
