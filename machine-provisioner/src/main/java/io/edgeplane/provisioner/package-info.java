/**
 * Renders provisioning scripts from {@code bootstrap-scripts/}, delivers them over SSH, and holds
 * the device and node identity rules. Never depends on the seed manager.
 */
package io.edgeplane.provisioner;
