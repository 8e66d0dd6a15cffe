package model

import (
	"fmt"
	"regexp"
)

var (
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	specHash = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	// imageReference: [host[:port]/]path[:tag][@digest], nothing that YAML or a shell would read
	// otherwise (it is written into a static pod file).
	imageReference = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}(@sha256:[a-f0-9]{64})?$`)
)

// CheckWorkloadName accepts DNS labels only: the name becomes part of file and directory names.
func CheckWorkloadName(name string) error {
	if len(name) == 0 || len(name) > 63 || !dnsLabel.MatchString(name) {
		return fmt.Errorf("workload name %q is not a DNS label (lower-case letters, digits, '-', at most 63)", name)
	}
	return nil
}

// CheckSpecHash accepts letters and digits only, at most 64: the hash names files too.
func CheckSpecHash(hash string) error {
	if len(hash) == 0 || len(hash) > 64 || !specHash.MatchString(hash) {
		return fmt.Errorf("spec hash %q is not 1 to 64 letters and digits", hash)
	}
	return nil
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
