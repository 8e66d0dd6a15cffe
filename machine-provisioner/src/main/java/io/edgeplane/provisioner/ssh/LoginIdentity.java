package io.edgeplane.provisioner.ssh;

import org.apache.sshd.client.session.ClientSession;

import java.security.KeyPair;

/** A credential in the form the SSH client logs in with: a key pair read from its text, or a password. */
final class LoginIdentity {
    private final KeyPair keyPair;
    private final String password;

    private LoginIdentity(KeyPair keyPair, String password) {
        this.keyPair = keyPair;
        this.password = password;
    }

    /** Reads the credential; a key that cannot be read fails as the authentication it would fail anyway. */
    static LoginIdentity of(SshCredential credential, String target) throws SshDeliveryException {
        if (credential instanceof SshCredential.Password password) {
            return new LoginIdentity(null, password.password());
        }
        SshCredential.PrivateKey key = (SshCredential.PrivateKey) credential;
        try {
            return new LoginIdentity(PrivateKeys.read(key.pem(), key.passphrase()), null);
        } catch (PrivateKeys.UnreadableKeyException e) {
            throw new SshDeliveryException(SshDeliveryException.Reason.AUTHENTICATION_FAILED,
                    "ssh " + target + ": the private key cannot be used: " + e.getMessage(), null);
        }
    }

    /** The only identity the session offers: the client has no default keys, no agent and no ~/.ssh. */
    void addTo(ClientSession session) {
        if (keyPair != null) {
            session.addPublicKeyIdentity(keyPair);
        } else {
            session.addPasswordIdentity(password);
        }
    }

    String kind() {
        return keyPair != null ? "private key" : "password";
    }
}
