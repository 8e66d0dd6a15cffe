package io.edgeplane.provisioner.ssh;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.signature.Signature;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One connection's host key decision: which key types to ask the device for, which key it
 * presented, and whether that key was accepted. It travels in the connection context to the
 * client-wide {@link PinnedHostKeys}, so concurrent deliveries to different devices share one client.
 */
final class HostKeyCheck {
    static final AttributeRepository.AttributeKey<HostKeyCheck> KEY = new AttributeRepository.AttributeKey<>();

    private final HostKeyPin pin;
    private final List<String> keyTypes;
    private volatile String presentedFingerprint;
    private volatile String presentedKeyType;
    private volatile boolean accepted;
    private volatile List<String> offeredKeyTypes = List.of();

    private HostKeyCheck(HostKeyPin pin, List<String> keyTypes) {
        this.pin = pin;
        this.keyTypes = List.copyOf(keyTypes);
    }

    /** Asks for the pin's key types first; the device may still present another. */
    static HostKeyCheck preferring(HostKeyPin pin) {
        return new HostKeyCheck(pin, pin.keyTypes());
    }

    /**
     * Asks for one key type first, to probe a device's other host keys: a device that offers the
     * type presents it, as it picks the first of the client's algorithms it has.
     */
    static HostKeyCheck preferring(HostKeyPin pin, String keyType) {
        return new HostKeyCheck(pin, List.of(keyType));
    }

    /** The check of a session, from the connection context (also before the session's constructor has stored it). */
    static HostKeyCheck of(Session session) {
        AttributeRepository context = session instanceof ClientSession client ? client.getConnectionContext() : null;
        if (context == null && session.getIoSession() != null) {
            context = (AttributeRepository) session.getIoSession().getAttribute(AttributeRepository.class);
        }
        return context == null ? null : context.getAttribute(KEY);
    }

    AttributeRepository context() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    /** Records the presented key and decides. */
    boolean verify(PublicKey key) {
        String fingerprint = Fingerprints.of(key);
        presentedKeyType = KeyUtils.getKeyType(key);
        accepted = pin.accepts(fingerprint);
        presentedFingerprint = fingerprint;
        return accepted;
    }

    boolean rejected() {
        return presentedFingerprint != null && !accepted;
    }

    String presentedFingerprint() {
        return presentedFingerprint;
    }

    String presentedKeyType() {
        return presentedKeyType;
    }

    /** The host key algorithms of the device's key exchange proposal, e.g. {@code rsa-sha2-512,ssh-ed25519}. */
    void deviceOffered(String hostKeyAlgorithms) {
        if (hostKeyAlgorithms != null) {
            offeredKeyTypes = Arrays.stream(hostKeyAlgorithms.split(",")).map(HostKeyCheck::keyType).distinct().toList();
        }
    }

    /** Key types the device has host keys of, as far as its proposal told. */
    List<String> offeredKeyTypes() {
        return offeredKeyTypes;
    }

    /**
     * The client's signature algorithms for this connection, the wanted key types first. None is
     * removed: the same list decides which user keys can sign during authentication.
     */
    List<NamedFactory<Signature>> order(List<NamedFactory<Signature>> factories) {
        List<NamedFactory<Signature>> ordered = new ArrayList<>(factories);
        ordered.sort(Comparator.comparingInt(factory -> {
            int rank = keyTypes.indexOf(keyType(factory.getName()));
            return rank < 0 ? Integer.MAX_VALUE : rank;
        }));
        return ordered;
    }

    /** The key type a host key algorithm signs with: the rsa-sha2 algorithms use ssh-rsa keys. */
    static String keyType(String algorithm) {
        return algorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : algorithm;
    }
}
