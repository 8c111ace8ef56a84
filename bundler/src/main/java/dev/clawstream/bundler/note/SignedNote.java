package dev.clawstream.bundler.note;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or more
 * lines {@code — <key name> <base64(4-byte key ID || signature)>}. This class only reads and writes the
 * shape; {@link NoteVerifier} decides whether a signature counts.
 *
 * @param text       the signed text, final newline included
 * @param signatures in the order they appear
 */
public record SignedNote(String text, List<Signature> signatures) {

    /** The spec requires accepting 16 signatures; anything near this cap is not a note we wrote. */
    public static final int MAX_SIGNATURES = 100;
    /** Notes here are checkpoints: a few hundred bytes. Longer input is refused before it is split. */
    public static final int MAX_LENGTH = 64 * 1024;
    private static final String SIGNATURE_PREFIX = "\u2014 ";

    /**
     * One signature line.
     *
     * @param keyId     the 4-byte key ID (big-endian uint32 on the wire)
     * @param signature the algorithm's signature bytes (64 for Ed25519)
     */
    public record Signature(String keyName, byte[] keyId, byte[] signature) {
        public Signature {
            requireKeyName(keyName);
            if (keyId.length != 4) {
                throw new IllegalArgumentException("a key ID is 4 bytes, got " + keyId.length);
            }
            keyId = keyId.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] keyId() {
            return keyId.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        String line() {
            byte[] blob = new byte[4 + signature.length];
            System.arraycopy(keyId, 0, blob, 0, 4);
            System.arraycopy(signature, 0, blob, 4, signature.length);
            return SIGNATURE_PREFIX + keyName + " " + Base64Strict.encode(blob) + "\n";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && s.keyName.equals(keyName) && Arrays.equals(s.keyId, keyId)
                    && Arrays.equals(s.signature, signature);
        }

        @Override
        public int hashCode() {
            return keyName.hashCode() * 31 + Arrays.hashCode(signature);
        }

        @Override
        public String toString() {
            return "Signature[" + keyName + "]";
        }
    }

    public SignedNote {
        Objects.requireNonNull(text, "text");
        signatures = List.copyOf(signatures);
    }

    /** The note as it is written: text, blank line, signature lines. */
    public String format() {
        StringBuilder out = new StringBuilder(text).append('\n');
        signatures.forEach(s -> out.append(s.line()));
        return out.toString();
    }

    /**
     * Reads a note strictly: only newline among the control characters, a text ending in a newline,
     * the last blank line separating it from at least one well-formed signature line.
     */
    public static SignedNote parse(String note) throws VerificationException {
        if (note.length() > MAX_LENGTH) {
            throw VerificationException.mismatch(Check.FORMAT, "signed note length", "at most " + MAX_LENGTH,
                    note.length());
        }
        requireText(note, "signed note");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw VerificationException.of(Check.FORMAT, "signed note has no blank line before its signatures");
        }
        String text = note.substring(0, split + 1);
        String lines = note.substring(split + 2);
        if (lines.isEmpty() || !lines.endsWith("\n")) {
            throw VerificationException.of(Check.FORMAT, "signed note has no signature lines ending in a newline");
        }
        List<Signature> signatures = new ArrayList<>();
        for (String line : lines.substring(0, lines.length() - 1).split("\n", -1)) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw VerificationException.mismatch(Check.FORMAT, "signatures in note", "at most " + MAX_SIGNATURES,
                        "more");
            }
            signatures.add(signatureLine(line));
        }
        return new SignedNote(text, signatures);
    }

    private static Signature signatureLine(String line) throws VerificationException {
        if (!line.startsWith(SIGNATURE_PREFIX)) {
            throw VerificationException.of(Check.FORMAT, "signature line does not start with an em dash and a space");
        }
        String rest = line.substring(SIGNATURE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw VerificationException.of(Check.FORMAT, "signature line has no space between key name and signature");
        }
        String name = rest.substring(0, space);
        if (!validKeyName(name)) {
            throw VerificationException.of(Check.FORMAT, "key name is empty or contains a space or '+'");
        }
        byte[] blob = Base64Strict.decode(rest.substring(space + 1)).orElseThrow(() ->
                VerificationException.of(Check.FORMAT, "signature of key " + name + " is not canonical base64"));
        if (blob.length < 5) {
            throw VerificationException.mismatch(Check.FORMAT, "signature bytes of key " + name, "at least 5",
                    blob.length);
        }
        return new Signature(name, Arrays.copyOf(blob, 4), Arrays.copyOfRange(blob, 4, blob.length));
    }

    /** Valid UTF-16 (so valid UTF-8 when encoded), no control characters but newline. */
    static void requireText(String s, String what) throws VerificationException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw VerificationException.of(Check.FORMAT, what + " contains control character U+"
                        + String.format("%04X", (int) c) + " at " + i);
            }
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                throw VerificationException.of(Check.FORMAT, what + " is not valid Unicode at " + i);
            }
        }
    }

    static boolean validKeyName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c < 0x20);
    }

    static void requireKeyName(String name) {
        if (!validKeyName(name)) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces or '+': '" + name + "'");
        }
    }
}
