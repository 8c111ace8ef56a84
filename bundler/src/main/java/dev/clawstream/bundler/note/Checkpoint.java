package dev.clawstream.bundler.note;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.merkle.TreeHasher;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A C2SP transparency-log checkpoint (c2sp.org/tlog-checkpoint): the note text
 * {@code <origin>\n<tree size>\n<base64 root hash>\n}. Each job is its own log, so the origin names
 * the job: {@code <prefix>/<percent-encoded job id>}. We write no extension lines and accept none:
 * text we did not sign the meaning of has no place in a seal.
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n")) {
            throw new IllegalArgumentException("an origin is one non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " < 0");
        }
        if (rootHash.length != TreeHasher.HASH_LENGTH) {
            throw new IllegalArgumentException("a root hash is 32 bytes, got " + rootHash.length);
        }
        rootHash = rootHash.clone();
    }

    /**
     * The origin of a job's log. Every UTF-8 byte of the job id other than the RFC 3986 unreserved
     * characters ({@code A-Z a-z 0-9 - . _ ~}) is written {@code %XX} (upper-case hex), so the origin
     * has no spaces, '+' or newlines whatever the job id, and two job ids never share an origin.
     */
    public static String origin(String prefix, String jobId) {
        return prefix + "/" + percentEncode(jobId);
    }

    /** The job's part of an origin: its percent-encoded id, as {@link #origin} writes it. */
    public static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** The note text that is signed. */
    public String text() {
        return origin + "\n" + size + "\n" + Base64Strict.encode(rootHash) + "\n";
    }

    /** Reads a note text: exactly three lines, a decimal size without leading zeros, a 32-byte root. */
    public static Checkpoint parse(String text) throws VerificationException {
        if (!text.endsWith("\n")) {
            throw VerificationException.of(Check.FORMAT, "checkpoint text does not end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length != 3) {
            throw VerificationException.mismatch(Check.FORMAT, "checkpoint lines", "3 (origin, size, root; no extensions)",
                    lines.length);
        }
        if (lines[0].isEmpty()) {
            throw VerificationException.of(Check.FORMAT, "checkpoint origin is empty");
        }
        if (!DECIMAL.matcher(lines[1]).matches()) {
            throw VerificationException.of(Check.FORMAT, "checkpoint size is not a decimal without leading zeros: '"
                    + lines[1] + "'");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw VerificationException.of(Check.FORMAT, "checkpoint size is out of range: " + lines[1]);
        }
        byte[] root = Base64Strict.decode(lines[2]).filter(r -> r.length == TreeHasher.HASH_LENGTH).orElseThrow(() ->
                VerificationException.of(Check.FORMAT, "checkpoint root is not the base64 of 32 bytes"));
        return new Checkpoint(lines[0], size, root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && Arrays.equals(c.rootHash, rootHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", " + HexFormat.of().formatHex(rootHash) + "]";
    }
}
