// Package onboarding is the device's onboarding check (PROTOCOL.md, "The onboarding check"): before
// the seed places work on a device that joined, the device shows that its container runtime pulls
// and runs an image from the datacenter's registry, that its clock agrees with the apiserver's, and
// that it has the disk and memory to run something.
package onboarding

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"edgeplane.io/device-agent/internal/kube"
	"edgeplane.io/device-agent/internal/model"
)

// clockCheck passes when the clocks may differ by at most limit: certificates are valid from a
// time, and a device far behind refuses the seed's newest ones.
func clockCheck(sample *kube.ClockReading, limit time.Duration) model.CheckResult {
	r := model.CheckResult{Name: model.CheckClock}
	if sample == nil {
		r.Message = "no answer from the apiserver yet to compare this device's clock with"
		return r
	}
	skew := sample.Offset.Abs()
	direction := "ahead of"
	if sample.Offset < 0 {
		direction = "behind"
	}
	least := max(skew-sample.Uncertainty, 0)
	if least > limit {
		r.Message = fmt.Sprintf("this device's clock is %s %s the apiserver's (at most %s allowed): set its time, e.g. with NTP",
			round(skew), direction, limit)
		return r
	}
	r.Passed = true
	r.Message = fmt.Sprintf("within %s of the apiserver's clock (at most %s allowed)", round(skew+sample.Uncertainty), limit)
	return r
}

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// diskCheck passes when path's file system has at least minMiB free for an unprivileged writer.
// A path not made yet is judged by the nearest directory above it, where it will be made.
func diskCheck(path string, minMiB int64) model.CheckResult {
	r := model.CheckResult{Name: model.CheckDisk}
	for {
		if _, err := os.Stat(path); err == nil || filepath.Dir(path) == path {
			break
		}
		path = filepath.Dir(path)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(path, &fs); err != nil {
		r.Message = fmt.Sprintf("cannot read the free space of %s: %v", path, err)
		return r
	}
	free := int64(fs.Bavail) * int64(fs.Bsize) >> 20
	r.Passed = free >= minMiB
	r.Message = fmt.Sprintf("%d MiB free on %s (at least %d MiB needed)", free, path, minMiB)
	return r
}

// memoryCheck passes when the kernel estimates at least minMiB available (MemAvailable).
func memoryCheck(meminfo string, minMiB int64) model.CheckResult {
	r := model.CheckResult{Name: model.CheckMemory}
	raw, err := os.ReadFile(meminfo)
	if err != nil {
		r.Message = fmt.Sprintf("cannot read %s: %v", meminfo, err)
		return r
	}
	kib, ok := memAvailableKiB(raw)
	if !ok {
		r.Message = meminfo + " has no MemAvailable line"
		return r
	}
	available := kib >> 10
	r.Passed = available >= minMiB
	r.Message = fmt.Sprintf("%d MiB of memory available (at least %d MiB needed)", available, minMiB)
	return r
}

// memAvailableKiB reads "MemAvailable:  123456 kB".
func memAvailableKiB(meminfo []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			n, err := strconv.ParseInt(fields[1], 10, 64)
			return n, err == nil && n >= 0
		}
	}
	return 0, false
}
