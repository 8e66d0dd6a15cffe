package io.edgeplane.seedmanager.datacenter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "store-1", "0edge", "a23456789012345678901234567890123456789012345678901234567890123"})
    void dnsLabels(String name) {
        assertThat(NetworkNames.isDnsLabel(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Store", "store_1", "-store", "store-", "store.a",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void notDnsLabels(String name) {
        assertThat(NetworkNames.isDnsLabel(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.5", "::1", "fd00::10", "seed.example.com", "localhost", "Seed-1.Example.COM"})
    void hostsOrIps(String address) {
        assertThat(NetworkNames.isHostOrIp(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "https://seed.example.com", "seed.example.com:6443", "seed..example.com", "[::1]", "seed_1.example.com", "1::2::3"})
    void notHostsOrIps(String address) {
        assertThat(NetworkNames.isHostOrIp(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.local", "registry.local:5000", "10.0.0.1:5000", "[fd00::1]:5000", "[::1]"})
    void hostPorts(String value) {
        assertThat(NetworkNames.isHostPort(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://registry.local", "registry.local:0", "registry.local:65536", "registry.local:", "fd00::1:5000", "[fd00::1"})
    void notHostPorts(String value) {
        assertThat(NetworkNames.isHostPort(value)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://proxy:3128", "https://mirror.example.com", "HTTPS://mirror.example.com/v2", "http://user:pw@proxy:3128"})
    void httpUrls(String value) {
        assertThat(NetworkNames.isHttpUrl(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mirror.example.com", "ftp://mirror.example.com", "http://", "https:// spaced.example.com"})
    void notHttpUrls(String value) {
        assertThat(NetworkNames.isHttpUrl(value)).isFalse();
    }
}
