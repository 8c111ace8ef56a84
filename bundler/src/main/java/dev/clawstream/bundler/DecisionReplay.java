package dev.clawstream.bundler;

import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyDecision;
import dev.clawstream.enforcer.policy.PolicyLayers;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-decides a recorded decision with the policy engine and requires the same answer: a bundle whose
 * decisions do not follow from its own WPC is invalid, however well it is signed.
 *
 * <p>What a bundle lets us re-decide (docs/proof-bundle.md, "Re-deciding"): every decision the WPC
 * made — verdict, reason, matched rule, WPC hash, layer hashes and effective policy hash, mode, would-be
 * verdict and reason, the redirect source's verdict and the sidecar mismatch flag — is recomputed from
 * the recorded input and the attestations the decision records, under the WPC's layers composed from the
 * WPCs given. A denial for a token reason (no token, expired, revoked,
 * forged, another agent, pin mismatch), an unknown WPC or a closed job cannot be recomputed, as the
 * bundle carries no token; it must at least be what the enforcer always makes of those: a DENY in
 * ENFORCE mode naming no rule. Receipt failures are recomputed when gateway keys are given.
 */
final class DecisionReplay {

    private static final Set<ReasonCode> UNCHECKABLE_DENIALS = EnumSet.of(ReasonCode.NO_CST, ReasonCode.CST_EXPIRED,
            ReasonCode.CST_REVOKED, ReasonCode.CST_SIGNATURE_INVALID, ReasonCode.CST_AGENT_MISMATCH,
            ReasonCode.WPC_PIN_MISMATCH, ReasonCode.WPC_UNKNOWN, ReasonCode.WPC_LAYER_MISSING,
            ReasonCode.WPC_LAYER_INVALID, ReasonCode.JOB_CLOSED);
    private static final Set<ReasonCode> RECEIPT_SIGNATURE_DENIALS = EnumSet.of(ReasonCode.RECEIPT_SIGNATURE_INVALID,
            ReasonCode.RECEIPT_KEY_UNKNOWN);

    private final Map<Sha256Hash, CompiledPolicy> policies;
    private final Optional<TrustedKeys> gatewayKeys;

    DecisionReplay(Map<Sha256Hash, CompiledPolicy> policies, Optional<TrustedKeys> gatewayKeys) {
        this.policies = Map.copyOf(policies);
        this.gatewayKeys = Objects.requireNonNull(gatewayKeys, "gatewayKeys");
    }

    void check(long index, Decision d) throws VerificationException {
        ReasonCode reason = d.getReason();
        if (UNCHECKABLE_DENIALS.contains(reason) || RECEIPT_SIGNATURE_DENIALS.contains(reason)
                || reason == ReasonCode.RECEIPT_SCOPE_MISMATCH) {
            requireEnforcedDenial(index, d);
        }
        if (d.getInput() instanceof GatewayReceipt receipt) {
            checkReceipt(index, d, receipt);
        } else {
            // The enforcer flags a sidecar whose own verdict differs from policy's (would-be, in monitor mode).
            EgressEvent event = (EgressEvent) d.getInput();
            Verdict policyVerdict = d.getWouldBeVerdict() != null ? d.getWouldBeVerdict() : d.getVerdict();
            boolean mismatch = event.getSidecarVerdict() != null && event.getSidecarVerdict() != policyVerdict;
            compare(index, d, "sidecar_mismatch", mismatch, d.getSidecarMismatch());
        }
        if (UNCHECKABLE_DENIALS.contains(reason) || RECEIPT_SIGNATURE_DENIALS.contains(reason)
                || reason == ReasonCode.RECEIPT_SCOPE_MISMATCH) {
            return;
        }
        if (d.getWpcHash() == null) {
            throw VerificationException.at(Check.DECISION, index, "decision " + d.getDecisionId() + " gives reason "
                    + reason + " but names no WPC it was made under");
        }
        Sha256Hash wpc;
        try {
            wpc = Sha256Hash.parse(d.getWpcHash());
        } catch (IllegalArgumentException e) {
            throw VerificationException.at(Check.DECISION, index, "decision " + d.getDecisionId()
                    + " names WPC '" + d.getWpcHash() + "', not a sha256:<hex> hash");
        }
        CompiledPolicy leaf = policies.get(wpc);
        if (leaf == null) {
            throw VerificationException.mismatchAt(Check.WPC_HASH, index, "decision " + d.getDecisionId()
                    + " was made under a WPC that was not given", policies.keySet(), wpc);
        }
        CompiledPolicy policy;
        try {
            // Composed from the WPC files given, exactly as the enforcer composes them from its catalog.
            policy = PolicyLayers.resolve(leaf, h -> Optional.ofNullable(policies.get(h)));
        } catch (PolicyLayers.LayerException e) {
            throw VerificationException.at(Check.WPC_HASH, index, "decision " + d.getDecisionId()
                    + ": the layers of WPC " + wpc + " were not all given: " + e.getMessage());
        }
        compare(index, d, "wpc_layer_hashes", policy.layerHashesText(), d.getWpcLayerHashes());
        compare(index, d, "policy_hash", policy.effectiveHash().toString(), d.getPolicyHash());
        Set<String> attestations = Set.copyOf(d.getAttestations());
        PolicyDecision expected;
        if (d.getInput() instanceof EgressEvent event) {
            ParsedDestination destination = event.getUrl() != null
                    ? DestinationParser.parseUrl(event.getUrl())
                    : DestinationParser.parseHostPort(event.getHost(), event.getPort(), null);
            expected = policy.decideEgress(destination, Optional.ofNullable(event.getResolvedIp()),
                    Optional.ofNullable(event.getTool()), attestations);
            Verdict redirectSource = event.getRedirectFrom() == null ? null
                    : policy.enforcedVerdict(DestinationParser.parseUrl(event.getRedirectFrom()), attestations);
            compare(index, d, "redirect_source_verdict", redirectSource, d.getRedirectSourceVerdict());
        } else {
            GatewayReceipt receipt = (GatewayReceipt) d.getInput();
            expected = policy.decideModelCall(receipt.getProvider(), receipt.getModelId());
        }
        compare(index, d, "verdict", expected.verdict(), d.getVerdict());
        compare(index, d, "reason", expected.reason(), d.getReason());
        compare(index, d, "matched_rule", expected.matchedRule().orElse(null), d.getMatchedRule());
        compare(index, d, "wpc_hash", expected.wpcHash().map(Object::toString).orElse(null), d.getWpcHash());
        compare(index, d, "mode", expected.mode(), d.getMode());
        compare(index, d, "would_be_verdict", expected.wouldBeVerdict().orElse(null), d.getWouldBeVerdict());
        compare(index, d, "would_be_reason", expected.wouldBeReason().orElse(null), d.getWouldBeReason());
    }

    private void checkReceipt(long index, Decision d, GatewayReceipt receipt) throws VerificationException {
        if (gatewayKeys.isPresent()) {
            Optional<SignatureInvalidException> failure = signatureFailure(receipt, gatewayKeys.get());
            ReasonCode expected = failure.map(f -> f.failure() == SignatureInvalidException.Failure.UNKNOWN_KEY
                    ? ReasonCode.RECEIPT_KEY_UNKNOWN : ReasonCode.RECEIPT_SIGNATURE_INVALID).orElse(null);
            ReasonCode recorded = RECEIPT_SIGNATURE_DENIALS.contains(d.getReason()) ? d.getReason() : null;
            if (!Objects.equals(expected, recorded)) {
                throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId()
                        + " on receipt " + receipt.getReceiptId() + ": receipt signature outcome",
                        expected == null ? "signature verifies" : expected,
                        recorded == null ? "recorded as verified (" + d.getReason() + ")" : recorded);
            }
        }
        if (RECEIPT_SIGNATURE_DENIALS.contains(d.getReason())) {
            return;
        }
        // The enforcer refuses a receipt made under another token's scope before asking the WPC.
        boolean scopeDiffers = !receipt.getCstScopeHash().equals(d.getCstScopeHash());
        if (scopeDiffers != (d.getReason() == ReasonCode.RECEIPT_SCOPE_MISMATCH)
                && !UNCHECKABLE_DENIALS.contains(d.getReason())) {
            throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId()
                    + ": receipt scope " + receipt.getCstScopeHash() + " against the token's " + d.getCstScopeHash(),
                    scopeDiffers ? ReasonCode.RECEIPT_SCOPE_MISMATCH : "a policy reason", d.getReason());
        }
    }

    private static Optional<SignatureInvalidException> signatureFailure(GatewayReceipt receipt, TrustedKeys keys) {
        try {
            ReceiptSignature.verify(receipt, keys);
            return Optional.empty();
        } catch (SignatureInvalidException e) {
            return Optional.of(e);
        }
    }

    private static void requireEnforcedDenial(long index, Decision d) throws VerificationException {
        compare(index, d, "verdict of a " + d.getReason() + " denial", Verdict.DENY, d.getVerdict());
        compare(index, d, "mode of a " + d.getReason() + " denial", PolicyMode.ENFORCE, d.getMode());
        compare(index, d, "would_be_verdict of a " + d.getReason() + " denial", null, d.getWouldBeVerdict());
        compare(index, d, "would_be_reason of a " + d.getReason() + " denial", null, d.getWouldBeReason());
        compare(index, d, "matched_rule of a " + d.getReason() + " denial", null, d.getMatchedRule());
    }

    private static void compare(long index, Decision d, String field, Object expected, Object actual)
            throws VerificationException {
        if (!Objects.equals(expected, actual)) {
            throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId() + " "
                    + field + " (re-decided under its WPC)", expected, actual);
        }
    }
}
