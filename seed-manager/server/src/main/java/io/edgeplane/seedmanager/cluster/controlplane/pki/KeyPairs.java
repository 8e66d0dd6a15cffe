package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * ECDSA P-256 keys: every Kubernetes component and etcd accepts them, they sign fast and are
 * generated in milliseconds (a whole cluster PKI in well under a second).
 */
public final class KeyPairs {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private KeyPairs() {
    }

    static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PKCS#8 EC private key", e);
        }
    }

    static PublicKey publicKey(byte[] subjectPublicKeyInfo) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an X.509 EC public key", e);
        }
    }

    /**
     * Whether the two keys form a pair (EC or RSA): a stored entry whose key and certificate were mixed up
     * must not load, nor a configured key file that is not its certificate's.
     */
    public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = "RSA".equals(privateKey.getAlgorithm()) ? "SHA256withRSA" : SIGNATURE_ALGORITHM;
        try {
            byte[] probe = "edgeplane key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
