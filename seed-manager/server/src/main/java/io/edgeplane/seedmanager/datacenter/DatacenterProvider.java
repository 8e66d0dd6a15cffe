package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The provider a datacenter declares under {@code spec}; exactly one per datacenter. */
@Serdeable
public enum DatacenterProvider {
    /** Devices run containerd and a kubelet and join a control plane hosted by this seed. */
    @JsonProperty("edge")
    EDGE("edge"),
    /**
     * Accepted so seeds shared with other tooling validate; Edgeplane lists such datacenters but
     * creates clusters only in edge datacenters.
     */
    @JsonProperty("bringyourown")
    BRING_YOUR_OWN("bringyourown");

    private final String yamlKey;

    DatacenterProvider(String yamlKey) {
        this.yamlKey = yamlKey;
    }

    /** The key under a datacenter's {@code spec}, e.g. {@code edge}; also its JSON spelling. */
    public String yamlKey() {
        return yamlKey;
    }

    /** Whether Edgeplane can create clusters in a datacenter with this provider. */
    public boolean supportsClusters() {
        return this == EDGE;
    }

    public static Optional<DatacenterProvider> fromYamlKey(String key) {
        return Arrays.stream(values()).filter(p -> p.yamlKey.equals(key)).findFirst();
    }

    static List<String> yamlKeys() {
        return Arrays.stream(values()).map(DatacenterProvider::yamlKey).toList();
    }
}
