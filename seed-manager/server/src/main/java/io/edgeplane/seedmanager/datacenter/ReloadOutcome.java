package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** What a check of the seed file found. */
@Serdeable
public enum ReloadOutcome {
    /** The file changed and is valid; it is now the active seed. */
    @JsonProperty("applied")
    APPLIED,
    /** The file is invalid or unreadable; the previous seed stays active. */
    @JsonProperty("rejected")
    REJECTED,
    /** The file holds the active seed. */
    @JsonProperty("unchanged")
    UNCHANGED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value();
    }
}
