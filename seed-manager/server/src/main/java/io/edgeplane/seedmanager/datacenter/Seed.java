package io.edgeplane.seedmanager.datacenter;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated Seed: where this seed manager runs and the datacenters it serves. Built only by
 * {@link SeedParser}, so every instance satisfies the schema and the semantic checks.
 *
 * @param name            metadata.name, a DNS-1123 label
 * @param country         country the seed runs in
 * @param location        human-readable location of the seed
 * @param exposeStrategy  how tenant apiservers are exposed to devices
 * @param externalAddress host name or IP devices use to reach the seed and tenant apiservers
 * @param datacenters     datacenters in the order the file declares them
 */
@Serdeable
public record Seed(String name,
                   String country,
                   String location,
                   ExposeStrategy exposeStrategy,
                   String externalAddress,
                   List<Datacenter> datacenters) {

    public Seed {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(exposeStrategy, "exposeStrategy");
        Objects.requireNonNull(externalAddress, "externalAddress");
        datacenters = List.copyOf(datacenters);
    }

    public Optional<Datacenter> datacenter(String datacenterName) {
        return datacenters.stream().filter(d -> d.name().equals(datacenterName)).findFirst();
    }
}
