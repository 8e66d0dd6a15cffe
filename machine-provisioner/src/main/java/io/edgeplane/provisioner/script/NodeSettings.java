package io.edgeplane.provisioner.script;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A datacenter's settings for the container runtime of its nodes.
 *
 * @param httpProxy          proxy for image pulls and downloads, {@code http://host:port}; null for none
 * @param noProxy            hosts, domains ({@code .example.com}) and CIDRs reached without the proxy
 * @param registryMirrors    mirrors for docker.io, tried in order ({@code https://mirror.example.com})
 * @param insecureRegistries registries reached over plain HTTP, {@code host[:port]}
 * @param pauseImage         the pod sandbox image; null keeps the distribution's containerd default
 */
public record NodeSettings(String httpProxy, List<String> noProxy, List<String> registryMirrors,
                           List<String> insecureRegistries, String pauseImage) {
    public NodeSettings {
        noProxy = copy(noProxy);
        registryMirrors = copy(registryMirrors);
        insecureRegistries = copy(insecureRegistries);
    }

    /** Unmodifiable, nulls kept for the validator to name. */
    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    /** No proxy, no mirrors, the default pause image. */
    public static NodeSettings defaults() {
        return new NodeSettings(null, List.of(), List.of(), List.of(), null);
    }
}
