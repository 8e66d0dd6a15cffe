package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpec;

import java.util.List;
import java.util.Map;

/** Workload versions the builder and observation tests share. */
final class SampleWorkloads {
    private SampleWorkloads() {
    }

    /** hello 1 on edge-1: one container with a host port and resources. */
    static WorkloadSpec hello() {
        return new WorkloadSpec("hello", "1", List.of(new AppSpec.Container("web", "10.222.0.1:5000/edgeplane/hello-http:1",
                Map.of("PORT", "8080", "GREETING", "hi"),
                List.of(new AppSpec.Port("http", 8080, 18080, "TCP")),
                new AppSpec.Resources("10m", null, null, "64Mi"))),
                Map.of("greeting", "hi", "limits", Map.of("speed", 3)), List.of("edge-1"));
    }

    /** sensor 2 on two devices: two containers, no host port. */
    static WorkloadSpec sensor() {
        return new WorkloadSpec("sensor", "2", List.of(
                new AppSpec.Container("reader", "registry.example/sensor/reader:2", Map.of(), List.of(), null),
                new AppSpec.Container("uplink", "registry.example/sensor/uplink@sha256:" + "ab".repeat(32), Map.of(),
                        List.of(new AppSpec.Port("metrics", 9100, null, null)), null)),
                Map.of("interval", 5), List.of("edge-1", "edge-2"));
    }
}
