package dev.clawstream.bundler.note;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.merkle.MerkleProofs;
import dev.clawstream.bundler.merkle.TreeHasher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An offline inclusion proof in the C2SP tlog-proof format (c2sp.org/tlog-proof):
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64&gt;          (optional)
 * index &lt;decimal&gt;
 * &lt;base64 hash&gt;           (zero or more, from the leaf's sibling up)
 *
 * &lt;signed checkpoint note, verbatim&gt;
 * </pre>
 * For a bundle entry the extra data is the entry's leaf: its 32-byte previous hash and canonical
 * bytes (docs/proof-bundle.md, "Inclusion proofs"). The format does not authenticate the extra data;
 * hashing it into the leaf the proof leads from does.
 */
public record TlogProof(Optional<byte[]> extra, long index, List<byte[]> path, String checkpoint) {

    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** An entry's leaf is a decision or receipt with its input: kilobytes, never this much. */
    public static final int MAX_EXTRA_LENGTH = 1 << 20;
    private static final Pattern INDEX = Pattern.compile("index (0|[1-9][0-9]{0,18})");

    public TlogProof {
        extra = extra.map(byte[]::clone);
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " < 0");
        }
        path = path.stream().map(h -> {
            if (h.length != TreeHasher.HASH_LENGTH) {
                throw new IllegalArgumentException("a proof hash is 32 bytes, got " + h.length);
            }
            return h.clone();
        }).toList();
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    @Override
    public Optional<byte[]> extra() {
        return extra.map(byte[]::clone);
    }

    @Override
    public List<byte[]> path() {
        return path.stream().map(byte[]::clone).toList();
    }

    public String format() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        extra.ifPresent(e -> out.append("extra ").append(Base64Strict.encode(e)).append('\n'));
        out.append("index ").append(index).append('\n');
        path.forEach(h -> out.append(Base64Strict.encode(h)).append('\n'));
        return out.append('\n').append(checkpoint).toString();
    }

    public static TlogProof parse(String text) throws VerificationException {
        if (text.length() > 2 * MAX_EXTRA_LENGTH) {
            throw VerificationException.mismatch(Check.FORMAT, "proof length", "at most " + 2 * MAX_EXTRA_LENGTH,
                    text.length());
        }
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw VerificationException.of(Check.FORMAT, "proof has no blank line before its checkpoint");
        }
        List<String> lines = List.of(text.substring(0, blank).split("\n", -1));
        String checkpoint = text.substring(blank + 2);
        int at = 0;
        if (!lines.get(at++).equals(HEADER)) {
            throw VerificationException.mismatch(Check.FORMAT, "first line of proof", HEADER, lines.get(0));
        }
        Optional<byte[]> extra = Optional.empty();
        if (at < lines.size() && lines.get(at).startsWith("extra ")) {
            String encoded = lines.get(at++).substring("extra ".length());
            extra = Optional.of(Base64Strict.decode(encoded).filter(e -> e.length <= MAX_EXTRA_LENGTH).orElseThrow(() ->
                    VerificationException.of(Check.FORMAT, "proof extra data is not canonical base64 (or too long)")));
        }
        if (at >= lines.size() || !INDEX.matcher(lines.get(at)).matches()) {
            throw VerificationException.of(Check.FORMAT, "proof has no line 'index <decimal without leading zeros>'");
        }
        long index;
        try {
            index = Long.parseLong(lines.get(at++).substring("index ".length()));
        } catch (NumberFormatException e) {
            throw VerificationException.of(Check.FORMAT, "proof index is out of range");
        }
        List<String> hashLines = lines.subList(at, lines.size());
        if (hashLines.size() > MerkleProofs.MAX_PROOF_HASHES) {
            throw VerificationException.mismatch(Check.FORMAT, "proof hashes", "at most " + MerkleProofs.MAX_PROOF_HASHES,
                    hashLines.size());
        }
        List<byte[]> path = new ArrayList<>();
        for (String line : hashLines) {
            path.add(Base64Strict.decode(line).filter(h -> h.length == TreeHasher.HASH_LENGTH).orElseThrow(() ->
                    VerificationException.of(Check.FORMAT, "proof hash line is not the base64 of 32 bytes")));
        }
        return new TlogProof(extra, index, path, checkpoint);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlogProof p) || p.index != index || !p.checkpoint.equals(checkpoint)
                || p.extra.isPresent() != extra.isPresent() || p.path.size() != path.size()) {
            return false;
        }
        if (extra.isPresent() && !Arrays.equals(extra.get(), p.extra.get())) {
            return false;
        }
        for (int i = 0; i < path.size(); i++) {
            if (!Arrays.equals(path.get(i), p.path.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + checkpoint.hashCode();
    }

    @Override
    public String toString() {
        return "TlogProof[index " + index + ", " + path.size() + " hashes]";
    }
}
