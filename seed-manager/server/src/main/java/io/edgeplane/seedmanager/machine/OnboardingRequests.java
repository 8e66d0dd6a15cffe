package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.NodeSettings;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device's agent is asked to check ({@code spec.onboarding}): the datacenter's sandbox image, which every pod
 * of the device needs from its registry, and the seed manager's bounds. Written only when it differs from what the
 * device's object holds, together with the request the device passed.
 */
@Singleton
public class OnboardingRequests {
    private final SeedRegistry seed;
    private final OnboardingSettings settings;

    public OnboardingRequests(SeedRegistry seed, OnboardingSettings settings) {
        this.seed = seed;
        this.settings = settings;
    }

    Map<String, Object> spec(Cluster cluster, long request) {
        String image = seed.current().datacenter(cluster.datacenter()).map(Datacenter::node).map(NodeSettings::pauseImage)
                .orElse(settings.image());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("request", request);
        spec.put("image", image);
        spec.put("minFreeDiskMiB", settings.minFreeDiskMib());
        spec.put("minFreeMemoryMiB", settings.minFreeMemoryMib());
        spec.put("maxClockSkewSeconds", settings.maxClockSkew().toSeconds());
        return spec;
    }

    /** Applies the request and the passed mark unless the device's object shows both already; whether it wrote. */
    boolean ensure(DeviceWorkloadsClient devices, String node, Optional<GenericKubernetesResource> object, Map<String, Object> spec,
                   @Nullable Long passed) {
        if (object.isPresent() && same(DeviceWorkloadsResource.onboardingSpec(object.get()), spec)
                && Objects.equals(passedMark(object.get()), passed == null ? null : passed.toString())) {
            return false;
        }
        devices.applyOnboarding(node, spec, passed);
        return true;
    }

    private static String passedMark(GenericKubernetesResource object) {
        return object.getMetadata().getAnnotations() == null ? null
                : object.getMetadata().getAnnotations().get(DeviceWorkloadsResource.ONBOARDED_ANNOTATION);
    }

    /** Compared by text: numbers come back from the apiserver as whichever integer type JSON parsing chose. */
    private static boolean same(Map<String, Object> current, Map<String, Object> wanted) {
        if (current.size() != wanted.size()) {
            return false;
        }
        return wanted.entrySet().stream().allMatch(e -> current.get(e.getKey()) != null
                && current.get(e.getKey()).toString().equals(e.getValue().toString()));
    }
}
