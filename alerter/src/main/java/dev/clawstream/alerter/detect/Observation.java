package dev.clawstream.alerter.detect;

import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.Host;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision as the detectors see it: who, when (the event's own time, not the enforcer's), where
 * to, and what policy and the sidecar made of it. Built once per decision so that no detector
 * re-parses a URL.
 *
 * @param domain        the destination host split at its registrable domain; empty for IP literals,
 *                      unparseable destinations and receipts
 * @param destination   the destination as the sidecar reported it (canonical where it parses), for evidence
 * @param allowed       the traffic went through (the verdict in force is ALLOW, monitor mode included)
 * @param policyDenied  policy denies it (in monitor mode: would deny)
 * @param reason        why policy decides as it does (in monitor mode: the reason enforce would give)
 * @param sidecarAllowedPolicyDenied the sidecar let through what policy denies
 * @param receipt       whether the input was a gateway receipt rather than an egress event
 * @param redirectSource the host of the URL that redirected here, when the sidecar reported one and it is a name
 * @param redirectSourceAllowed the job's policy allows that URL (enforce semantics, as the enforcer recorded)
 */
public record Observation(String eventId, Instant time, String agentId, String jobId, boolean receipt,
                          Optional<DomainName> domain, String destination, boolean allowed, boolean policyDenied,
                          ReasonCode reason, long bytesOut, Optional<String> wpcHash,
                          boolean sidecarAllowedPolicyDenied, Optional<DomainName> redirectSource,
                          boolean redirectSourceAllowed) {

    /** Evidence strings are capped: a hostile URL must not bloat every alert that samples it. */
    static final int MAX_DESTINATION = 256;

    public Observation {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(wpcHash, "wpcHash");
        Objects.requireNonNull(redirectSource, "redirectSource");
    }

    public static Observation of(Decision decision) {
        Verdict policy = decision.getWouldBeVerdict() != null ? decision.getWouldBeVerdict() : decision.getVerdict();
        boolean allowed = decision.getVerdict() == Verdict.ALLOW;
        boolean denied = policy == Verdict.DENY;
        // A monitor-mode ALLOW is no policy allow: detectors judge what enforce would have done.
        ReasonCode reason = decision.getWouldBeReason() != null ? decision.getWouldBeReason() : decision.getReason();
        Optional<String> wpc = Optional.ofNullable(decision.getWpcHash());
        if (decision.getInput() instanceof GatewayReceipt receipt) {
            return new Observation(receipt.getReceiptId(), receipt.getTime(), decision.getAgentId(), decision.getJobId(),
                    true, Optional.empty(), cap("gateway:" + receipt.getProvider() + "/" + receipt.getModelId()),
                    allowed, denied, reason, 0, wpc, false, Optional.empty(), false);
        }
        EgressEvent event = (EgressEvent) decision.getInput();
        ParsedDestination parsed = event.getUrl() != null
                ? DestinationParser.parseUrl(event.getUrl())
                : DestinationParser.parseHostPort(event.getHost(), event.getPort(), null);
        Optional<DomainName> domain = Optional.empty();
        String destination = event.getUrl() != null ? event.getUrl() : String.valueOf(event.getHost());
        if (parsed instanceof ParsedDestination.EgressDestination d) {
            destination = d.toString();
            if (d.host() instanceof Host.DomainHost name) {
                domain = DomainName.of(name.ascii());
            }
        }
        boolean sidecarBypass = decision.getSidecarMismatch() && event.getSidecarVerdict() == Verdict.ALLOW && denied;
        Optional<DomainName> redirectSource = Optional.empty();
        if (event.getRedirectFrom() != null
                && DestinationParser.parseUrl(event.getRedirectFrom()) instanceof ParsedDestination.EgressDestination s
                && s.host() instanceof Host.DomainHost sourceName) {
            redirectSource = DomainName.of(sourceName.ascii());
        }
        return new Observation(event.getEventId(), event.getTime(), decision.getAgentId(), decision.getJobId(), false,
                domain, cap(destination), allowed, denied, reason, Math.max(0, event.getBytesOut()), wpc,
                sidecarBypass, redirectSource, decision.getRedirectSourceVerdict() == Verdict.ALLOW);
    }

    private static String cap(String s) {
        return s.length() <= MAX_DESTINATION ? s : s.substring(0, MAX_DESTINATION) + "…";
    }

    public long epochMillis() {
        return time.toEpochMilli();
    }
}
