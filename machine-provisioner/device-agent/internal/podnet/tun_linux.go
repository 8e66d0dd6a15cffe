package podnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// errNoDevice: the TUN is not open (not yet, or it is being opened anew).
var errNoDevice = errors.New("the TUN device is not open")

// tun is the pod network's TUN device. It is persistent, so that while the agent is down the
// kernel still routes other devices' pods into it and drops those packets there, instead of
// sending them out by the default route. It is opened anew when someone deleted it.
type tun struct {
	name string

	mu    sync.Mutex
	file  *os.File
	index int // the interface's index when opened: another index means another device
}

// ensure opens the device (creating it) unless the open one is still there; it says whether it
// opened one.
func (t *tun) ensure() (bool, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file != nil {
		if ifc, err := net.InterfaceByName(t.name); err == nil && ifc.Index == t.index {
			return false, nil
		}
		t.file.Close()
		t.file = nil
	}
	f, err := openTun(t.name)
	if err != nil {
		return false, err
	}
	ifc, err := net.InterfaceByName(t.name)
	if err != nil {
		f.Close()
		return false, fmt.Errorf("the TUN device %s: %w", t.name, err)
	}
	t.file, t.index = f, ifc.Index
	return true, nil
}

func (t *tun) current() *os.File {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.file
}

// Read reads one packet. A device opened anew meanwhile is read at once.
func (t *tun) Read(p []byte) (int, error) {
	for {
		f := t.current()
		if f == nil {
			return 0, errNoDevice
		}
		n, err := f.Read(p)
		if err != nil && t.current() != f && t.current() != nil {
			continue
		}
		return n, err
	}
}

// Write writes one packet.
func (t *tun) Write(p []byte) (int, error) {
	f := t.current()
	if f == nil {
		return 0, errNoDevice
	}
	return f.Write(p)
}

// Close lets go of the device, which stays (persistent).
func (t *tun) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return nil
	}
	err := t.file.Close()
	t.file = nil
	return err
}

// openTun attaches to the TUN device name, creating it: IFF_TUN (IP packets, no Ethernet),
// IFF_NO_PI (no 4-byte header before each packet), persistent.
func openTun(name string) (*os.File, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("opening /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("the TUN device %s: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		switch {
		case errors.Is(err, unix.EBUSY):
			return nil, fmt.Errorf("the TUN device %s is in use by another process (a second agent?)", name)
		case errors.Is(err, unix.EINVAL):
			return nil, fmt.Errorf("%s exists and is not a TUN device without packet information (%v)", name, err)
		}
		return nil, fmt.Errorf("creating the TUN device %s: %w", name, err)
	}
	if err := unix.IoctlSetInt(fd, unix.TUNSETPERSIST, 1); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("making the TUN device %s persistent: %w", name, err)
	}
	// Non-blocking, so that the runtime's poller serves it and Close ends a pending Read.
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("the TUN device %s: %w", name, err)
	}
	return os.NewFile(uintptr(fd), "/dev/net/tun:"+name), nil
}

// linuxHost is the TUN with the routing around it.
type linuxHost struct {
	*tun
	routing routing
}

func newHost(cfg Config, log *slog.Logger) Host {
	return &linuxHost{tun: &tun{name: cfg.Interface}, routing: routing{cfg: cfg, run: execRunner, log: log, procSys: "/proc/sys"}}
}

// Converge opens the TUN when it is not open (or was deleted), then sets up its routing.
func (h *linuxHost) Converge(ctx context.Context) error {
	opened, err := h.tun.ensure()
	if err != nil {
		return err
	}
	if opened {
		h.routing.log.Info("opened the pod network's TUN device", "step", "pod-network-host", "device", h.tun.name)
	}
	return h.routing.converge(ctx)
}
