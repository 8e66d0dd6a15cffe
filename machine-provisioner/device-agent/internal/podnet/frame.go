package podnet

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net/netip"
)

// maxFrame is the largest payload a 2-byte length can announce (and the largest IPv4 packet).
const maxFrame = 65535

// writeFrame appends one frame: the 2-byte big-endian length, then the packet. An empty packet
// is a keepalive. The caller flushes.
func writeFrame(w *bufio.Writer, packet []byte) error {
	if len(packet) > maxFrame {
		return fmt.Errorf("a packet of %d bytes does not fit in a frame", len(packet))
	}
	var head [2]byte
	binary.BigEndian.PutUint16(head[:], uint16(len(packet)))
	if _, err := w.Write(head[:]); err != nil {
		return err
	}
	_, err := w.Write(packet)
	return err
}

// readFrame reads one frame into buf (at least maxFrame bytes) and returns its payload; an
// empty payload is a keepalive.
func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(buf[:2]))
	if _, err := io.ReadFull(r, buf[:n]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF // a frame cut short is not an orderly end
		}
		return nil, err
	}
	return buf[:n], nil
}

// ipv4 says whether p is exactly one IPv4 packet: version 4, a header of at least 20 bytes
// that fits, and a total length equal to len(p). Both ends drop anything else.
func ipv4(p []byte) bool {
	if len(p) < 20 || p[0]>>4 != 4 {
		return false
	}
	ihl := int(p[0]&0x0f) * 4
	return ihl >= 20 && ihl <= len(p) && int(binary.BigEndian.Uint16(p[2:4])) == len(p)
}

// source and destination of an IPv4 packet (checked with ipv4).
func source(p []byte) netip.Addr      { return netip.AddrFrom4([4]byte(p[12:16])) }
func destination(p []byte) netip.Addr { return netip.AddrFrom4([4]byte(p[16:20])) }
