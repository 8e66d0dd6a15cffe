package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.testbed.TestBedRun;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a key straight from a process-runtime cluster's etcd, past the apiserver, through etcd's
 * gRPC gateway with the apiserver's own etcd client certificate: what an attacker with the etcd
 * data (a backup, a disk) would see.
 */
final class EtcdContents {
    private static final Pattern CLIENT_URL = Pattern.compile("--listen-client-urls=(https://[^ ,]+)");

    private EtcdContents() {
    }

    /** The raw stored bytes of {@code key}, as ISO-8859-1 text so any prefix can be compared. */
    static String raw(Path clusterDir, long etcdPid, String key) throws Exception {
        Matcher url = CLIENT_URL.matcher(TestBedRun.commandLine(etcdPid));
        if (!url.find()) {
            throw new AssertionError("etcd " + etcdPid + " has no --listen-client-urls");
        }
        Path pki = clusterDir.resolve("pki");
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
        Process curl = new ProcessBuilder(List.of("curl", "-sS", "--fail", "--max-time", "10",
                "--cacert", pki.resolve("etcd/ca.crt").toString(),
                "--cert", pki.resolve("apiserver-etcd-client.crt").toString(),
                "--key", pki.resolve("apiserver-etcd-client.key").toString(),
                "-X", "POST", "--data", body, url.group(1) + "/v3/kv/range")).redirectErrorStream(true).start();
        String reply = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!curl.waitFor(20, TimeUnit.SECONDS) || curl.exitValue() != 0) {
            throw new AssertionError("reading " + key + " from etcd failed: " + reply);
        }
        JsonNode kvs = new ObjectMapper().readTree(reply).path("kvs");
        if (kvs.size() != 1) {
            throw new AssertionError("etcd has no single value at " + key + ": " + reply);
        }
        return new String(Base64.getDecoder().decode(kvs.get(0).get("value").asText()), StandardCharsets.ISO_8859_1);
    }
}
