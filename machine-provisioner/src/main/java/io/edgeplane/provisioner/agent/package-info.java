/**
 * The device agent {@code edgeplane-device} as this module ships it: Go sources in
 * {@code machine-provisioner/device-agent/}, static binaries in the jar.
 */
package io.edgeplane.provisioner.agent;
