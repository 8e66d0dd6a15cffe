package io.edgeplane.seedmanager.datacenter;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Objects;

/**
 * One edge site or region served by the seed.
 *
 * @param name                DNS-1123 label, unique within the seed
 * @param country             country code shown to users
 * @param location            human-readable location shown to users
 * @param node                device settings ({@link NodeSettings#NONE} when the Seed sets none)
 * @param provider            the single provider declared under {@code spec}
 * @param requiredEmails      e-mail domains whose users may create clusters here; empty = anyone
 * @param enforceAuditLogging whether clusters here must have apiserver audit logging on
 */
@Serdeable
public record Datacenter(String name,
                         String country,
                         String location,
                         NodeSettings node,
                         DatacenterProvider provider,
                         List<String> requiredEmails,
                         boolean enforceAuditLogging) {

    public Datacenter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(provider, "provider");
        requiredEmails = List.copyOf(requiredEmails);
    }
}
