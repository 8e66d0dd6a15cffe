package io.edgeplane.seedmanager.podnetwork;

/** What became of one packet a device sent; the {@code outcome} label of the packets counter. */
enum PacketOutcome {
    /** Handed to the connection of the device whose pod range holds the destination. */
    RELAYED("relayed"),
    /** Dropped: its source is not in the sending device's pod range. */
    SPOOFED("spoofed"),
    /** Dropped: no other connected device of the cluster holds the destination. */
    NO_ROUTE("no-route"),
    /** Dropped: the destination device's connection has a full outbound buffer; a router drops, it does not block the sender. */
    CONGESTED("congested"),
    /** Dropped: the frame is not one IPv4 packet. */
    MALFORMED("malformed");

    private final String label;

    PacketOutcome(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
