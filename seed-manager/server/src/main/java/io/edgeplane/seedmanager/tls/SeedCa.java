package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.cluster.controlplane.pki.AtomicFiles;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The seed CA: generated into {@code <data dir>/tls} on first start, it signs the HTTPS listener's serving
 * certificate. Its key stays in that directory (0600); its certificate is what devices and clients pin.
 * ECDSA P-256, like the cluster PKI.
 */
final class SeedCa {
    static final Duration CA_LIFETIME = Duration.ofDays(3650);
    static final Duration SERVING_LIFETIME = Duration.ofDays(90);
    /** Backdated against small clock differences between the seed and devices. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final SecureRandom random = new SecureRandom();

    private SeedCa(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    static Path caFile(Path dir) {
        return dir.resolve("ca.crt");
    }

    /**
     * The CA in {@code dir}, created if absent. The key is written before the certificate, so a crash in between
     * leaves no certificate anyone could have pinned and the next start creates both again; a certificate
     * without its key is refused rather than replaced, since devices may pin it.
     */
    static SeedCa loadOrCreate(Path dir, Instant now) {
        Path crt = caFile(dir);
        Path keyFile = dir.resolve("ca.key");
        try {
            if (Files.isRegularFile(crt)) {
                if (!Files.isRegularFile(keyFile)) {
                    throw new IllegalStateException("the seed CA certificate " + crt + " has no key beside it (ca.key); restore it,"
                            + " or remove " + dir + " to create a new seed CA that devices and clients must pin again");
                }
                return new SeedCa(dir, PemEncoding.parseCertificate(Files.readString(crt)), PemEncoding.parsePrivateKey(Files.readString(keyFile)));
            }
            SecureRandom random = new SecureRandom();
            KeyPair keys = newKeyPair(random);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgeplane")
                    .addRDN(BCStyle.CN, "edgeplane seed CA " + Long.toHexString(random.nextLong() & Long.MAX_VALUE)).build();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_LIFETIME)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate(), random);
            AtomicFiles.writeIfChanged(keyFile, PemEncoding.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
            AtomicFiles.writeIfChanged(crt, PemEncoding.certificate(certificate).getBytes(StandardCharsets.US_ASCII), PUBLIC);
            return new SeedCa(dir, certificate, keys.getPrivate());
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the seed CA", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the seed CA in " + dir, e);
        }
    }

    X509Certificate certificate() {
        return certificate;
    }

    Path caFile() {
        return caFile(dir);
    }

    /** The serving certificate last issued, if its files are there and it was signed by this CA. */
    Optional<ServingMaterial> stored() {
        Path crt = dir.resolve("serving.crt");
        Path keyFile = dir.resolve("serving.key");
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(keyFile)) {
            return Optional.empty();
        }
        try {
            X509Certificate serving = PemEncoding.parseCertificate(Files.readString(crt));
            serving.verify(certificate.getPublicKey());
            return Optional.of(new ServingMaterial(List.of(serving, certificate), PemEncoding.parsePrivateKey(Files.readString(keyFile)),
                    List.of(certificate)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code serving} must be replaced: two thirds of its life are gone (renewed well before expiry,
     * like the kubelet's certificates), or it lacks one of {@code names}.
     */
    static boolean renewalDue(ServingMaterial serving, List<String> names, Instant now) {
        X509Certificate leaf = serving.leaf();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant renewAt = notBefore.plus(Duration.between(notBefore, leaf.getNotAfter().toInstant()).multipliedBy(2).dividedBy(3));
        return !now.isBefore(renewAt) || !subjectAltNames(leaf).containsAll(normalized(names));
    }

    /** A new serving certificate for {@code names}, written to serving.crt / serving.key (0600) before it is served. */
    ServingMaterial issue(List<String> names, Instant now) {
        try {
            KeyPair keys = newKeyPair(random);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "edgeplane").addRDN(BCStyle.CN, names.get(0)).build();
            Instant notAfter = now.plus(SERVING_LIFETIME);
            if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
                notAfter = certificate.getNotAfter().toInstant();
            }
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random), Date.from(now.minus(BACKDATE)),
                    Date.from(notAfter), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
                    .map(name -> new GeneralName(IPAddress.isValid(name) ? GeneralName.iPAddress : GeneralName.dNSName, name))
                    .toArray(GeneralName[]::new)));
            X509Certificate serving = sign(builder, key, random);
            AtomicFiles.writeIfChanged(dir.resolve("serving.key"), PemEncoding.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
                    AtomicFiles.PRIVATE);
            AtomicFiles.writeIfChanged(dir.resolve("serving.crt"), PemEncoding.certificate(serving).getBytes(StandardCharsets.US_ASCII), PUBLIC);
            // The CA goes with the chain: a client that does not trust it yet can name its fingerprint to the operator.
            return new ServingMaterial(List.of(serving, certificate), keys.getPrivate(), List.of(certificate));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue the serving certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the serving certificate in " + dir, e);
        }
    }

    private static Set<String> subjectAltNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                entries.forEach(entry -> names.add(normalize(String.valueOf(entry.get(1)))));
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalized(List<String> names) {
        Set<String> result = new HashSet<>();
        names.forEach(name -> result.add(normalize(name)));
        return result;
    }

    /** IP literals compared by value (::1 and 0:0:0:0:0:0:0:1 are one address), DNS names case-insensitively. */
    private static String normalize(String name) {
        if (IPAddress.isValid(name)) {
            try {
                return InetAddress.getByName(name).getHostAddress();
            } catch (UnknownHostException e) {
                return name;
            }
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, SecureRandom random) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(SIGNATURE).setSecureRandom(random).build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the seed CA", e);
        }
    }
}
