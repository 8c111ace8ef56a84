package dev.clawstream.alerter.rules;

import dev.clawstream.schemas.AlertKind;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule fires on, parsed from its {@code condition} text (the seeds' sample configuration writes
 * {@code blocked_requests > 100 in 5 minutes}) and its detector-specific fields. One record per
 * detector, each knowing its {@link AlertKind}.
 */
public sealed interface Condition {

    AlertKind kind();

    /** The window the condition counts over, when it counts. */
    default Optional<Duration> countingWindow() {
        return Optional.empty();
    }

    /** {@code blocked_requests > N in D} (per agent) or {@code fleet_blocked_requests > N in D}. */
    record BlockedSpike(Scope scope, long threshold, Duration window) implements Condition {
        public BlockedSpike {
            Objects.requireNonNull(scope, "scope");
            positive(window, "window");
        }

        @Override
        public AlertKind kind() {
            return AlertKind.BLOCKED_SPIKE;
        }

        @Override
        public Optional<Duration> countingWindow() {
            return Optional.of(window);
        }
    }

    /** {@code domain matches *.xyz, *.tk}: the TLDs (public suffixes' last label), lower-case, no dot. */
    record SuspiciousTld(List<String> tlds) implements Condition {
        public SuspiciousTld {
            tlds = List.copyOf(tlds);
        }

        @Override
        public AlertKind kind() {
            return AlertKind.SUSPICIOUS_TLD;
        }
    }

    /** {@code domain resembles well_known, example.com}: the registrable domains to protect. */
    record Lookalike(List<String> protectedDomains) implements Condition {
        public Lookalike {
            protectedDomains = List.copyOf(protectedDomains);
        }

        @Override
        public AlertKind kind() {
            return AlertKind.TYPOSQUAT;
        }
    }

    /**
     * {@code tunnel_shaped_name}: a subdomain label at least {@code maxLabelLength} long, or an
     * encoded-looking (base32, base64url, hex) or high-entropy label of at least {@code minEncodedLength},
     * under a parent not in {@code trustedParents} (registry domains whose DNS no attacker runs).
     */
    record TunnelName(int maxLabelLength, int minEncodedLength, double minEntropy, List<String> trustedParents)
            implements Condition {
        public TunnelName {
            trustedParents = List.copyOf(trustedParents);
        }

        @Override
        public AlertKind kind() {
            return AlertKind.DNS_TUNNEL;
        }
    }

    /** {@code distinct_subdomains > N in D}: of one registrable domain, by one agent, not under {@code trustedParents}. */
    record SubdomainBurst(long threshold, Duration window, List<String> trustedParents) implements Condition {
        public SubdomainBurst {
            positive(window, "window");
            trustedParents = List.copyOf(trustedParents);
        }

        @Override
        public AlertKind kind() {
            return AlertKind.DNS_TUNNEL;
        }

        @Override
        public Optional<Duration> countingWindow() {
            return Optional.of(window);
        }
    }

    /**
     * {@code bytes_out > K sigma in D}: an agent's bytes out in a window against its own EWMA baseline
     * of active windows, once it has {@code minHistory} of them; never below {@code minBytes}.
     */
    record UnusualVolume(double sigmas, Duration window, int minHistory, double alpha, long minBytes)
            implements Condition {
        public UnusualVolume {
            positive(window, "window");
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1]");
            }
        }

        @Override
        public AlertKind kind() {
            return AlertKind.UNUSUAL_VOLUME;
        }

        @Override
        public Optional<Duration> countingWindow() {
            return Optional.of(window);
        }
    }

    /** {@code first_contact} (per agent) or {@code fleet_first_contact}, remembered for {@code retention}. */
    record FirstContact(Scope scope, Duration retention) implements Condition {
        public FirstContact {
            Objects.requireNonNull(scope, "scope");
            positive(retention, "retention");
        }

        @Override
        public AlertKind kind() {
            return AlertKind.NEW_DESTINATION;
        }
    }

    /**
     * {@code redirect_to_new_domain}: the destination was reached through a redirect from a URL the job's
     * policy allows, and its registrable domain has not been seen by the fleet within {@code retention}.
     */
    record RedirectToNewDomain(Duration retention) implements Condition {
        public RedirectToNewDomain {
            positive(retention, "retention");
        }

        @Override
        public AlertKind kind() {
            return AlertKind.REDIRECT_TO_NEW_DOMAIN;
        }
    }

    /** {@code unexpected_agent}: no token binds the agent to the job, or the job's token is another agent's. */
    record UnexpectedAgent() implements Condition {
        @Override
        public AlertKind kind() {
            return AlertKind.UNEXPECTED_AGENT;
        }
    }

    /** {@code sidecar_allowed_policy_denied}. */
    record SidecarBypass() implements Condition {
        @Override
        public AlertKind kind() {
            return AlertKind.POLICY_BYPASS;
        }
    }

    /** {@code receipt_scope_mismatch}: a gateway receipt made under another scope than the job's token. */
    record ReceiptScopeMismatch() implements Condition {
        @Override
        public AlertKind kind() {
            return AlertKind.POLICY_BYPASS;
        }
    }

    /**
     * {@code provider_call_without_receipt in D}: an egress event to a model provider's API host with no
     * gateway receipt in the same job within D either side of it.
     */
    record ShadowClient(Duration window, List<String> providerHosts) implements Condition {
        public ShadowClient {
            positive(window, "window");
            providerHosts = List.copyOf(providerHosts);
        }

        @Override
        public AlertKind kind() {
            return AlertKind.POLICY_BYPASS;
        }

        @Override
        public Optional<Duration> countingWindow() {
            return Optional.of(window);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
