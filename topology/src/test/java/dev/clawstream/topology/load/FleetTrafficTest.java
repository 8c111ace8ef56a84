package dev.clawstream.topology.load;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.decision.WpcCatalog;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The load harness's traffic decides under the fleet WPC as its kind says, so the figures measure real work. */
class FleetTrafficTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void everyKindOfTrafficDecidesAsLabelled() {
        Signer issuer = Keys.generate();
        Signer gateway = Keys.generate();
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(FleetTraffic.WPC, "fleet.json");
        CompiledPolicy policy = CompiledPolicy.compile(wpc.wpc(), wpc.document().hash());
        WpcCatalog catalog = new WpcCatalog() {
            @Override
            public Optional<CompiledPolicy> byHash(dev.clawstream.enforcer.canonical.Sha256Hash hash) {
                return hash.equals(policy.hash()) ? Optional.of(policy) : Optional.empty();
            }

            @Override
            public Optional<CompiledPolicy> latestByName(String name) {
                return Optional.empty();
            }
        };
        Enforcer enforcer = new Enforcer(new PolicyEngine(new CstCheck(TrustedKeys.of(List.of(issuer.verifier())))),
                catalog, TrustedKeys.of(List.of(gateway.verifier())), Clock.fixed(T0, ZoneOffset.UTC));
        List<Cst> tokens = new ArrayList<>();
        List<FleetTraffic.FleetJob> jobs = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            Cst token = new CstIssuer(issuer, Clock.fixed(T0, ZoneOffset.UTC)).issue("job-" + j, "agent-" + j, "{}",
                    List.of(wpc.document().hash()), Optional.empty(), List.of(), Duration.ofHours(1));
            tokens.add(token);
            jobs.add(new FleetTraffic.FleetJob(token.jobId(), token.agentId(), token.scopeHash().toString()));
        }
        FleetTraffic traffic = new FleetTraffic(jobs, gateway, 42, "t-");

        Map<ReasonCode, Integer> reasons = new EnumMap<>(ReasonCode.class);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            for (SpecificRecord record : traffic.next(T0)) {
                Decision d;
                String url;
                if (record instanceof EgressEvent event) {
                    d = enforcer.decide(event, new JobContext(Optional.of(token(tokens, event.getJobId())), false));
                    url = event.getUrl();
                } else {
                    GatewayReceipt receipt = (GatewayReceipt) record;
                    d = enforcer.decide(receipt, new JobContext(Optional.of(token(tokens, receipt.getJobId())), false));
                    url = receipt.getProvider() + ":" + receipt.getModelId();
                }
                reasons.merge(d.getReason(), 1, Integer::sum);
                boolean shouldAllow = !(url.contains("attacker") || url.contains("169.254") || url.contains("2852039166")
                        || url.contains("slack") || url.contains("pastebin") || url.contains("stripe")
                        || url.contains("huggingface") || url.contains("google-analytics"));
                if ((d.getVerdict() == Verdict.ALLOW) != shouldAllow) {
                    wrong.add(url + " -> " + d.getReason() + " " + d.getDetail());
                }
            }
        }
        assertThat(wrong).isEmpty();
        // Every path of the mix is exercised: allowed domains and models, default deny, denied metadata.
        assertThat(reasons).containsKeys(ReasonCode.ALLOWED_DOMAIN, ReasonCode.ALLOWED_MODEL, ReasonCode.DEFAULT_DENY);
        assertThat(reasons.keySet()).anyMatch(r -> r == ReasonCode.DENIED_CIDR || r == ReasonCode.SPECIAL_PURPOSE_IP);
    }

    @Test
    void theSameSeedSendsTheSameTraffic() {
        Signer gateway = Keys.generate();
        List<FleetTraffic.FleetJob> jobs = List.of(new FleetTraffic.FleetJob("job-1", "agent-1", "sha256:" + "a".repeat(64)));
        FleetTraffic a = new FleetTraffic(jobs, gateway, 7, "x-");
        FleetTraffic b = new FleetTraffic(jobs, gateway, 7, "x-");
        for (int i = 0; i < 100; i++) {
            List<SpecificRecord> ra = a.next(T0);
            List<SpecificRecord> rb = b.next(T0);
            assertThat(ra.get(0)).isEqualTo(rb.get(0));
        }
    }

    private static Cst token(List<Cst> tokens, String jobId) {
        return tokens.stream().filter(t -> t.jobId().equals(jobId)).findFirst().orElseThrow();
    }
}
