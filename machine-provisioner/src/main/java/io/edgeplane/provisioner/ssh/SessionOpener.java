package io.edgeplane.provisioner.ssh;

import io.edgeplane.provisioner.ssh.SshDeliveryException.Reason;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Opens an authenticated session to a target whose host key passed its pin. The host key is checked
 * during key exchange, before any credential is sent. A fingerprint pin may be of any of the
 * device's host keys, so on a mismatch the device is asked for each of its other key types in turn
 * (still without authenticating) before the key is declared wrong.
 */
final class SessionOpener {
    private static final int MAX_PROBES = 4;
    /** Disconnect reasons that another attempt would meet again. */
    private static final Set<Integer> PROTOCOL_FAILURES = Set.of(SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED,
            SshConstants.SSH2_DISCONNECT_PROTOCOL_ERROR, SshConstants.SSH2_DISCONNECT_MAC_ERROR,
            SshConstants.SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED, SshConstants.SSH2_DISCONNECT_COMPRESSION_ERROR,
            SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, SshConstants.SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE);

    private final SshClient client;
    private final SshPolicy policy;
    private final SshTarget target;
    private final HostKeyPin pin;
    private final LoginIdentity identity;

    SessionOpener(SshClient client, SshPolicy policy, SshTarget target, HostKeyPin pin, LoginIdentity identity) {
        this.client = client;
        this.policy = policy;
        this.target = target;
        this.pin = pin;
        this.identity = identity;
    }

    ClientSession open() throws SshDeliveryException {
        HostKeyCheck first = HostKeyCheck.preferring(pin);
        ClientSession session = connect(first);
        if (session != null) {
            return session;
        }
        List<String> presented = new ArrayList<>(List.of(first.presentedFingerprint()));
        if (pin.probeOthers()) {
            List<String> otherTypes = first.offeredKeyTypes().stream()
                    .filter(type -> !type.equals(first.presentedKeyType()) && !type.contains("-cert-"))
                    .limit(MAX_PROBES)
                    .toList();
            for (String keyType : otherTypes) {
                HostKeyCheck probe = HostKeyCheck.preferring(pin, keyType);
                session = connect(probe);
                if (session != null) {
                    return session;
                }
                presented.add(probe.presentedFingerprint());
            }
        }
        throw SshDeliveryException.hostKeyMismatch(target.address(), pin.expected(), String.join(", ", presented));
    }

    /** An authenticated session, or null when the device presented a key the check refused. */
    private ClientSession connect(HostKeyCheck check) throws SshDeliveryException {
        ConnectFuture connecting;
        try {
            connecting = client.connect(target.user(), target.host(), target.port(), check.context(), null);
            if (!connecting.await(policy.connectTimeout())) {
                connecting.cancel();
                throw SshDeliveryException.retryable(Reason.UNREACHABLE, "no connection to port " + target.port()
                        + " within " + policy.connectTimeout().toMillis() + " ms", null);
            }
        } catch (IOException e) {
            throw SshDeliveryException.retryable(Reason.UNREACHABLE, "cannot connect: " + describe(e), e);
        }
        if (!connecting.isConnected()) {
            Throwable failure = connecting.getException();
            throw SshDeliveryException.retryable(Reason.UNREACHABLE, "cannot connect: " + describe(failure), failure);
        }
        ClientSession session = connecting.getSession();
        boolean authenticated = false;
        try {
            identity.addTo(session);
            AuthFuture auth = session.auth();
            boolean done = auth.await(policy.connectTimeout());
            if (check.rejected()) {
                return null;
            }
            if (!done) {
                throw SshDeliveryException.retryable(Reason.UNREACHABLE, "key exchange and authentication did not finish within "
                        + policy.connectTimeout().toMillis() + " ms", null);
            }
            if (auth.isSuccess()) {
                authenticated = true;
                return session;
            }
            throw authenticationFailure(auth.getException());
        } catch (IOException e) {
            if (check.rejected()) {
                return null;
            }
            throw authenticationFailure(e);
        } finally {
            if (!authenticated) {
                session.close(true);
            }
        }
    }

    private SshDeliveryException authenticationFailure(Throwable failure) {
        int code = disconnectCode(failure);
        String detail = describe(failure);
        if (code == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE
                || code == SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME
                || detail.toLowerCase(Locale.ROOT).contains("authentication")) {
            return new SshDeliveryException(Reason.AUTHENTICATION_FAILED, "ssh " + target.address() + ": the device refused the "
                    + identity.kind() + " of user " + target.user() + " (" + detail + ")", failure);
        }
        if (PROTOCOL_FAILURES.contains(code)) {
            return new SshDeliveryException(Reason.PROTOCOL, "ssh " + target.address() + ": " + detail, failure);
        }
        return SshDeliveryException.retryable(Reason.UNREACHABLE, "connection lost before authentication finished: " + detail,
                failure);
    }

    private static int disconnectCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SshException ssh && ssh.getDisconnectCode() != 0) {
                return ssh.getDisconnectCode();
            }
        }
        return 0;
    }

    /** The innermost message, e.g. "Connection refused", without the wrappers around it. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "no reason given";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
