package dev.clawstream.bundler;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A proof bundle, checkpoint or proof did not verify. Checked, and thrown from {@code void} verifiers,
 * so a failed verification cannot be ignored the way a {@code false} can. It names the first check
 * that failed, the entry it failed at (when one is involved) and what was found against what was
 * required, hashes in hex: enough for a person to see what differed without a debugger.
 */
public final class VerificationException extends Exception {

    /** Which check failed, in the order a bundle is verified (docs/proof-bundle.md, "Verifying"). */
    public enum Check {
        /** The document, note or proof is not in the format (a field missing or unknown, a count over a cap). */
        FORMAT,
        /** The seal's signed note has no valid signature by the bundler key. */
        SEAL_SIGNATURE,
        /** The origin line does not name this job. */
        ORIGIN,
        /** Entries are not numbered consecutively from the segment's first index. */
        ENTRY_INDEX,
        /** An entry's hash is not SHA-256 over the previous hash and the entry's canonical bytes. */
        CHAIN_LINK,
        /** An entry is not what may stand at its place (a header after the first entry, a job id of another job). */
        ENTRY_CONTENT,
        /** A redacted value's opening does not match its commitment, or an opening is missing. */
        COMMITMENT,
        /** The Merkle root computed over the entries is not the one sealed. */
        MERKLE_ROOT,
        /** The document's entry count disagrees with its entries or its seal. */
        TREE_SIZE,
        /** The document's chain head is not the last entry's hash. */
        CHAIN_HEAD,
        /** An interim checkpoint does not verify, or the seal is not consistent with it. */
        CHECKPOINT,
        /** An RFC 9162 consistency proof does not lead from the older root to the newer. */
        CONSISTENCY_PROOF,
        /** An RFC 9162 inclusion proof does not lead from the leaf to the root. */
        INCLUSION_PROOF,
        /** Segments do not follow one another (index, head, size, previous seal). */
        SEGMENT,
        /** A gateway receipt's signature does not verify with the given gateway keys. */
        RECEIPT_SIGNATURE,
        /** The bundle's WPC hash is not the hash of the WPC given. */
        WPC_HASH,
        /** A recorded decision is not what its WPC decides for its input. */
        DECISION
    }

    private final Check check;
    private final long entryIndex;
    private final String expected;
    private final String actual;

    private VerificationException(Check check, long entryIndex, String what, String expected, String actual,
                                  Throwable cause) {
        super(message(check, entryIndex, what, expected, actual), cause);
        this.check = Objects.requireNonNull(check, "check");
        this.entryIndex = entryIndex;
        this.expected = expected;
        this.actual = actual;
    }

    /** A failure with nothing to compare (a malformed field, a missing signature). */
    public static VerificationException of(Check check, String what) {
        return new VerificationException(check, -1, what, null, null, null);
    }

    /** A failure at one entry with nothing to compare. */
    public static VerificationException at(Check check, long entryIndex, String what) {
        return new VerificationException(check, entryIndex, what, null, null, null);
    }

    /** A value that differs from the one required: "what: got ACTUAL, want EXPECTED". */
    public static VerificationException mismatch(Check check, String what, Object expected, Object actual) {
        return new VerificationException(check, -1, what, String.valueOf(expected), String.valueOf(actual), null);
    }

    /** The same, at one entry. */
    public static VerificationException mismatchAt(Check check, long entryIndex, String what, Object expected,
                                                   Object actual) {
        return new VerificationException(check, entryIndex, what, String.valueOf(expected), String.valueOf(actual), null);
    }

    /** This failure seen from a larger check: the inner check's message is kept as the cause. */
    public VerificationException within(Check outer, long index, String what) {
        return new VerificationException(outer, index >= 0 ? index : entryIndex, what + ": " + getMessage(),
                null, null, this);
    }

    public Check check() {
        return check;
    }

    /** The entry the check failed at, when one is involved. */
    public OptionalLong entryIndex() {
        return entryIndex >= 0 ? OptionalLong.of(entryIndex) : OptionalLong.empty();
    }

    /** What the check required, when it compared two values. */
    public String expected() {
        return expected;
    }

    /** What the check found, when it compared two values. */
    public String actual() {
        return actual;
    }

    private static String message(Check check, long entryIndex, String what, String expected, String actual) {
        StringBuilder m = new StringBuilder().append(check);
        if (entryIndex >= 0) {
            m.append(" at entry ").append(entryIndex);
        }
        m.append(": ").append(what);
        if (expected != null || actual != null) {
            m.append(": got ").append(actual).append(", want ").append(expected);
        }
        return m.toString();
    }
}
