package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.Map;

/**
 * The seed cluster that hosts control planes as pods.
 *
 * @param kubeconfig path of a kubeconfig for the seed cluster; null means in-cluster configuration
 * @param images     image per component (etcd, kube-apiserver, kube-controller-manager, kube-scheduler);
 *                   {@value #VERSION} is replaced by the cluster's Kubernetes version, so an upgrade
 *                   rolls the components onto new images
 * @param requests   per component id, {@code <cpu>,<memory>} its container requests instead of the default
 */
@ConfigurationProperties("edgeplane.pods-runtime")
public record PodsRuntimeConfig(@Nullable String kubeconfig, Map<String, String> images, @Nullable Map<String, String> requests) {
    public static final String VERSION = "{version}";
}
