package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the {@link Seed} records from a document that passed every check, applying defaults. */
final class SeedBinder {

    private SeedBinder() {
    }

    static Seed bind(JsonNode root) {
        JsonNode spec = root.path("spec");
        List<Datacenter> datacenters = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : spec.path("datacenters").properties()) {
            datacenters.add(datacenter(entry.getKey(), entry.getValue()));
        }
        ExposeStrategy exposeStrategy = spec.has("exposeStrategy")
                ? ExposeStrategy.fromYamlName(spec.get("exposeStrategy").asText()).orElseThrow()
                : ExposeStrategy.DEFAULT;
        return new Seed(root.path("metadata").path("name").asText(),
                spec.path("country").asText(),
                spec.path("location").asText(),
                exposeStrategy,
                spec.path("externalAddress").asText(),
                datacenters);
    }

    private static Datacenter datacenter(String name, JsonNode datacenter) {
        JsonNode spec = datacenter.path("spec");
        DatacenterProvider provider = DatacenterProvider.yamlKeys().stream()
                .filter(spec::has)
                .findFirst()
                .flatMap(DatacenterProvider::fromYamlKey)
                .orElseThrow();
        return new Datacenter(name,
                datacenter.path("country").asText(),
                datacenter.path("location").asText(),
                node(datacenter.path("node")),
                provider,
                strings(spec.path("requiredEmails")),
                spec.path("enforceAuditLogging").asBoolean(false));
    }

    private static NodeSettings node(JsonNode node) {
        if (node.isMissingNode()) {
            return NodeSettings.NONE;
        }
        return new NodeSettings(textOrNull(node.path("httpProxy")),
                strings(node.path("noProxy")),
                strings(node.path("registryMirrors")),
                strings(node.path("insecureRegistries")),
                textOrNull(node.path("pauseImage")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static @Nullable String textOrNull(JsonNode value) {
        return value.isTextual() ? value.asText() : null;
    }
}
