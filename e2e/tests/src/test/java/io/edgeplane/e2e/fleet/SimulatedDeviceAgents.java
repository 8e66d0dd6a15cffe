package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the device agents of one cluster's simulated devices: it speaks the objects the
 * real agent does (machine-provisioner/device-agent/PROTOCOL.md): it reads each device's
 * {@code DeviceWorkloads} spec and writes the whole status with the agent's field manager, at
 * once after a change of the spec and then every {@code heartbeat}. What it reports is what a
 * healthy device would: every workload in the state the seed asked for, its staged images
 * present, tunnel and pod network connected. It runs no pods, writes no files and holds no
 * tunnel or pod-network connection; the real agent is measured by the device agent's own tests
 * and the E2Es. It writes as the cluster's admin, where a real agent writes as its node.
 */
final class SimulatedDeviceAgents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext DEVICE_WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("edgeplane.io").withVersion("v1alpha1").withKind("DeviceWorkloads").withPlural("deviceworkloads")
            .withNamespaced(true).build();
    private static final String NAMESPACE = "edgeplane-workloads";
    private static final PatchContext STATUS_WRITE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("edgeplane-device").build();

    private final KubernetesClient client;
    private final Set<String> devices;
    private volatile Duration heartbeat;
    private final Map<String, Instant> nextWrite = new ConcurrentHashMap<>();
    private final Map<String, Object> lastSpec = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "sim-agent-clock"));
    private final ExecutorService writers = Executors.newFixedThreadPool(4, r -> daemon(r, "sim-agent-writer"));
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /**
     * @param devices   the simulated devices (node names) this stands in for; other objects are left alone
     * @param heartbeat how often each device writes its status without a change (the real agent: 20 s)
     */
    SimulatedDeviceAgents(KubernetesClient client, Set<String> devices, Duration heartbeat) {
        this.client = client;
        this.devices = Set.copyOf(devices);
        this.heartbeat = heartbeat;
    }

    /** Watches the objects (they appear as the seed admits each device) and starts the heartbeats, spread over one period. */
    void start() {
        // Kept before it starts: under load its first events reach the writers before a blocking inform() would return.
        informer = client.genericKubernetesResources(DEVICE_WORKLOADS).inNamespace(NAMESPACE).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                changed(object);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                changed(after);
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean unknownFinalState) {
                nextWrite.remove(object.getMetadata().getName());
                lastSpec.remove(object.getMetadata().getName());
            }
        });
        informer.run();
        clock.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Each device's next unchanged report comes {@code heartbeat} after its last one. */
    void heartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** From now on {@code devices} write nothing, as agents without a link to their apiserver. */
    void cut(Set<String> devices) {
        cut.addAll(devices);
    }

    /** Their link is back: each reports at once, as the real agent does on reconnecting. */
    void restore(Set<String> devices) {
        cut.removeAll(devices);
        devices.forEach(this::write);
    }

    /** Status writes so far, and those the apiserver refused. */
    long writes() {
        return writes.get();
    }

    long failures() {
        return failures.get();
    }

    private void changed(GenericKubernetesResource object) {
        String device = object.getMetadata().getName();
        if (!devices.contains(device)) {
            return;
        }
        Object spec = object.getAdditionalProperties().get("spec");
        if (!Objects.equals(lastSpec.put(device, spec == null ? Map.of() : spec), spec == null ? Map.of() : spec)) {
            write(device);   // the real agent reports soon after every change
        }
    }

    /** Each second, the devices whose heartbeat is due. */
    private void tick() {
        Instant now = Instant.now();
        nextWrite.forEach((device, due) -> {
            if (!due.isAfter(now)) {
                write(device);
            }
        });
    }

    private void write(String device) {
        if (queued.add(device)) {
            writers.execute(() -> {
                queued.remove(device);
                writeNow(device);
            });
        }
    }

    private void writeNow(String device) {
        GenericKubernetesResource object = informer.getStore().getByKey(NAMESPACE + "/" + device);
        if (object == null) {
            return;
        }
        // Spread the heartbeats over one period, as devices started at different times would be.
        Instant now = Instant.now();
        nextWrite.put(device, now.plus(heartbeat).plusMillis(Math.floorMod(device.hashCode(), 1000)));
        if (cut.contains(device)) {
            return;
        }
        try {
            client.genericKubernetesResources(DEVICE_WORKLOADS).inNamespace(NAMESPACE).withName(device).subresource("status")
                    .patch(STATUS_WRITE, JSON.writeValueAsString(Map.of("status", status(object, now))));
            writes.incrementAndGet();
        } catch (KubernetesClientException | com.fasterxml.jackson.core.JsonProcessingException e) {
            failures.incrementAndGet();
        }
    }

    /** What a healthy device reports for this spec. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> status(GenericKubernetesResource object, Instant now) {
        Map<String, Object> spec = object.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<Map<String, Object>> workloads = new ArrayList<>();
        if (spec.get("workloads") instanceof List<?> entries) {
            for (Object item : entries) {
                Map<String, Object> entry = (Map<String, Object>) item;
                Map<String, Object> live = entry.get("live") instanceof Map<?, ?> l ? (Map<String, Object>) l : null;
                Map<String, Object> staged = entry.get("staged") instanceof Map<?, ?> s ? (Map<String, Object>) s : null;
                if (live == null) {
                    continue;   // only a staged version: nothing runs yet
                }
                boolean run = !Boolean.FALSE.equals(entry.get("run"));
                Map<String, Object> reported = new LinkedHashMap<>();
                reported.put("name", entry.get("name"));
                reported.put("generation", entry.get("generation"));
                reported.put("specHash", live.get("specHash"));
                reported.put("version", live.get("version"));
                reported.put("run", run);
                reported.put("state", run ? "running" : "stopped");
                reported.put("message", "");
                reported.put("source", "seed");
                if (staged != null) {
                    reported.put("stagedSpecHash", staged.get("specHash"));
                    reported.put("stagedImagesPresent", true);
                }
                workloads.add(reported);
            }
        }
        Map<String, Object> link = Map.of("state", "connected", "since", "2026-01-01T00:00:00Z", "reason", "");
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("agentVersion", "fleet-simulation");
        status.put("heartbeatTime", now.truncatedTo(ChronoUnit.SECONDS).toString());
        status.put("observedResourceVersion", object.getMetadata().getResourceVersion());
        status.put("workloads", workloads);
        status.put("actions", List.of());
        status.put("tunnel", link);
        status.put("podNetwork", link);
        // The onboarding check the seed asks for, passed at once (the real checks are the agent's own tests' and the E2Es').
        if (spec.get("onboarding") instanceof Map<?, ?> onboarding && onboarding.get("request") instanceof Number request) {
            status.put("onboarding", Map.of("request", request.longValue(), "checkedAt", now.truncatedTo(ChronoUnit.SECONDS).toString(),
                    "checks", List.of("image", "clock", "disk", "memory").stream()
                            .map(name -> Map.of("name", name, "passed", true, "message", "simulated")).toList()));
        } else {
            status.put("onboarding", null);
        }
        return status;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        clock.shutdownNow();
        writers.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
