package io.edgeplane.seedmanager.app;

import io.edgeplane.seedmanager.api.RequestFields;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A validated {@code POST .../apps} body. Every problem is reported at once with its field path
 * ({@code containers[0].image}, {@code containers[1].ports[0].hostPort}, {@code defaultConfiguration.greeting}).
 */
public record AppRequest(String name, String version, String title, String description, AppSpec spec) {
    /** App and workload names: DNS-1123 labels short enough to prefix the objects made from them. */
    public static final int MAX_NAME = 40;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._+-]*[A-Za-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern IO_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile(
            "\\+?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final int MAX_CONFIGURATION = 256 * 1024;

    public static AppRequest parse(@Nullable Map<String, Object> body) {
        RequestFields fields = RequestFields.of(body, Set.of("name", "version", "title", "description", "containers", "inputs",
                "outputs", "defaultConfiguration", "configurationSchema"));
        String name = shortName(fields, "name");
        String version = fields.string("version", true, 64);
        if (version != null && !VERSION.matcher(version).matches()) {
            fields.problem("version", "must be letters, digits, '.', '_', '+' and '-', starting and ending with a letter or digit");
        }
        String title = fields.string("title", false, 200);
        String description = fields.string("description", false, 4096);
        List<AppSpec.Container> containers = containers(fields);
        if (body != null && body.get("containers") instanceof List<?> list && list.isEmpty()) {
            fields.problem("containers", "must list at least one container");
        }
        List<AppSpec.Io> inputs = ios(fields, "inputs");
        List<AppSpec.Io> outputs = ios(fields, "outputs");
        Map<String, Object> defaults = fields.freeObject("defaultConfiguration");
        if (defaults != null && sizeOf(defaults) > MAX_CONFIGURATION) {
            fields.problem("defaultConfiguration", "must be at most " + MAX_CONFIGURATION + " bytes as JSON");
            defaults = null;
        }
        Map<String, Object> schema = null;
        if (fields.present("configurationSchema")) {
            schema = fields.freeObject("configurationSchema");
            if (schema != null) {
                List<io.edgeplane.seedmanager.api.FieldProblem> schemaProblems = ConfigurationSchema.problems(schema, "configurationSchema");
                schemaProblems.forEach(p -> fields.problem(p.field(), p.message()));
                if (schemaProblems.isEmpty() && defaults != null) {
                    // Every workload starts from the defaults, so they must pass on their own.
                    ConfigurationSchema.of(schema).validate(defaults, "defaultConfiguration")
                            .forEach(p -> fields.problem(p.field(), p.message()));
                }
            }
        }
        fields.check();
        return new AppRequest(name, version, title == null ? name : title, description == null ? "" : description,
                new AppSpec(containers, inputs, outputs, defaults, schema));
    }

    /** A DNS-1123 label of at most {@link #MAX_NAME} characters. */
    public static @Nullable String shortName(RequestFields fields, String field) {
        String name = fields.dnsLabel(field);
        if (name != null && name.length() > MAX_NAME) {
            fields.problem(field, "must be at most " + MAX_NAME + " characters");
            return null;
        }
        return name;
    }

    /** Environment variables with valid, unreserved names. */
    public static Map<String, String> environment(RequestFields fields, String field) {
        Map<String, String> env = fields.stringMap(field, 128);
        env.forEach((key, value) -> EnvironmentNames.problem(key).ifPresent(p -> fields.problem(field + "." + key, p)));
        return new TreeMap<>(env);
    }

    private static List<AppSpec.Container> containers(RequestFields fields) {
        if (!fields.present("containers")) {
            fields.problem("containers", "is required: at least one container");
            return List.of();
        }
        List<RequestFields> items = fields.objects("containers", Set.of("name", "image", "env", "ports", "resources"), 16);
        List<AppSpec.Container> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (RequestFields c : items) {
            String name = c.dnsLabel("name");
            if (name != null && !names.add(name)) {
                c.problem("name", "another container of this app is named " + name);
            }
            String image = c.string("image", true, 512);
            if (image != null) {
                ImageReference.problem(image).ifPresent(p -> c.problem("image", p));
            }
            Map<String, String> env = environment(c, "env");
            List<AppSpec.Port> ports = ports(c, hostPorts);
            AppSpec.Resources resources = resources(c);
            containers.add(new AppSpec.Container(name, image, env, ports, resources));
        }
        return containers;
    }

    private static List<AppSpec.Port> ports(RequestFields container, Set<String> hostPorts) {
        List<AppSpec.Port> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> containerPorts = new HashSet<>();
        for (RequestFields p : container.objects("ports", Set.of("name", "containerPort", "hostPort", "protocol"), 32)) {
            String name = p.string("name", false, 15);
            if (name != null && (!PORT_NAME.matcher(name).matches() || name.contains("--") || !name.matches(".*[a-z].*"))) {
                p.problem("name", "must be a port name: lowercase letters, digits and single '-', at least one letter, at most 15 characters");
            } else if (name != null && !names.add(name)) {
                p.problem("name", "another port of this container is named " + name);
            }
            Integer containerPort = p.integer("containerPort", true, 1, 65535);
            Integer hostPort = p.integer("hostPort", false, 1, 65535);
            String protocol = p.present("protocol") ? p.oneOf("protocol", false, PROTOCOLS) : "TCP";
            if (containerPort != null && protocol != null && !containerPorts.add(containerPort + "/" + protocol)) {
                p.problem("containerPort", "port " + containerPort + "/" + protocol + " is listed twice");
            }
            if (hostPort != null && protocol != null && !hostPorts.add(hostPort + "/" + protocol)) {
                p.problem("hostPort", "host port " + hostPort + "/" + protocol + " is already opened by this app");
            }
            ports.add(new AppSpec.Port(name, containerPort == null ? 0 : containerPort, hostPort, protocol));
        }
        return ports;
    }

    private static @Nullable AppSpec.Resources resources(RequestFields container) {
        return container.object("resources", false, Set.of("cpuRequest", "memoryRequest", "cpuLimit", "memoryLimit"))
                .map(r -> {
                    String cpuRequest = quantity(r, "cpuRequest");
                    String memoryRequest = quantity(r, "memoryRequest");
                    String cpuLimit = quantity(r, "cpuLimit");
                    String memoryLimit = quantity(r, "memoryLimit");
                    notAbove(r, "cpuRequest", cpuRequest, cpuLimit);
                    notAbove(r, "memoryRequest", memoryRequest, memoryLimit);
                    return new AppSpec.Resources(cpuRequest, memoryRequest, cpuLimit, memoryLimit);
                })
                .orElse(null);
    }

    private static @Nullable String quantity(RequestFields r, String field) {
        String value = r.string(field, false, 32);
        if (value != null && !QUANTITY.matcher(value).matches()) {
            r.problem(field, "must be a Kubernetes quantity such as 100m, 0.5, 64Mi or 1G");
            return null;
        }
        return value;
    }

    private static void notAbove(RequestFields r, String field, @Nullable String request, @Nullable String limit) {
        if (request != null && limit != null
                && Quantity.getAmountInBytes(new Quantity(request)).compareTo(Quantity.getAmountInBytes(new Quantity(limit))) > 0) {
            r.problem(field, "must not exceed the limit " + limit);
        }
    }

    private static List<AppSpec.Io> ios(RequestFields fields, String field) {
        List<AppSpec.Io> ios = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RequestFields io : fields.objects(field, Set.of("name", "dataType"), 64)) {
            String name = io.string("name", true, 63);
            if (name != null && !IO_NAME.matcher(name).matches()) {
                io.problem("name", "must be letters, digits, '_', '.' and '-', starting and ending with a letter or digit");
            } else if (name != null && !names.add(name)) {
                io.problem("name", "is listed twice");
            }
            String dataType = io.string("dataType", true, 64);
            if (dataType != null && !IO_NAME.matcher(dataType).matches()) {
                io.problem("dataType", "must be a type name such as number, string or boolean");
            }
            ios.add(new AppSpec.Io(name, dataType));
        }
        return ios;
    }

    private static int sizeOf(Map<String, Object> value) {
        try {
            return new com.fasterxml.jackson.databind.json.JsonMapper().writeValueAsBytes(value).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }
}
