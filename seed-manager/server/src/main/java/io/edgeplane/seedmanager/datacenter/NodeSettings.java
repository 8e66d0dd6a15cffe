package io.edgeplane.seedmanager.datacenter;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Settings applied to every device joining a cluster in a datacenter ({@code node} in the Seed).
 *
 * @param httpProxy          http(s) proxy URL for the devices, or null for none
 * @param noProxy            hosts, domains and CIDRs reached without the proxy
 * @param registryMirrors    http(s) URLs containerd tries before the upstream registry
 * @param insecureRegistries host or host:port registries reached over plain HTTP or unverified TLS
 * @param pauseImage         sandbox image, or null for the kubelet's default
 */
@Serdeable
public record NodeSettings(@Nullable String httpProxy,
                           List<String> noProxy,
                           List<String> registryMirrors,
                           List<String> insecureRegistries,
                           @Nullable String pauseImage) {

    public static final NodeSettings NONE = new NodeSettings(null, List.of(), List.of(), List.of(), null);

    public NodeSettings {
        noProxy = List.copyOf(noProxy);
        registryMirrors = List.copyOf(registryMirrors);
        insecureRegistries = List.copyOf(insecureRegistries);
    }
}
