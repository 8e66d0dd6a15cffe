package io.edgeplane.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One server the CLI talks to, with the credentials and trust it needs there.
 *
 * @param certificateAuthority a PEM file with the CA (or self-signed certificate) that signed the server's certificate
 * @param certificateFingerprint the pinned SHA-256 fingerprint ({@code sha256:<hex>}) of a certificate in the server's chain
 * @param project the project commands use when none is given
 * @param cluster the cluster commands use when none is given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Context(
        String name,
        String server,
        String token,
        @JsonProperty("certificate-authority") String certificateAuthority,
        @JsonProperty("certificate-fingerprint") String certificateFingerprint,
        String project,
        String cluster) {

    /** Everything but the token, which is never printed. */
    @Override
    public String toString() {
        return "Context[name=" + name + ", server=" + server + ", project=" + project + ", cluster=" + cluster + "]";
    }

    public Context withProject(String project) {
        return new Context(name, server, token, certificateAuthority, certificateFingerprint, project, cluster);
    }

    public Context withCluster(String cluster) {
        return new Context(name, server, token, certificateAuthority, certificateFingerprint, project, cluster);
    }
}
