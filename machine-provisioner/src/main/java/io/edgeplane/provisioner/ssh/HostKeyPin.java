package io.edgeplane.provisioner.ssh;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host keys a target accepts: the one pinned fingerprint, or the keys that known_hosts lists for
 * its host and port, minus any {@code @revoked} key.
 *
 * @param keyTypes     key types to ask the device for first (known_hosts order); empty for a pinned
 *                     fingerprint, which does not say its key's type
 * @param probeOthers  whether a mismatch asks the device for its other key types before giving up: a
 *                     pinned fingerprint may be of any of the device's host keys
 */
record HostKeyPin(Set<String> accepted, Set<String> revoked, List<String> keyTypes, boolean probeOthers) {

    /** The pin of a target; a known_hosts text that cannot be parsed is refused with the first problem. */
    static HostKeyPin of(SshTarget target) {
        if (target.hostKeyFingerprint() != null) {
            return new HostKeyPin(Set.of(target.hostKeyFingerprint().strip()), Set.of(), List.of(), true);
        }
        KnownHosts knownHosts = KnownHosts.parse(target.knownHosts());
        if (!knownHosts.problems().isEmpty()) {
            throw new IllegalArgumentException("knownHosts " + knownHosts.problems().get(0));
        }
        Set<String> revoked = new LinkedHashSet<>();
        knownHosts.entries().stream().filter(KnownHosts.Entry::revoked).forEach(entry -> revoked.add(entry.fingerprint()));
        Set<String> accepted = new LinkedHashSet<>();
        Set<String> keyTypes = new LinkedHashSet<>();
        for (KnownHosts.Entry entry : knownHosts.entriesFor(target.host(), target.port())) {
            if (!entry.revoked() && !revoked.contains(entry.fingerprint())) {
                accepted.add(entry.fingerprint());
                keyTypes.add(entry.keyType());
            }
        }
        return new HostKeyPin(Set.copyOf(accepted), Set.copyOf(revoked), new ArrayList<>(keyTypes), false);
    }

    boolean accepts(String fingerprint) {
        return accepted.contains(fingerprint) && !revoked.contains(fingerprint);
    }

    /** The accepted fingerprints, comma-separated, for an operator comparing them with the presented one. */
    String expected() {
        return String.join(", ", accepted.stream().sorted().toList());
    }
}
