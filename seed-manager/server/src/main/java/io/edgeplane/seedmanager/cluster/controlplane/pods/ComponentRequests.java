package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU and memory requests an operator sets for control-plane containers
 * (EDGEPLANE_PODS_RUNTIME_REQUESTS_&lt;COMPONENT&gt;=&lt;cpu&gt;,&lt;memory&gt;), over the builders' defaults: a
 * small seed cluster packs more control planes with smaller requests, a busy tenant needs larger ones.
 */
public final class ComponentRequests {
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");

    private final Map<Component, Map<String, Quantity>> configured;

    private ComponentRequests(Map<Component, Map<String, Quantity>> configured) {
        this.configured = configured;
    }

    public static ComponentRequests none() {
        return new ComponentRequests(Map.of());
    }

    /** @param settings component id (e.g. {@code kube-apiserver}) to {@code <cpu>,<memory>}, e.g. {@code 100m,256Mi} */
    public static ComponentRequests parse(Map<String, String> settings) {
        Map<Component, Map<String, Quantity>> parsed = new EnumMap<>(Component.class);
        (settings == null ? Map.<String, String>of() : settings).forEach((id, value) -> {
            Component component = Arrays.stream(Component.values()).filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> new InvalidConfigurationException("edgeplane.pods-runtime.requests." + id
                            + ": no such component; components are " + Arrays.stream(Component.values()).map(Component::id).toList()));
            String[] parts = value == null ? new String[0] : value.split(",", -1);
            if (parts.length != 2 || !QUANTITY.matcher(parts[0].strip()).matches() || !QUANTITY.matcher(parts[1].strip()).matches()) {
                throw new InvalidConfigurationException("edgeplane.pods-runtime.requests." + id
                        + " must be <cpu>,<memory> such as 100m,256Mi, got '" + value + "'");
            }
            Map<String, Quantity> requests = new TreeMap<>();
            requests.put("cpu", new Quantity(parts[0].strip()));
            requests.put("memory", new Quantity(parts[1].strip()));
            parsed.put(component, requests);
        });
        return new ComponentRequests(parsed);
    }

    /** Sets the configured requests on the component's own container of a Deployment or StatefulSet; other objects pass unchanged. */
    HasMetadata applyTo(HasMetadata object) {
        PodSpec pod = object instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
                : object instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec() : null;
        if (pod == null) {
            return object;
        }
        for (Container container : pod.getContainers()) {
            configured.forEach((component, requests) -> {
                if (component.id().equals(container.getName())) {
                    container.getResources().setRequests(new TreeMap<>(requests));
                }
            });
        }
        return object;
    }
}
