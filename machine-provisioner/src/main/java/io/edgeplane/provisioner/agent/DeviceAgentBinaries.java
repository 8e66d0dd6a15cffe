package io.edgeplane.provisioner.agent;

import java.io.InputStream;
import java.util.List;

/**
 * The device agent's static binaries ({@code edgeplane-device}, built from {@code device-agent/} by
 * this module's build), carried in this jar as resources, one per device platform.
 */
public final class DeviceAgentBinaries {
    /** The platforms devices run on, as {@code os-arch}. */
    public static final List<String> PLATFORMS = List.of("linux-amd64", "linux-arm64");

    private static final String ROOT = "io/edgeplane/provisioner/agent/";
    private static final String NAME = "edgeplane-device";

    private DeviceAgentBinaries() {
    }

    /** The classpath resource of a platform's binary, e.g. {@code io/edgeplane/provisioner/agent/linux-amd64/edgeplane-device}. */
    public static String resourcePath(String platform) {
        if (!PLATFORMS.contains(platform)) {
            throw new IllegalArgumentException("platform: '" + platform + "' is not one of " + PLATFORMS);
        }
        return ROOT + platform + "/" + NAME;
    }

    /** Opens a platform's binary; the caller closes the stream. */
    public static InputStream open(String platform) {
        String path = resourcePath(platform);
        InputStream in = DeviceAgentBinaries.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the classpath: the machine-provisioner jar was built without its device agent");
        }
        return in;
    }
}
