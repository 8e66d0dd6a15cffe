package io.edgeplane.seedmanager.cluster.controlplane;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The metric as a real v1.36.3 apiserver printed it, beside lines that must not match. */
class LoadedEncryptionConfigTest {
    private static final String METRICS = """
            # HELP apiserver_encryption_config_controller_last_config_info [ALPHA] Information about the last applied encryption configuration with hash as label, split by apiserver identity.
            # TYPE apiserver_encryption_config_controller_last_config_info gauge
            apiserver_encryption_config_controller_last_config_info{apiserver_id_hash="sha256:73095bbbe8f317654631b5a70d7c53951e472e19c3daa5b71a50958a5e82991b",hash="sha256:593558ed879e3244bab0f2b87b9e9f285352669e38af3f9a646d20e183a580f0"} 1
            # TYPE apiserver_envelope_encryption_dek_cache_fill_percent gauge
            apiserver_envelope_encryption_dek_cache_fill_percent 0
            workqueue_adds_total{name="encryption-provider-config-automatic-reload-controller"} 1
            """;

    @Test
    void readsTheHashOfTheLoadedConfigurationNotTheApiserverIdentity() {
        assertThat(LoadedEncryptionConfig.hashes(METRICS))
                .containsExactly("sha256:593558ed879e3244bab0f2b87b9e9f285352669e38af3f9a646d20e183a580f0");
    }

    @Test
    void noMetricMeansNothingLoaded() {
        assertThat(LoadedEncryptionConfig.hashes("apiserver_request_total 3\n")).isEmpty();
    }

    @Test
    void theHashIsTheSha256OfTheFileBytes() {
        // sha256 of "abc", the FIPS 180 test vector.
        assertThat(LoadedEncryptionConfig.hashOf("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
