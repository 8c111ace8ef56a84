package dev.clawstream.bundler;

import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.note.TlogProof;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static dev.clawstream.bundler.JobFixture.GATEWAY;
import static dev.clawstream.bundler.JobFixture.POLICY;
import static dev.clawstream.bundler.JobFixture.T0;
import static dev.clawstream.bundler.JobFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleSealerTest {

    private static BundleVerifier fullVerifier() {
        return BundleVerifier.forKey(BUNDLER.verifier()).withPolicies(List.of(POLICY))
                .withGatewayKeys(TrustedKeys.of(List.of(GATEWAY.verifier())));
    }

    @Test
    void theExampleBundleVerifiesFullAndRedactedAgainstTheSameSeal() throws Exception {
        BundleSealer.Sealed sealed = JobFixture.exampleBundle();

        fullVerifier().verify(sealed.full().toJson());
        BundleVerifier.forKey(BUNDLER.verifier()).withGatewayKeys(TrustedKeys.of(List.of(GATEWAY.verifier())))
                .verify(sealed.redacted().toJson());
        assertThat(sealed.redacted().seal()).isEqualTo(sealed.full().seal());
        assertThat(sealed.full().entries()).hasSize(6);
        assertThat(sealed.full().checkpoints()).hasSize(1);
        assertThat(sealed.full().finalSegment()).isTrue();
    }

    @Test
    void theRedactedCopyNamesNoDestinationAndNoRedactedTool() {
        BundleSealer.Sealed sealed = JobFixture.exampleBundle();
        String full = sealed.full().toJson();
        String redacted = sealed.redacted().toJson();

        assertThat(full).contains("api.openai.com", "169.254.169.254", "http_get");
        assertThat(redacted).doesNotContain("api.openai.com", "169.254.169.254", "http_get", "\"salt\"");
    }

    @Test
    void theRecordsCarryTheDocumentsAndTheSeal() {
        BundleSealer.Sealed sealed = JobFixture.exampleBundle();
        ProofBundle full = sealed.full().toRecord();
        ProofBundle redacted = sealed.redacted().toRecord();

        assertThat(full.getJobId()).isEqualTo("job-1");
        assertThat(full.getEntryCount()).isEqualTo(6);
        assertThat(full.getFinalSegment()).isTrue();
        assertThat(full.getSealReason()).isEqualTo(SealReason.JOB_CLOSED);
        assertThat(full.getSealedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(full.getChainHead()).isEqualTo(sealed.full().chainHead().toString());
        assertThat(full.getMerkleRoot()).isEqualTo(sealed.full().merkleRoot().toString());
        assertThat(full.getBundlerKeyId()).isEqualTo(BUNDLER.keyId().toString());
        assertThat(full.getRedacted()).isFalse();
        assertThat(redacted.getRedacted()).isTrue();
        assertThat(redacted.getSeal()).isEqualTo(full.getSeal());
        assertThat(full.getBundle()).isEqualTo(sealed.full().toJson());
    }

    @Test
    void aLongJobIsCutIntoSegmentsThatEachVerifyAndFollowOneAnother() throws Exception {
        JobFixture.Recorder r = longJob(700, 16 * 1024);

        List<BundleDocument> segments = r.documents();
        assertThat(segments.size()).isGreaterThan(3);
        fullVerifier().verifySegments(segments);
        for (BundleDocument segment : segments) {
            fullVerifier().verify(segment.toJson());
            BundleVerifier.forKey(BUNDLER.verifier()).verify(segment.withoutOpenings().toJson());
            assertThat(segment.toJson().length()).isLessThan(16 * 1024 + 4096);
        }
        assertThat(segments.get(segments.size() - 1).finalSegment()).isTrue();
        assertThat(segments.stream().filter(BundleDocument::finalSegment)).hasSize(1);
        assertThat(segments.get(segments.size() - 1).entryCount()).isEqualTo(1 + 700 + 18 + segments.size()); // header, decisions, a receipt every 40th, one terminal entry per segment
    }

    @Test
    void segmentsOutOfOrderOrWithOneMissingAreRejected() {
        List<BundleDocument> segments = longJob(300, 16 * 1024).documents();
        assertThat(segments.size()).isGreaterThan(2);

        assertThatThrownBy(() -> fullVerifier().verifySegments(List.of(segments.get(0), segments.get(2))))
                .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.check()).isEqualTo(VerificationException.Check.SEGMENT));
        assertThatThrownBy(() -> fullVerifier().verifySegments(List.of(segments.get(1), segments.get(0))))
                .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.check()).isEqualTo(VerificationException.Check.SEGMENT));
    }

    @Test
    void everyEntryOfEverySegmentHasAnInclusionProofAgainstItsSeal() throws Exception {
        for (BundleDocument segment : longJob(120, 16 * 1024).documents()) {
            for (DocumentEntry e : segment.entries()) {
                TlogProof proof = EntryProof.prove(segment, e.index());
                EntryProof.verify(TlogProof.parse(proof.format()), BUNDLER.verifier(), Optional.of("job-1"));
            }
        }
    }

    @Test
    void interimCheckpointsComeByCountAndByTimeAndTheSealIsConsistentWithEach() throws Exception {
        SealerConfig config = new SealerConfig("clawstream/bundles", 5, Duration.ofMinutes(1), 900_000,
                Duration.ofMinutes(30));
        JobFixture.Recorder r = new JobFixture.Recorder(config, JobFixture.countingSalts(), header(), T0);
        Enforcer enforcer = JobFixture.enforcer(T0, POLICY);
        JobContext job = new JobContext(Optional.of(TOKEN), false);
        for (int i = 0; i < 12; i++) {
            r.decision(enforcer.decide(JobFixture.event("e-" + i, T0, "https://pypi.org/simple/" + i, "http_get", null), job), T0);
        }
        assertThat(r.checkpoints).hasSize(2); // at 5 and 10 entries (the header counts)
        r.tick(T0.plusSeconds(59));
        assertThat(r.checkpoints).hasSize(2);
        r.tick(T0.plusSeconds(60));
        assertThat(r.checkpoints).hasSize(3); // a quiet job is checkpointed by time
        r.tick(T0.plusSeconds(600));
        assertThat(r.checkpoints).hasSize(3); // nothing appended since: no new checkpoint

        BundleSealer.Sealed sealed = r.close(SealReason.JOB_CLOSED, T0.plusSeconds(700));
        assertThat(sealed.full().checkpoints()).hasSize(3);
        fullVerifier().verify(sealed.full().toJson());
    }

    @Test
    void anIdleJobIsSealedWithTheReason() throws Exception {
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(), header(), T0);
        assertThat(r.sealer.idle(r.state, T0.plus(Duration.ofMinutes(29)))).isFalse();
        assertThat(r.sealer.idle(r.state, T0.plus(Duration.ofMinutes(30)))).isTrue();

        BundleSealer.Sealed sealed = r.close(SealReason.IDLE_TIMEOUT, T0.plus(Duration.ofMinutes(30)));
        fullVerifier().verify(sealed.full());
        assertThat(sealed.full().toRecord().getSealReason()).isEqualTo(SealReason.IDLE_TIMEOUT);
        assertThat(r.sealer.idle(sealed.state(), T0.plus(Duration.ofDays(1)))).isFalse();
        assertThatThrownBy(() -> r.sealer.append(sealed.state(), dev.clawstream.bundler.chain.Entry.decision(
                JobFixture.enforcer(T0, POLICY).decide(JobFixture.event("late", T0, "https://pypi.org/", null, null),
                        new JobContext(Optional.of(TOKEN), false)), r.redaction), T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sealed");
    }

    @Test
    void theStateStaysSmallHoweverLongTheJob() {
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(), header(), T0);
        Enforcer enforcer = JobFixture.enforcer(T0, POLICY);
        JobContext job = new JobContext(Optional.of(TOKEN), false);
        int largest = 0;
        for (int i = 0; i < 3000; i++) {
            r.decision(enforcer.decide(JobFixture.event("e-" + i, T0, "https://pypi.org/" + i, null, null), job), T0);
            largest = Math.max(largest, r.state.toBytes().length);
        }
        // Two frontiers of at most 64 hashes, a previous seal and counters: never the entries.
        assertThat(largest).isLessThan(2 * 64 * 70 + 2048);
        assertThat(BundleState.fromBytes(r.state.toBytes())).isEqualTo(r.state);
    }

    @Test
    void entriesHandedBackOutOfOrderAreABugNotABundle() {
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(), header(), T0);
        r.decision(JobFixture.enforcer(T0, POLICY).decide(JobFixture.event("e-1", T0, "https://pypi.org/", null, null),
                new JobContext(Optional.of(TOKEN), false)), T0);

        assertThatThrownBy(() -> r.sealer.close(r.state, List.of(r.entries.get(1), r.entries.get(0)), List.of(),
                SealReason.JOB_CLOSED, Optional.empty(), T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.sealer.close(r.state, List.of(r.entries.get(0)), List.of(),
                SealReason.JOB_CLOSED, Optional.empty(), T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aJobStartedByItsFirstDecisionTakesPolicyTokenAndAgentFromIt() throws Exception {
        Decision first = JobFixture.enforcer(T0, POLICY).decide(JobFixture.event("e-1", T0, "https://pypi.org/", null,
                null), new JobContext(Optional.of(TOKEN), false));
        Header header = Header.fromDecision(first);

        assertThat(header).isEqualTo(header());
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(), header, T0);
        r.decision(first, T0);
        fullVerifier().verify(r.close(SealReason.JOB_CLOSED, T0).full());
    }

    static Header header() {
        return new Header("job-1", "agent-1", Optional.of(POLICY.hash()), Optional.of(TOKEN.scopeHash()),
                Optional.of(TOKEN.tokenId()), T0, List.of(POLICY.hash()));
    }

    static JobFixture.Recorder longJob(int decisions, long maxSegmentBytes) {
        SealerConfig config = new SealerConfig("clawstream/bundles", 50, Duration.ofMinutes(1), maxSegmentBytes,
                Duration.ofMinutes(30));
        JobFixture.Recorder r = new JobFixture.Recorder(config, dev.clawstream.bundler.chain.SaltSource.secure(), header(), T0);
        Instant now = T0;
        Enforcer enforcer = JobFixture.enforcer(now, POLICY);
        JobContext job = new JobContext(Optional.of(TOKEN), false);
        for (int i = 0; i < decisions; i++) {
            String url = i % 3 == 0 ? "https://api.openai.com/v1/x" + i : i % 3 == 1 ? "https://pypi.org/p/" + i
                    : "https://evil.example/" + i;
            r.decision(enforcer.decide(JobFixture.event("e-" + i, now, url, "http_get", Verdict.ALLOW), job), now);
            if (i % 40 == 0) {
                r.receipt(JobFixture.receipt("r-" + i, now, "openai/gpt-4o-mini"), now);
            }
        }
        r.close(SealReason.JOB_CLOSED, now.plusSeconds(5));
        return r;
    }
}
