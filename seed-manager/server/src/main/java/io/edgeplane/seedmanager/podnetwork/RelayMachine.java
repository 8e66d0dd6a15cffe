package io.edgeplane.seedmanager.podnetwork;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * What the sweep needs to know of one machine of a cluster with sessions.
 *
 * @param id                     the MachineDeployment's id
 * @param deleteRequested        the machine is being deleted
 * @param clusterDeleteRequested its cluster is being deleted
 * @param podCidr                its pod range; null while it has none
 */
@Introspected
record RelayMachine(String id, boolean deleteRequested, boolean clusterDeleteRequested, @Nullable String podCidr) {
}
