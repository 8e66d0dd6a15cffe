package onboarding

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"edgeplane.io/device-agent/internal/kube"
)

// The test bed's devices share the host's clock, so the clock check's judgement is tested here.
func TestClockCheck(t *testing.T) {
	limit := 30 * time.Second
	for _, tc := range []struct {
		name    string
		sample  *kube.ClockReading
		passed  bool
		message string
	}{
		{"no answer yet", nil, false, "no answer from the apiserver yet"},
		{"in step", &kube.ClockReading{Offset: 200 * time.Millisecond, Uncertainty: 600 * time.Millisecond}, true,
			"within 800ms of the apiserver's clock (at most 30s allowed)"},
		{"ahead past the limit", &kube.ClockReading{Offset: 2 * time.Minute, Uncertainty: 600 * time.Millisecond}, false,
			"this device's clock is 2m0s ahead of the apiserver's (at most 30s allowed): set its time"},
		{"behind past the limit", &kube.ClockReading{Offset: -45 * time.Second, Uncertainty: time.Second}, false,
			"45s behind the apiserver's"},
		// A slow answer cannot prove a skew: only what is beyond doubt fails.
		{"past the limit only within the uncertainty", &kube.ClockReading{Offset: 33 * time.Second, Uncertainty: 4 * time.Second}, true,
			"within 37s"},
		{"exactly at the limit", &kube.ClockReading{Offset: -30 * time.Second}, true, "within 30s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := clockCheck(tc.sample, limit)
			if r.Name != "clock" || r.Passed != tc.passed || !strings.Contains(r.Message, tc.message) {
				t.Fatalf("got %+v, want passed=%v and %q", r, tc.passed, tc.message)
			}
		})
	}
}

func TestDiskCheckJudgesTheFileSystemOfThePathOrOfItsNearestDirectory(t *testing.T) {
	dir := t.TempDir()
	if r := diskCheck(dir, 0); !r.Passed || r.Name != "disk" || !strings.Contains(r.Message, "MiB free on "+dir) {
		t.Fatalf("got %+v", r)
	}
	if r := diskCheck(dir, 1<<40); r.Passed || !strings.Contains(r.Message, "(at least 1099511627776 MiB needed)") {
		t.Fatalf("a whole exbibyte free? %+v", r)
	}
	if r := diskCheck(filepath.Join(dir, "not", "yet"), 0); !r.Passed || !strings.Contains(r.Message, "free on "+dir+" ") {
		t.Fatalf("a path not made yet: %+v", r)
	}
}

func TestMemoryCheckReadsMemAvailable(t *testing.T) {
	meminfo := filepath.Join(t.TempDir(), "meminfo")
	write(t, meminfo, "MemTotal:       16384000 kB\nMemFree:          100000 kB\nMemAvailable:     524288 kB\n")
	if r := memoryCheck(meminfo, 256); !r.Passed || r.Message != "512 MiB of memory available (at least 256 MiB needed)" {
		t.Fatalf("got %+v", r)
	}
	if r := memoryCheck(meminfo, 1024); r.Passed {
		t.Fatalf("512 MiB passed a minimum of 1024: %+v", r)
	}
	write(t, meminfo, "MemTotal:       16384000 kB\n")
	if r := memoryCheck(meminfo, 0); r.Passed || !strings.Contains(r.Message, "has no MemAvailable line") {
		t.Fatalf("got %+v", r)
	}
	if r := memoryCheck(filepath.Join(t.TempDir(), "absent"), 0); r.Passed || !strings.Contains(r.Message, "cannot read") {
		t.Fatalf("got %+v", r)
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
