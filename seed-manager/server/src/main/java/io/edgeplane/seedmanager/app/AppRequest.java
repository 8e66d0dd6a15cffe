package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.Names;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The body of {@code POST .../apps}. Bean Validation judges each field on its own; {@link #problems}
 * adds the rules that span fields (duplicate names and ports, requests above limits, image
 * references, the configuration schema and the defaults that must satisfy it).
 */
@Serdeable
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, description = "An app version to register (or to replace while no workload uses it)")
public record AppRequest(
        @Schema(description = "the app's name, a DNS-1123 label of at most 40 characters", example = "hello-http")
        @NotNull @Size(min = 1, max = MAX_NAME) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String name,
        @Schema(description = "the version, e.g. a semantic version", example = "1.2.0")
        @NotNull @Size(min = 1, max = 64) @Pattern(regexp = VERSION, message = VERSION_MESSAGE)
        String version,
        @Schema(description = "a human-readable name; the app's name when absent")
        @Nullable @Size(max = 200)
        String title,
        @Nullable @Size(max = 4096)
        String description,
        @Schema(description = "the containers that run side by side in one pod")
        @NotNull @Size(min = 1, max = 16, message = "must list from 1 to 16 containers")
        List<@Valid @NotNull Container> containers,
        @Schema(description = "data streams the app reads (kept for the operator)")
        @Nullable @Size(max = 64)
        List<@Valid @NotNull Io> inputs,
        @Schema(description = "data streams the app writes (kept for the operator)")
        @Nullable @Size(max = 64)
        List<@Valid @NotNull Io> outputs,
        @Schema(description = "the configuration every workload starts from (at most 256 KiB as JSON); "
                + "it must satisfy configurationSchema", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        @Nullable
        Map<String, Object> defaultConfiguration,
        @Schema(description = "a self-contained JSON Schema (2020-12) every workload configuration must satisfy",
                additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
        @Nullable
        Map<String, Object> configurationSchema) {

    /** App and workload names: DNS-1123 labels short enough to prefix the objects made from them. */
    public static final int MAX_NAME = 40;
    public static final String VERSION = "^[A-Za-z0-9]([A-Za-z0-9._+-]*[A-Za-z0-9])?$";
    public static final String VERSION_MESSAGE = "must be letters, digits, '.', '_', '+' and '-', starting and ending with a letter or digit";
    /** An IANA service name: lowercase letters, digits and single '-', at least one letter. */
    static final String PORT_NAME = "^([0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$";
    static final String IO_NAME = "^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$";
    static final String QUANTITY = "^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,2}|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$";
    static final String QUANTITY_MESSAGE = "must be a Kubernetes quantity such as 100m, 0.5, 64Mi or 1G";
    /** Environment variables given to a container; their names are checked by {@link EnvironmentNames}. */
    public static final int MAX_ENV = 128;
    public static final int MAX_ENV_VALUE = 32768;
    public static final int MAX_CONFIGURATION = 256 * 1024;
    private static final JsonMapper JSON = new JsonMapper();

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "AppContainerRequest", description = "A container of the app's pod")
    public record Container(
            @Schema(description = "the container's name, a DNS-1123 label", example = "web")
            @NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
            String name,
            @Schema(description = "a pinned image reference: a tag or a digest", example = "registry.example.com/hello-http:1.2.0")
            @NotNull @Size(min = 1, max = 512)
            String image,
            @Schema(description = "environment variables; EDGEPLANE_* are reserved")
            @Nullable @Size(max = MAX_ENV)
            Map<String, @NotNull @Size(max = MAX_ENV_VALUE) String> env,
            @Nullable @Size(max = 32)
            List<@Valid @NotNull Port> ports,
            @Schema(type = "object") @Nullable @Valid
            Resources resources) {
    }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "AppPortRequest", description = "A port the container listens on; hostPort also opens it on the device's address")
    public record Port(
            @Schema(description = "an IANA service name: lowercase letters, digits and single '-', at least one letter", example = "http")
            @Nullable @Size(min = 1, max = 15) @Pattern(regexp = PORT_NAME, message = "must be a port name: lowercase letters, digits "
                    + "and single '-', at least one letter, at most 15 characters")
            String name,
            @NotNull @Min(1) @Max(65535)
            Integer containerPort,
            @Nullable @Min(1) @Max(65535)
            Integer hostPort,
            @Schema(description = "TCP when absent", type = "string")
            @Nullable
            Protocol protocol) {
    }

    /** The protocols of a container port; the constants are the JSON and Kubernetes spellings. */
    @Schema(name = "PortProtocol")
    public enum Protocol { TCP, UDP, SCTP }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "AppResourcesRequest", description = "Kubernetes quantities; a request must not exceed its limit")
    public record Resources(
            @Schema(example = "100m") @Nullable @Size(max = 32) @Pattern(regexp = QUANTITY, message = QUANTITY_MESSAGE) String cpuRequest,
            @Schema(example = "64Mi") @Nullable @Size(max = 32) @Pattern(regexp = QUANTITY, message = QUANTITY_MESSAGE) String memoryRequest,
            @Schema(example = "500m") @Nullable @Size(max = 32) @Pattern(regexp = QUANTITY, message = QUANTITY_MESSAGE) String cpuLimit,
            @Schema(example = "128Mi") @Nullable @Size(max = 32) @Pattern(regexp = QUANTITY, message = QUANTITY_MESSAGE) String memoryLimit) {
    }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "AppIoRequest", description = "A data stream the app reads or writes")
    public record Io(
            @Schema(example = "speed")
            @NotNull @Size(min = 1, max = 63) @Pattern(regexp = IO_NAME, message = "must be letters, digits, '_', '.' and '-', "
                    + "starting and ending with a letter or digit")
            String name,
            @Schema(example = "number")
            @NotNull @Size(min = 1, max = 64) @Pattern(regexp = IO_NAME, message = "must be a type name such as number, string or boolean")
            String dataType) {
    }

    /** The title to store: the name when none is given. */
    public String titleOrName() {
        return title == null ? name : title;
    }

    /**
     * What Bean Validation cannot say, each named by its field path: duplicate container, port and
     * input names, duplicate ports, requests above limits, image references that are not pinned,
     * reserved environment names, a schema that is not self-contained JSON Schema, defaults that
     * break it.
     */
    public List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = "containers[" + i + "].";
            if (!names.add(c.name())) {
                problems.add(new FieldProblem(at + "name", "another container of this app is named " + c.name()));
            }
            ImageReference.problem(c.image()).ifPresent(p -> problems.add(new FieldProblem(at + "image", p)));
            problems.addAll(environmentProblems(c.env(), at + "env"));
            ports(c, at, hostPorts, problems);
            if (c.resources() != null) {
                notAbove(problems, at + "resources.cpuRequest", c.resources().cpuRequest(), c.resources().cpuLimit());
                notAbove(problems, at + "resources.memoryRequest", c.resources().memoryRequest(), c.resources().memoryLimit());
            }
        }
        ios(inputs, "inputs", problems);
        ios(outputs, "outputs", problems);
        boolean defaultsFit = true;
        if (defaultConfiguration != null && sizeOf(defaultConfiguration) > MAX_CONFIGURATION) {
            problems.add(new FieldProblem("defaultConfiguration", "must be at most " + MAX_CONFIGURATION + " bytes as JSON"));
            defaultsFit = false;
        }
        if (configurationSchema != null) {
            List<FieldProblem> schemaProblems = ConfigurationSchema.problems(configurationSchema, "configurationSchema");
            problems.addAll(schemaProblems);
            if (schemaProblems.isEmpty() && defaultsFit) {
                // Every workload starts from the defaults, so they must pass on their own.
                problems.addAll(ConfigurationSchema.of(configurationSchema).validate(defaults(), "defaultConfiguration"));
            }
        }
        return problems;
    }

    /** The version as stored: absent lists and maps empty, ports with their protocol. */
    public AppSpec spec() {
        List<AppSpec.Container> specContainers = containers.stream().map(c -> new AppSpec.Container(c.name(), c.image(),
                new TreeMap<>(c.env() == null ? Map.of() : c.env()),
                c.ports() == null ? List.of() : c.ports().stream().map(p -> new AppSpec.Port(p.name(), p.containerPort(), p.hostPort(),
                        (p.protocol() == null ? Protocol.TCP : p.protocol()).name())).toList(),
                c.resources() == null ? null : new AppSpec.Resources(c.resources().cpuRequest(), c.resources().memoryRequest(),
                        c.resources().cpuLimit(), c.resources().memoryLimit()))).toList();
        return new AppSpec(specContainers, ios(inputs), ios(outputs), defaults(), configurationSchema);
    }

    /** Problems of environment variable names given under {@code field} ({@code field.NAME}). */
    public static List<FieldProblem> environmentProblems(@Nullable Map<String, String> env, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        if (env != null) {
            new TreeMap<>(env).keySet().forEach(key -> EnvironmentNames.problem(key)
                    .ifPresent(p -> problems.add(new FieldProblem(field + "." + key, p))));
        }
        return problems;
    }

    private Map<String, Object> defaults() {
        return defaultConfiguration == null ? Map.of() : defaultConfiguration;
    }

    private static void ports(Container container, String at, Set<String> hostPorts, List<FieldProblem> problems) {
        if (container.ports() == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        Set<String> containerPorts = new HashSet<>();
        for (int j = 0; j < container.ports().size(); j++) {
            Port p = container.ports().get(j);
            String path = at + "ports[" + j + "].";
            String protocol = (p.protocol() == null ? Protocol.TCP : p.protocol()).name();
            if (p.name() != null && !names.add(p.name())) {
                problems.add(new FieldProblem(path + "name", "another port of this container is named " + p.name()));
            }
            if (!containerPorts.add(p.containerPort() + "/" + protocol)) {
                problems.add(new FieldProblem(path + "containerPort", "port " + p.containerPort() + "/" + protocol + " is listed twice"));
            }
            if (p.hostPort() != null && !hostPorts.add(p.hostPort() + "/" + protocol)) {
                problems.add(new FieldProblem(path + "hostPort", "host port " + p.hostPort() + "/" + protocol
                        + " is already opened by this app"));
            }
        }
    }

    private static void notAbove(List<FieldProblem> problems, String field, @Nullable String request, @Nullable String limit) {
        if (request != null && limit != null
                && Quantity.getAmountInBytes(new Quantity(request)).compareTo(Quantity.getAmountInBytes(new Quantity(limit))) > 0) {
            problems.add(new FieldProblem(field, "must not exceed the limit " + limit));
        }
    }

    private static void ios(@Nullable List<Io> ios, String field, List<FieldProblem> problems) {
        if (ios == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ios.size(); i++) {
            if (!names.add(ios.get(i).name())) {
                problems.add(new FieldProblem(field + "[" + i + "].name", "is listed twice"));
            }
        }
    }

    private static List<AppSpec.Io> ios(@Nullable List<Io> ios) {
        return ios == null ? List.of() : ios.stream().map(io -> new AppSpec.Io(io.name(), io.dataType())).toList();
    }

    private static int sizeOf(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }
}
