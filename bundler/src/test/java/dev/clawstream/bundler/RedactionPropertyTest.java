package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.clawstream.bundler.chain.Commitment;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.Redaction;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static dev.clawstream.bundler.JobFixture.POLICY;
import static dev.clawstream.bundler.JobFixture.T0;
import static dev.clawstream.bundler.JobFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class RedactionPropertyTest {

    /** Field names of a decision and its event a WPC might ask to redact, and some it names in vain. */
    private static final List<String> NAMES = List.of("tool", "method", "sidecar_id", "bytes_out", "bytes_in",
            "attributes", "response_flags", "agent_id", "decision_id", "event_id", "matched_rule", "verdict",
            "sidecar_verdict", "time", "input", "job_id", "no_such_field");

    @Property(tries = 40)
    void anySubsetOfRedactionsStillVerifiesFullAndRedactedAgainstOneSeal(
            @ForAll @Size(max = 8) @UniqueElements List<@net.jqwik.api.From("names") String> extra) throws Exception {
        Redaction redaction = Redaction.destinations(SaltSource.secure()).withFields(extra);
        Enforcer enforcer = JobFixture.enforcer(T0, POLICY);
        JobContext job = new JobContext(Optional.of(TOKEN), false);
        EgressEvent event = JobFixture.event("e-1", T0, "https://pypi.org/simple/x", "http_get", Verdict.ALLOW);
        event.setResolvedIp("151.101.0.223");
        event.setAttributes(Map.of("response_flags", "-"));
        Decision d = enforcer.decide(event, job);

        BundleSealer sealer = new BundleSealer(BUNDLER, SealerConfig.defaults());
        BundleSealer.Appended a = sealer.start(BundleSealerTest.header(), T0);
        BundleSealer.Appended b = sealer.append(a.state(), Entry.decision(d, redaction), T0);
        BundleSealer.Sealed sealed = sealer.close(b.state(), List.of(a.entry(), b.entry()), List.of(),
                SealReason.JOB_CLOSED, Optional.empty(), T0);

        BundleVerifier.forKey(BUNDLER.verifier()).withPolicies(List.of(POLICY)).verify(sealed.full().toJson());
        BundleVerifier.forKey(BUNDLER.verifier()).verify(sealed.redacted().toJson());
        assertThat(sealed.redacted().seal()).isEqualTo(sealed.full().seal());
        assertThat(sealed.redacted().toJson()).doesNotContain("pypi.org", "151.101.0.223");
        if (extra.contains("tool")) {
            assertThat(sealed.redacted().toJson()).doesNotContain("http_get");
        }
        assertThat(b.entry().entry().committedPointers()).doesNotContain("/decision/job_id", "/decision/input/job_id");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> names() {
        return net.jqwik.api.Arbitraries.of(NAMES);
    }

    @Property(tries = 200)
    void oneValueUnderTwoSaltsGivesTwoUnrelatedCommitments(@ForAll @StringLength(max = 80) String host) {
        SaltSource salts = SaltSource.secure();
        String a = Commitment.of(salts.nextSalt(), TextNode.valueOf(host)).hex();
        String b = Commitment.of(salts.nextSalt(), TextNode.valueOf(host)).hex();
        assertThat(a).isNotEqualTo(b);
    }

    @Property(tries = 50)
    void theSaltAndTheValueCannotBeReSplit(@ForAll @StringLength(min = 1, max = 20) String value) {
        // Moving bytes between salt and value must change the commitment: both are length-prefixed.
        byte[] salt = new byte[32];
        String commitment = Commitment.of(salt, TextNode.valueOf(value)).hex();
        byte[] other = new byte[32];
        other[31] = '"';
        assertThat(Commitment.of(other, TextNode.valueOf(value.substring(1))).hex()).isNotEqualTo(commitment);
        assertThat(Set.of(commitment)).hasSize(1);
    }
}
