package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which certificate the HTTPS listener serves (documented in application.yml, each settable as EDGEPLANE_TLS_...).
 *
 * @param certFile        a PEM certificate (chain) to serve instead of one from the seed CA; with {@code keyFile}
 * @param keyFile         its PEM private key (PKCS#8, PKCS#1 or SEC1)
 * @param caFile          the CA devices and clients pin for {@code certFile}; default: the chain's last certificate
 * @param subjectAltNames extra DNS names or IP addresses for the seed CA's serving certificate (the seed's
 *                        externalAddress, this host's name, localhost and 127.0.0.1 are always in it)
 * @param checkInterval   how often changed certificate files are re-read, and the seed CA's serving certificate
 *                        renewed when due or when the seed's externalAddress changed
 */
@ConfigurationProperties("edgeplane.tls")
public record TlsSettings(@Nullable Path certFile,
                          @Nullable Path keyFile,
                          @Nullable Path caFile,
                          @Nullable List<String> subjectAltNames,
                          @Bindable(defaultValue = "1m") Duration checkInterval) {

    public TlsSettings {
        if ((certFile == null) != (keyFile == null)) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_CERT_FILE and EDGEPLANE_TLS_KEY_FILE go together: set both or neither");
        }
        if (caFile != null && certFile == null) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_CA_FILE names the CA of EDGEPLANE_TLS_CERT_FILE, which is not set");
        }
        subjectAltNames = subjectAltNames == null ? List.of()
                : subjectAltNames.stream().map(String::strip).filter(name -> !name.isEmpty()).toList();
        for (String name : subjectAltNames) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9.:-]{0,252}")) {
                throw new InvalidConfigurationException("EDGEPLANE_TLS_SUBJECT_ALT_NAMES must list DNS names or IP addresses, got '" + name + "'");
            }
        }
        if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new InvalidConfigurationException("EDGEPLANE_TLS_CHECK_INTERVAL must be a positive duration such as 1m, got " + checkInterval);
        }
    }

    /** Whether the operator supplied the certificate; otherwise the seed CA issues one. */
    public boolean configuredCertificate() {
        return certFile != null;
    }
}
