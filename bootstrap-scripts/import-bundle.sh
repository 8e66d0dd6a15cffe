#!/usr/bin/env bash
# Edgeplane offline bundle import: runs an exported workload on this device without any network.
# Run it as root on the device:
#
#   import-bundle.sh BUNDLE.tar        import (or update) the workload of the bundle
#   import-bundle.sh --remove WORKLOAD remove an imported workload (its images stay)
#   import-bundle.sh --help
#
# provision.sh installs the same program on every device as /usr/local/bin/edgeplane-import-bundle
# (see lib/bundle.sh); this file is it for development and for devices provisioned before.
#
# Steps, each printed as "[step] ...": preflight (root, tools, one import at a time), extract (into
# a private temporary directory; only the names a bundle has, only regular files), verify (bundle.env
# parsed, never sourced; the bundle's cluster CA hash must be this device's
# (/etc/kubernetes/pki/ca.crt); SHA256SUMS.sig must verify with that CA's public key; every file
# must match SHA256SUMS; the bundle must be for this node (/etc/edgeplane/node-name)), images
# (`ctr -n k8s.io images import`, skipped when containerd holds the image with the same digest),
# configuration (app.yaml to /var/lib/edgeplane/workloads/<workload>/<spec hash>/), pod (where the
# device agent is installed (/usr/local/bin/edgeplane-device): handed to it with
# `edgeplane-device workloads import-verified`, which records the import for the seed manager and
# writes /etc/kubernetes/manifests/edgeplane-workload-<workload>.<spec hash>.yaml; elsewhere the
# static pod is written atomically to /etc/kubernetes/manifests/edgeplane-workload-<workload>.yaml;
# an older version of the workload is replaced). --remove goes through the agent likewise
# (`edgeplane-device workloads delete`). Any failure exits non-zero naming its step; nothing is
# started from a bundle that did not verify. Idempotent: a second run changes nothing and says so;
# a run killed at any point is completed by the next.
#
# Environment knobs: TMPDIR (where the bundle is extracted; default /tmp; needs the bundle's size),
# EDGEPLANE_IMPORT_REASON (why; the device agent records it with the import as its cause).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/lib.sh
source "$SCRIPT_DIR/lib/lib.sh"
# shellcheck source=lib/layout.sh
source "$SCRIPT_DIR/lib/layout.sh"
# shellcheck source=lib/files.sh
source "$SCRIPT_DIR/lib/files.sh"
# shellcheck source=lib/bundle.sh
source "$SCRIPT_DIR/lib/bundle.sh"

bundle_main "$@"
