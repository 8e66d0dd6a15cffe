package io.edgeplane.provisioner.ssh;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Map;

/**
 * The client-wide half of host key pinning: orders each connection's host key algorithms before
 * its key exchange starts, notes which key types the device offers, and accepts a presented key only
 * if the connection's {@link HostKeyCheck} does. A connection without a check is refused: this
 * client never accepts an unknown key and never writes a known_hosts file.
 */
final class PinnedHostKeys implements ServerKeyVerifier, SessionListener {

    @Override
    public void sessionEstablished(Session session) {
        HostKeyCheck check = HostKeyCheck.of(session);
        if (check != null) {
            session.setSignatureFactories(check.order(session.getSignatureFactories()));
        }
    }

    @Override
    public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
                                      Map<KexProposalOption, String> serverProposal,
                                      Map<KexProposalOption, String> negotiatedOptions, Throwable reason) {
        HostKeyCheck check = HostKeyCheck.of(session);
        if (check != null && serverProposal != null) {
            check.deviceOffered(serverProposal.get(KexProposalOption.SERVERKEYS));
        }
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        HostKeyCheck check = HostKeyCheck.of(session);
        return check != null && check.verify(serverKey);
    }
}
