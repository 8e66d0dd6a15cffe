package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The time and randomness certificates are issued with; a fixed clock makes validity testable. */
record Issuance(Clock clock, SecureRandom random) {
    /** Tolerates clocks of devices and components that run a little behind the seed manager. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    static Issuance system() {
        return new Issuance(Clock.systemUTC(), new SecureRandom());
    }

    KeyPair newKeyPair() {
        return KeyPairs.generate(random);
    }

    /** Random, positive, 128 bits: unique without a counter to keep (RFC 5280 allows up to 20 octets). */
    BigInteger newSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }

    /** Certificates carry whole seconds; truncating keeps notAfter exactly now + lifetime. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
