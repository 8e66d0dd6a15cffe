package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Rules JSON Schema cannot state clearly: exactly one provider per datacenter, name and address
 * syntax. They run on whatever the document holds, even when the schema already failed, so one
 * pass reports everything; each rule skips values of the wrong type (the schema reports those).
 */
final class SeedSemanticChecks {

    private static final String DNS_LABEL_RULE =
            "must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit";

    private final ProblemList problems;

    private SeedSemanticChecks(ProblemList problems) {
        this.problems = problems;
    }

    static void check(JsonNode root, ProblemList problems) {
        new SeedSemanticChecks(problems).seed(root);
    }

    private void seed(JsonNode root) {
        text(root.path("metadata").path("name"), "metadata.name", NetworkNames::isDnsLabel, DNS_LABEL_RULE);
        JsonNode spec = root.path("spec");
        text(spec.path("externalAddress"), "spec.externalAddress", NetworkNames::isHostOrIp,
                "must be a host name or IP address without scheme or port, such as seed.example.com or 10.0.0.5");
        JsonNode datacenters = spec.path("datacenters");
        if (datacenters.isObject()) {
            for (Map.Entry<String, JsonNode> datacenter : datacenters.properties()) {
                datacenter(datacenter.getKey(), datacenter.getValue());
            }
        }
    }

    private void datacenter(String name, JsonNode datacenter) {
        String path = FieldPath.child("spec.datacenters", name);
        if (!NetworkNames.isDnsLabel(name)) {
            problems.atKey(path, "invalid datacenter name: " + DNS_LABEL_RULE);
        }
        JsonNode node = datacenter.path("node");
        String nodePath = FieldPath.child(path, "node");
        text(node.path("httpProxy"), FieldPath.child(nodePath, "httpProxy"), NetworkNames::isHttpUrl,
                "must be an http:// or https:// URL, such as http://proxy.example.com:3128");
        list(node.path("registryMirrors"), FieldPath.child(nodePath, "registryMirrors"), NetworkNames::isHttpUrl,
                "must be an http:// or https:// URL, such as https://mirror.example.com");
        list(node.path("insecureRegistries"), FieldPath.child(nodePath, "insecureRegistries"), NetworkNames::isHostPort,
                "must be host or host:port without scheme, such as registry.example.com:5000");
        JsonNode spec = datacenter.path("spec");
        if (spec.isObject()) {
            provider(spec, FieldPath.child(path, "spec"));
            list(spec.path("requiredEmails"), FieldPath.child(path, "spec.requiredEmails"), NetworkNames::isHostName,
                    "must be an e-mail domain such as example.com");
        }
    }

    private void provider(JsonNode spec, String path) {
        List<String> declared = DatacenterProvider.yamlKeys().stream().filter(spec::has).toList();
        if (declared.isEmpty()) {
            problems.atKey(path, "no provider: set exactly one of " + String.join(", ", DatacenterProvider.yamlKeys()));
        } else if (declared.size() > 1) {
            problems.atKey(path, "more than one provider (" + String.join(", ", declared) + "): set exactly one");
        }
    }

    private void text(JsonNode value, String path, Predicate<String> rule, String message) {
        // Empty strings are the schema's to report (minLength), once.
        if (value.isTextual() && !value.asText().isEmpty() && !rule.test(value.asText())) {
            problems.atValue(path, message + " (got \"" + value.asText() + "\")");
        }
    }

    private void list(JsonNode values, String path, Predicate<String> rule, String message) {
        if (values.isArray()) {
            for (int i = 0; i < values.size(); i++) {
                text(values.get(i), FieldPath.item(path, i), rule, message);
            }
        }
    }
}
