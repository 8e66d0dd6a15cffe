package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Optional;

/** How tenant kube-apiservers are exposed to devices (Seed {@code spec.exposeStrategy}). */
@Serdeable
public enum ExposeStrategy {
    /** A NodePort Service in the seed cluster (pods runtime). */
    @JsonProperty("NodePort")
    NODE_PORT("NodePort"),
    /** A LoadBalancer Service in the seed cluster (pods runtime). */
    @JsonProperty("LoadBalancer")
    LOAD_BALANCER("LoadBalancer"),
    /** A port allocated on the seed host; what the embedded process runtime uses. */
    @JsonProperty("HostPort")
    HOST_PORT("HostPort");

    /** Applied when a seed does not set {@code exposeStrategy}. */
    public static final ExposeStrategy DEFAULT = HOST_PORT;

    private final String yamlName;

    ExposeStrategy(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The spelling used in Seed YAML and the API, e.g. {@code HostPort}. */
    public String yamlName() {
        return yamlName;
    }

    public static Optional<ExposeStrategy> fromYamlName(String name) {
        return Arrays.stream(values()).filter(s -> s.yamlName.equals(name)).findFirst();
    }
}
