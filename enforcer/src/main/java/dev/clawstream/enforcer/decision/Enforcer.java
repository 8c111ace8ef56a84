package dev.clawstream.enforcer.decision;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyDecision;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.policy.PolicyLayers;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The one authoritative decision on an egress event or a gateway receipt, as the Avro record written
 * to {@code egress.decisions}. Pure: the topology hands it the job's context and a catalog of verified
 * WPCs; nothing here touches Kafka.
 *
 * <p>Fail closed: a closed job, no WPC to decide under, a receipt that does not verify or names
 * another scope — each is a DENY with its own reason. Tokens are checked at the event's own time, so
 * re-deciding a recorded event (the offline verifier does) gives the same answer.
 */
public final class Enforcer {

    private final PolicyEngine engine;
    private final WpcCatalog catalog;
    private final TrustedKeys gatewayKeys;
    private final Clock clock;

    public Enforcer(PolicyEngine engine, WpcCatalog catalog, TrustedKeys gatewayKeys, Clock clock) {
        this.engine = engine;
        this.catalog = catalog;
        this.gatewayKeys = gatewayKeys;
        this.clock = clock;
    }

    public Decision decide(EgressEvent event, JobContext job) {
        Decision decision = decideEvent(event, job);
        Verdict policyVerdict = decision.getWouldBeVerdict() != null ? decision.getWouldBeVerdict() : decision.getVerdict();
        // A sidecar that let through what policy denies (or the reverse) is evidence for the alerter.
        decision.setSidecarMismatch(event.getSidecarVerdict() != null && event.getSidecarVerdict() != policyVerdict);
        return decision;
    }

    private Decision decideEvent(EgressEvent event, JobContext job) {
        Decision.Builder decision = base("d-" + event.getEventId(), event.getJobId(), event.getAgentId(), job)
                .setInput(event);
        Optional<CompiledPolicy> policy = policyInForce(job.token());
        if (job.closed()) {
            return deny(decision, ReasonCode.JOB_CLOSED, "job " + event.getJobId() + " is closed", policy);
        }
        if (job.token().isEmpty()) {
            return deny(decision, ReasonCode.NO_CST, "job " + event.getJobId() + " has no token (CST)", policy);
        }
        if (policy.isEmpty()) {
            return deny(decision, ReasonCode.WPC_UNKNOWN, noPolicy(job.token()), policy);
        }
        CompiledPolicy effective;
        try {
            effective = catalog.effective(policy.get());
        } catch (PolicyLayers.LayerException e) {
            return deny(decision, e.reason(), e.getMessage(), policy);
        }
        ParsedDestination destination = event.getUrl() != null
                ? DestinationParser.parseUrl(event.getUrl())
                : DestinationParser.parseHostPort(event.getHost(), event.getPort(), null);
        PolicyDecision result = engine.decideEgress(effective, job.token(), event.getAgentId(), event.getTime(),
                destination, Optional.ofNullable(event.getResolvedIp()), Optional.ofNullable(event.getTool()));
        if (event.getRedirectFrom() != null) {
            // Judged on its own: the alerter flags an allowed source sending the agent somewhere new, and the
            // target above was decided as if nothing had redirected to it.
            decision.setRedirectSourceVerdict(redirectSourceVerdict(effective, event.getRedirectFrom(), job.token()));
        }
        return apply(decision, result, effective).build();
    }

    /** What the job's policy (in enforce terms) makes of the URL that redirected to an event's destination. */
    private static Verdict redirectSourceVerdict(CompiledPolicy effective, String redirectFrom, Optional<Cst> token) {
        return effective.enforcedVerdict(DestinationParser.parseUrl(redirectFrom), PolicyEngine.attestations(token));
    }

    public Decision decide(GatewayReceipt receipt, JobContext job) {
        Decision.Builder decision = base("d-" + receipt.getReceiptId(), receipt.getJobId(), receipt.getAgentId(), job)
                .setInput(receipt);
        Optional<CompiledPolicy> policy = policyInForce(job.token());
        try {
            ReceiptSignature.verify(receipt, gatewayKeys);
        } catch (SignatureInvalidException e) {
            return deny(decision, e.failure() == SignatureInvalidException.Failure.UNKNOWN_KEY
                    ? ReasonCode.RECEIPT_KEY_UNKNOWN : ReasonCode.RECEIPT_SIGNATURE_INVALID, e.getMessage(), policy);
        }
        if (job.closed()) {
            return deny(decision, ReasonCode.JOB_CLOSED, "job " + receipt.getJobId() + " is closed", policy);
        }
        if (job.token().isEmpty()) {
            return deny(decision, ReasonCode.NO_CST, "job " + receipt.getJobId() + " has no token (CST)", policy);
        }
        if (policy.isEmpty()) {
            return deny(decision, ReasonCode.WPC_UNKNOWN, noPolicy(job.token()), policy);
        }
        CompiledPolicy effective;
        try {
            effective = catalog.effective(policy.get());
        } catch (PolicyLayers.LayerException e) {
            return deny(decision, e.reason(), e.getMessage(), policy);
        }
        if (job.token().isPresent() && !job.token().get().scopeHash().toString().equals(receipt.getCstScopeHash())) {
            return deny(decision, ReasonCode.RECEIPT_SCOPE_MISMATCH, "receipt names scope " + receipt.getCstScopeHash()
                    + ", the job's token has " + job.token().get().scopeHash(), policy);
        }
        PolicyDecision result = engine.decideModelCall(effective, job.token(), receipt.getAgentId(),
                receipt.getTime(), receipt.getProvider(), receipt.getModelId());
        return apply(decision, result, effective).build();
    }

    /**
     * The WPC a job runs under: the first of its pinned hashes the catalog knows, or else the latest
     * WPC of the name the token gives. A pinned job never silently moves to a newer version.
     */
    Optional<CompiledPolicy> policyInForce(Optional<Cst> token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        for (Sha256Hash pinned : token.get().pinnedWpcHashes()) {
            Optional<CompiledPolicy> policy = catalog.byHash(pinned);
            if (policy.isPresent()) {
                return policy;
            }
        }
        if (!token.get().pinnedWpcHashes().isEmpty()) {
            return Optional.empty();
        }
        return token.get().wpcName().flatMap(catalog::latestByName);
    }

    private static String noPolicy(Optional<Cst> token) {
        Cst cst = token.orElseThrow();
        return cst.pinnedWpcHashes().isEmpty()
                ? "no verified WPC named '" + cst.wpcName().orElse("") + "' is known"
                : "none of the pinned WPCs " + cst.pinnedWpcHashes() + " is known and verified";
    }

    private Decision.Builder base(String id, String jobId, String agentId, JobContext job) {
        return Decision.newBuilder().setDecisionId(id).setTime(clock.instant()).setJobId(jobId).setAgentId(agentId)
                .setCstScopeHash(job.token().map(t -> t.scopeHash().toString()).orElse(null))
                .setTokenId(job.token().map(Cst::tokenId).orElse(null))
                .setAttestations(job.token().map(Cst::attestations).orElse(List.of()));
    }

    private static Decision.Builder apply(Decision.Builder decision, PolicyDecision result, CompiledPolicy effective) {
        return decision.setVerdict(result.verdict()).setReason(result.reason()).setDetail(result.detail())
                .setMatchedRule(result.matchedRule().orElse(null))
                .setWpcHash(result.wpcHash().map(Object::toString).orElse(null))
                .setPolicyHash(effective.effectiveHash().toString())
                .setWpcLayerHashes(effective.layerHashesText())
                .setMode(result.mode()).setWouldBeVerdict(result.wouldBeVerdict().orElse(null))
                .setWouldBeReason(result.wouldBeReason().orElse(null));
    }

    private static Decision deny(Decision.Builder decision, ReasonCode reason, String detail,
                                 Optional<CompiledPolicy> policy) {
        return decision.setVerdict(Verdict.DENY).setReason(reason).setDetail(detail).setMatchedRule(null)
                .setWpcHash(policy.map(p -> p.hash().toString()).orElse(null))
                .setPolicyHash(null).setWpcLayerHashes(List.of()).setRedirectSourceVerdict(null)
                .setMode(PolicyMode.ENFORCE).setWouldBeVerdict(null).setWouldBeReason(null).setSidecarMismatch(false)
                .build();
    }
}
