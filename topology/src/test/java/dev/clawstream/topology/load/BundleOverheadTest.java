package dev.clawstream.topology.load;

import dev.clawstream.bundler.chain.EntryKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleOverheadTest {

    @Test
    void everyActionIsSealedOnceAndTheRedactedCopyIsSmaller() {
        BundleOverhead.Report r = BundleOverhead.measure(2_000, 4, 1_000, 7);

        long receipts = r.entries().getOrDefault(EntryKind.RECEIPT, 0L);
        assertThat(receipts).as("model calls in the fleet mix").isPositive();
        // One decision per action, and one more per model call (on its receipt); a header and a close per job.
        assertThat(r.entries().get(EntryKind.DECISION)).isEqualTo(2_000 + receipts);
        assertThat(r.entries().get(EntryKind.HEADER)).isEqualTo(4);
        assertThat(r.entries().get(EntryKind.CLOSE)).isEqualTo(4);
        assertThat(r.documents()).isEqualTo(4 + r.entries().getOrDefault(EntryKind.SEGMENT_END, 0L));
        // Redaction drops the openings (salts and values), never an entry.
        assertThat(r.redactedBytes()).isLessThan(r.fullBytes());
        assertThat(r.entryRedactedBytes().get(EntryKind.DECISION)).isLessThan(r.entryFullBytes().get(EntryKind.DECISION));
        assertThat(r.entryRedactedBytes().get(EntryKind.RECEIPT)).isEqualTo(r.entryFullBytes().get(EntryKind.RECEIPT));
    }

    @Test
    void refusesAnEmptyRun() {
        assertThatThrownBy(() -> BundleOverhead.measure(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
