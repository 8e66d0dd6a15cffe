package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Keys for tests: public keys that ssh-keygen made (with its fingerprints), private keys made in memory. */
final class TestKeys {
    static final String ED25519_PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDu79lmeisU37qlkl9zivOrF6hP597E9bv3sp1/hq+yl";
    static final String ED25519_FINGERPRINT = "SHA256:DaTRlXSSx+fuVUXrWibUxzMpFSS8nqRu4ZWKlnmJFTU";
    static final String ECDSA_PUBLIC = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPAQQ2Nn2gt3d0Th"
            + "wJ9xoMoyo2ZU7nJ67l7+P6jpo2depYk6tASigBVEXrwYjN1Zt0puQnKkUJ9Lx81jAlP2NII=";
    static final String ECDSA_FINGERPRINT = "SHA256:n2sYlNVrayGKy4skIODGDmAQvPR+pKveOBwRHI2QvyA";
    static final String RSA_PUBLIC = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDNjhf0kzgMldx0ZKu+Fq+kjfuRf6bCcOIxi9dm7Yewb0GrAF5/FVWsR"
            + "NMvYiUHLpm413SsMf2DTQPdQKYe4s95PKdjDff6ceQrvSkNSFISV/43Iz88bHQGmraFCaly8Wg/eE8Thqp/LCBGDnT7oEBqVNo5PPt00WnOXmCa6ei3"
            + "q4cYx+UewO2A4wS7Sm1RihmGlRjMue2usdaFGMvoxN5PPXjqeZ8gASBky4blKM1qxo1Y8Y3E8b3HpYHJJjWG9e+xp5EQrCDi3cWTXGTFOYsjmVaBlckP"
            + "Ms0bnRQQ8+8dOB01o4q21YHDmGGk6lW6kaKs/z//lCHAWdpBZtqTV8Jf";
    static final String RSA_FINGERPRINT = "SHA256:hvB9OTDO4b67w9Y2m0slPU5tj8wTWVXb4hBXb8s7pGg";
    /** `ssh-keygen -H` of "10.1.2.3 <ed25519>" and "[10.1.2.3]:2222 <ecdsa>". */
    static final String HASHED_ED25519_FOR_10_1_2_3 = "|1|v45cfEkzjHjVZy6kcNLteDTI6Kk=|5uIUOHGcGG3pgADQUng3kLLs25w= " + ED25519_PUBLIC;
    static final String HASHED_ECDSA_FOR_10_1_2_3_PORT_2222 = "|1|598TeQ2A2DDK2Z9ERX+jr6ExMmU=|Ge4a/K/R1Ag4e0jVzUMu/JQxkjY= "
            + ECDSA_PUBLIC;

    private TestKeys() {
    }

    static KeyPair ed25519() throws Exception {
        return KeyUtils.generateKeyPair("ssh-ed25519", 256);
    }

    /** An OpenSSH private key file's text, encrypted when {@code passphrase} is not null. */
    static String openSsh(KeyPair pair, String passphrase) throws Exception {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test", encryption, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An RSA key as unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as openssl writes it. */
    static String rsaPkcs8Pem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }
}
