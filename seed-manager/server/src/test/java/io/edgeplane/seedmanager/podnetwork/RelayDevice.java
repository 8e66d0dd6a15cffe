package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * A device's side of the relay as the device agent does it, with the JDK's TLS: dials with the
 * cluster's server name, verifies the relay against the pinned cluster CA, presents a kubelet-like
 * client certificate, and speaks the length-prefixed frames.
 */
final class RelayDevice implements AutoCloseable {
    private static final char[] PASSWORD = "unused".toCharArray();

    private final SSLSocket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private RelayDevice(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    /** Dials the relay at 127.0.0.1:{@code port} and completes the TLS handshake (the relay may still refuse afterwards). */
    static RelayDevice dial(int port, String serverName, X509Certificate pinnedCa, IssuedCredential client) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("device", PemEncoding.parsePrivateKey(client.privateKeyPem()), PASSWORD,
                    new Certificate[]{PemEncoding.parseCertificate(client.certificatePem())});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            X509KeyManager own = (X509KeyManager) keyManagers.getKeyManagers()[0];
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", pinnedCa);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[]{new AlwaysPresent(own)}, trustManagers.getTrustManagers(), null);

            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, serverName, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");        // the relay's certificate must name the server name
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return new RelayDevice(socket);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Presents the device's certificate whatever CAs the relay asks for, as Go's TLS client does with
     * one certificate configured (the JDK's would send none when its CA is not among them).
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509KeyManager keys;

        AlwaysPresent(X509KeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "device";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "device";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[]{"device"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    void send(byte[] packet) {
        try {
            out.writeShort(packet.length);
            out.write(packet);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet the relay sends (keepalives skipped); null when none comes within {@code wait}. */
    byte[] receive(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) left);
            int length;
            try {
                length = in.readUnsignedShort();
            } catch (SocketTimeoutException e) {
                return null;
            }
            byte[] packet = new byte[length];
            in.readFully(packet);
            if (length > 0) {
                return packet;
            }
        }
    }

    /** Whether the relay ends the connection within {@code wait} (packets it sends meanwhile are skipped). */
    boolean endedWithin(Duration wait) {
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                receive(Duration.ofNanos(deadline - System.nanoTime()));
            }
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true;                     // a TLS alert or a reset: ended as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
