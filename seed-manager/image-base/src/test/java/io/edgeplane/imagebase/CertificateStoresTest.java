package io.edgeplane.imagebase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class CertificateStoresTest {

    @Test
    void theTrustStoreIsTheSameBytesEveryTimeAndOpensWithTheDefaultPassword() throws Exception {
        KeyStore jdk = KeyStore.getInstance(new java.io.File(System.getProperty("java.home"), "lib/security/cacerts"),
                "changeit".toCharArray());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (String alias : Collections.list(jdk.aliases()).stream().sorted().limit(5).toList()) {
            store.setCertificateEntry(alias, jdk.getCertificate(alias));
        }

        byte[] first = CertificateStores.pkcs12(store);
        byte[] second = CertificateStores.pkcs12(store);

        assertThat(first).isEqualTo(second);
        KeyStore loaded = CertificateStores.load(new ByteArrayInputStream(first));
        assertThat(Collections.list(loaded.aliases())).hasSize(5);
        assertThat(System.getProperty("keystore.pkcs12.macAlgorithm")).isNull();
    }
}
