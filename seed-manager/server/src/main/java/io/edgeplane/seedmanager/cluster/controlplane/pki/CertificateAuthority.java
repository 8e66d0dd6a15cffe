package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** A certificate authority of one cluster: creates itself and signs leaf certificates. */
record CertificateAuthority(CertifiedKey credential) {

    /**
     * A self-signed CA. The cluster name goes into the subject so an operator holding several
     * clusters' ca.crt files can tell them apart. Path length 0: it never signs other CAs.
     */
    static CertificateAuthority create(String commonName, String clusterName, Duration lifetime, Issuance issuance) {
        KeyPair keys = issuance.newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "edgeplane")
                .addRDN(BCStyle.OU, clusterName)
                .addRDN(BCStyle.CN, commonName)
                .build();
        Instant now = issuance.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, issuance.newSerial(),
                Date.from(now.minus(Issuance.BACKDATE)), Date.from(now.plus(lifetime)), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build CA certificate " + commonName, e);
        }
        return new CertificateAuthority(new CertifiedKey(sign(builder, keys.getPrivate(), issuance), keys.getPrivate()));
    }

    /** A new key pair and a certificate for it as {@code profile} describes. */
    CertifiedKey issue(LeafProfile profile, Duration lifetime, Issuance issuance) {
        KeyPair keys = issuance.newKeyPair();
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        profile.organizations().forEach(organization -> subject.addRDN(BCStyle.O, organization));
        subject.addRDN(BCStyle.CN, profile.commonName());

        Instant now = issuance.now();
        // A leaf valid beyond its CA would fail verification anyway; cut it where the CA ends.
        Instant notAfter = min(now.plus(lifetime), credential.notAfter());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(credential.certificate(), issuance.newSerial(),
                Date.from(now.minus(Issuance.BACKDATE)), Date.from(notAfter), subject.build(), keys.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes(profile)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            // Key identifier only (no issuer name + serial), so it still matches a CA re-signed with the same key.
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(publicKey()));
            if (!profile.sans().isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, SubjectAltNames.toGeneralNames(profile.sans()));
            }
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build certificate " + profile.entry(), e);
        }
        return new CertifiedKey(sign(builder, credential.privateKey(), issuance), keys.getPrivate());
    }

    X509Certificate certificate() {
        return credential.certificate();
    }

    PublicKey publicKey() {
        return credential.certificate().getPublicKey();
    }

    private static KeyPurposeId[] purposes(LeafProfile profile) {
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (profile.serverAuth()) {
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (profile.clientAuth()) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        return purposes.toArray(KeyPurposeId[]::new);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, Issuance issuance) {
        try {
            var contentSigner = new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM)
                    .setSecureRandom(issuance.random())
                    .build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
