package podnet

import (
	"encoding/binary"
	"io"
	"log/slog"
	"net/netip"
)

// packet is an IPv4/UDP packet from src to dst, header checksum right (a real kernel checks
// it), UDP checksum 0 (none, allowed for IPv4).
func packet(src, dst string, srcPort, dstPort uint16, payload string) []byte {
	p := make([]byte, 28+len(payload))
	p[0] = 0x45
	binary.BigEndian.PutUint16(p[2:], uint16(len(p)))
	p[8] = 64 // TTL
	p[9] = 17 // UDP
	s, d := netip.MustParseAddr(src).As4(), netip.MustParseAddr(dst).As4()
	copy(p[12:], s[:])
	copy(p[16:], d[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(p[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(p[10:], ^uint16(sum))
	binary.BigEndian.PutUint16(p[20:], srcPort)
	binary.BigEndian.PutUint16(p[22:], dstPort)
	binary.BigEndian.PutUint16(p[24:], uint16(8+len(payload)))
	copy(p[28:], payload)
	return p
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testConfig is cluster 10.244.0.0/16, this device 10.244.3.0/24.
func testConfig() Config {
	return Config{
		Relay: "seed.example:8134", ServerName: "cabcdefghij.pod-network.edgeplane.invalid",
		ClusterCIDR: netip.MustParsePrefix("10.244.0.0/16"), PodRange: netip.MustParsePrefix("10.244.3.0/24"),
		Interface: DefaultInterface,
	}
}
