package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/** Test-bed devices as MachineDeployments: the seed YAML they need, joining over SSH or by hand. */
public final class EdgeDevices {
    private EdgeDevices() {
    }

    /**
     * A seed whose datacenter {@code lab} is the test network: the apiserver exposed on the host's
     * address, the local registry trusted over HTTP and the test bed's pause image.
     */
    public static String seed(String host, String registry, String pause) {
        return """
                apiVersion: edgeplane.io/v1alpha1
                kind: Seed
                metadata:
                  name: testbed
                spec:
                  country: DE
                  location: Test bed
                  exposeStrategy: HostPort
                  externalAddress: %s
                  datacenters:
                    lab:
                      country: DE
                      location: Test bed network
                      node:
                        insecureRegistries:
                          - %s
                        pauseImage: %s
                      spec:
                        edge: {}
                """.formatted(host, registry, pause);
    }

    /** Test-bed devices share the host's kernel and cgroup tree: each gets its own cgroup root, swap stays. */
    public static void sharesTheHostKernel(Device device) throws Exception {
        Path knobs = device.hostPath("/etc/edgeplane/device.env");
        Files.createDirectories(knobs.getParent());
        Files.writeString(knobs, "EDGEPLANE_CGROUP_ROOT=/edgeplane-testbed-" + ProcessHandle.current().pid() + "-" + device.name()
                + "\nEDGEPLANE_SWAP=keep\n");
    }

    /** Records the device as a MachineDeployment reached over SSH (host key pinned) and asks to provision it. */
    static void provisionOverSsh(SeedManagerInstance seed, String machines, Device device) throws Exception {
        Reply created = seed.post(ADMIN_TOKEN, machines, "{\"name\":\"" + device.name() + "\",\"os\":\"debian-12\",\"arch\":\"" + arch()
                + "\",\"ssh\":" + ssh(device.address(), device.hostKeyFingerprint(), device) + "}");
        if (created.status() != 201) {
            throw new AssertionError("creating machine deployment " + device.name() + ": " + created);
        }
        Reply provision = seed.post(ADMIN_TOKEN, machines + "/" + device.name() + "/provision", "");
        if (provision.status() != 202) {
            throw new AssertionError("provisioning " + device.name() + ": " + provision);
        }
    }

    /** Records the device as a MachineDeployment and runs its fetched provisioning script on it as root. */
    static CommandResult provisionByHand(SeedManagerInstance seed, String machines, Device device) throws Exception {
        Reply created = seed.post(ADMIN_TOKEN, machines, "{\"name\":\"" + device.name() + "\",\"os\":\"debian-12\",\"arch\":\"" + arch() + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("creating machine deployment " + device.name() + ": " + created);
        }
        Reply script = seed.get(ADMIN_TOKEN, machines + "/" + device.name() + "/provisioning-script");
        if (script.status() != 200) {
            throw new AssertionError("provisioning script of " + device.name() + ": " + script);
        }
        return runScript(device, script.body());
    }

    public static CommandResult runScript(Device device, String script) throws Exception {
        Files.writeString(device.hostPath("/root/provision.sh"), script);
        return device.exec(List.of("bash", "/root/provision.sh"), Map.of(), Duration.ofMinutes(4));
    }

    static String ssh(String address, String fingerprint, Device keyOwner) throws Exception {
        String key = Files.readString(keyOwner.sshPrivateKey());
        return "{\"host\":\"" + address + "\",\"user\":\"root\",\"hostKeyFingerprint\":\"" + fingerprint + "\","
                + "\"credential\":{\"privateKey\":" + JsonMapper.builder().build().writeValueAsString(key) + "}}";
    }

    public static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    }
}
