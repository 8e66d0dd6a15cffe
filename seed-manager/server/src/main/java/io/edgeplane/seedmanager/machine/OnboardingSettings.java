package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * What the onboarding check asks of a device (documented in application.yml, each settable as EDGEPLANE_ONBOARDING_...).
 *
 * @param minFreeDiskMib   free MiB the container runtime's file system must have
 * @param minFreeMemoryMib available MiB of memory
 * @param maxClockSkew     how far the device's clock may be from the apiserver's
 * @param image            the image run when the device's datacenter names no sandbox (pause) image
 */
@ConfigurationProperties("edgeplane.onboarding")
public record OnboardingSettings(@Bindable(defaultValue = "1024") long minFreeDiskMib,
                                 @Bindable(defaultValue = "128") long minFreeMemoryMib,
                                 @Bindable(defaultValue = "30s") Duration maxClockSkew,
                                 @Bindable(defaultValue = "registry.k8s.io/pause:3.10") String image) {

    public OnboardingSettings {
        if (minFreeDiskMib < 0) {
            throw new InvalidConfigurationException("EDGEPLANE_ONBOARDING_MIN_FREE_DISK_MIB must be 0 or more, got " + minFreeDiskMib);
        }
        if (minFreeMemoryMib < 0) {
            throw new InvalidConfigurationException("EDGEPLANE_ONBOARDING_MIN_FREE_MEMORY_MIB must be 0 or more, got " + minFreeMemoryMib);
        }
        if (maxClockSkew == null || maxClockSkew.toSeconds() < 1) {
            throw new InvalidConfigurationException("EDGEPLANE_ONBOARDING_MAX_CLOCK_SKEW must be a duration of 1s or more such as 30s, got "
                    + maxClockSkew);
        }
        if (image == null || !image.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,254}(@sha256:[a-f0-9]{64})?")) {
            throw new InvalidConfigurationException("EDGEPLANE_ONBOARDING_IMAGE must be an image reference such as"
                    + " registry.k8s.io/pause:3.10, got '" + image + "'");
        }
    }
}
