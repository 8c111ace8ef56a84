package dev.clawstream.enforcer.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place keys are read, written and made: Ed25519 keys as PEM, private keys in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), public keys as X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}) —
 * the formats {@code openssl genpkey -algorithm ed25519} writes. Messages never include key material.
 */
public final class Keys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    /** id-Ed25519, RFC 8410 section 3. */
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private Keys() {
    }

    /** A new key pair from the platform's strong random source. */
    public static Signer generate() {
        return new Signer(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** Writes {@code NAME.key.pem} (owner-only where the file system allows) and {@code NAME.pub.pem}. */
    public static void write(Signer signer, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path privateFile = dir.resolve(name + ".key.pem");
        Path publicFile = dir.resolve(name + ".pub.pem");
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            // Overwriting a key would orphan everything it signed; make the user move it first.
            throw new FileAlreadyExistsException(Files.exists(privateFile) ? privateFile.toString() : publicFile.toString());
        }
        createOwnerOnly(privateFile);
        Files.writeString(privateFile, privateKeyPem(signer), StandardCharsets.US_ASCII);
        Files.writeString(publicFile, signer.verifier().publicKeyPem(), StandardCharsets.US_ASCII);
    }

    /** Creates an empty file readable and writable by its owner only, from the first byte, where POSIX allows. */
    private static void createOwnerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // The umask can only remove bits; set them again in case the file system ignored the attribute.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } else {
            Files.createFile(file); // Windows and some mounts have no POSIX permissions; the key is still written.
        }
    }

    public static Signer readPrivateKey(Path file) throws IOException {
        return privateKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    public static Verifier readPublicKey(Path file) throws IOException {
        return publicKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** The private key whose PEM text is in environment variable {@code name}. */
    public static Signer privateKeyFromEnv(String name) {
        String pem = System.getenv(name);
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return privateKeyFromPem(pem, "environment variable " + name);
    }

    /** The public key whose PEM text is in environment variable {@code name}. */
    public static Verifier publicKeyFromEnv(String name) {
        String pem = System.getenv(name);
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return publicKeyFromPem(pem, "environment variable " + name);
    }

    /** @param source where the text came from (a path, an environment variable), for error messages */
    public static Signer privateKeyFromPem(String pem, String source) {
        byte[] der = pemBody(pem, "PRIVATE KEY", source);
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            // The cause is dropped on purpose: parser messages can quote the bytes they choked on.
            throw new IllegalArgumentException(source + ": not a PKCS#8 Ed25519 private key");
        }
        requireEd25519(info.getPrivateKeyAlgorithm().getAlgorithm(), source);
        try {
            return new Signer((Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(info));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": not a PKCS#8 Ed25519 private key");
        }
    }

    /** @param source where the text came from (a path, an environment variable), for error messages */
    public static Verifier publicKeyFromPem(String pem, String source) {
        byte[] der = pemBody(pem, "PUBLIC KEY", source);
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": not an X.509 Ed25519 public key");
        }
        requireEd25519(info.getAlgorithm().getAlgorithm(), source);
        try {
            return new Verifier((Ed25519PublicKeyParameters) PublicKeyFactory.createKey(info));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": not an X.509 Ed25519 public key"
                    + " (or not a valid curve point, or of small order)");
        }
    }

    /** A verifier from the 32 raw public key bytes (RFC 8032 encoding). */
    public static Verifier publicKeyFromRaw(byte[] raw) {
        if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + raw.length);
        }
        try {
            // BouncyCastle refuses encodings that are not on the curve or of small order: under such a
            // key a trivial signature would verify for every message.
            return new Verifier(new Ed25519PublicKeyParameters(raw, 0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid Ed25519 public key (not on the curve, or of small order)");
        }
    }

    /** A signer from the 32-byte RFC 8032 secret (for test vectors and deterministic demos). */
    public static Signer privateKeyFromRaw(byte[] secret) {
        if (secret.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 secret key is 32 bytes");
        }
        return new Signer(new Ed25519PrivateKeyParameters(secret, 0));
    }

    static String publicKeyPem(Ed25519PublicKeyParameters key) {
        try {
            return pem("PUBLIC KEY", SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("encoding an Ed25519 public key failed", e);
        }
    }

    private static String privateKeyPem(Signer signer) {
        try {
            return pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(signer.privateKey()).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("encoding an Ed25519 private key failed", e);
        }
    }

    private static void requireEd25519(ASN1ObjectIdentifier algorithm, String source) {
        if (!ED25519.equals(algorithm)) {
            throw new IllegalArgumentException(source + ": key algorithm " + algorithm
                    + " is not Ed25519 (1.3.101.112); generate one with clawstream keys generate");
        }
    }

    private static byte[] pemBody(String pem, String type, String source) {
        Matcher m = PEM.matcher(pem);
        if (!m.find() || !m.group(1).equals(type)) {
            throw new IllegalArgumentException(source + ": expected a PEM block '-----BEGIN " + type + "-----'");
        }
        try {
            return Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": PEM body is not base64");
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
