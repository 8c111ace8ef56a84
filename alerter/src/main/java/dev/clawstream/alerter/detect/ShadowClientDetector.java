package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.detect.JobGateway.PendingContact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shadow client going around the gateway: an egress event to a model provider's API host with no
 * gateway receipt in the same job within the window either side of it. Model calls are meant to go
 * through the gateway, which signs a receipt for each; a direct call leaves none, and with it no
 * record of what was sent to the model.
 *
 * <p>Each receipt explains one call, and each call needs its own receipt, so a shadow client inside a
 * job that also uses the gateway is still one call too many (the alert's evidence is then one of the
 * job's unexplained calls, not necessarily the shadow one).
 *
 * <p>A receipt can be published after the egress event that caused it, so a contact without a receipt
 * is held until stream time passes its time plus the window plus the grace period, and only then
 * reported. Per job at most {@link #MAX_PENDING} contacts wait; past that, contacts are reported at
 * once (a flood of direct calls needs no waiting to be suspicious) and receipts kept to {@link #MAX_RECEIPTS}.
 */
public final class ShadowClientDetector implements Detector {

    static final int MAX_PENDING = 32;
    static final int MAX_RECEIPTS = 64;

    private final Rule rule;
    private final Condition.ShadowClient condition;
    private final ScannableState<JobGateway> jobs;
    private final long windowMs;
    private final long graceMs;
    private final List<String> exact;
    private final List<String> suffixes;

    public ShadowClientDetector(Rule rule, ScannableState<JobGateway> jobs, Duration grace) {
        this.rule = rule;
        this.condition = (Condition.ShadowClient) rule.condition();
        this.jobs = jobs;
        this.windowMs = condition.window().toMillis();
        this.graceMs = grace.toMillis();
        this.exact = condition.providerHosts().stream().filter(h -> !h.startsWith("*.")).toList();
        this.suffixes = condition.providerHosts().stream().filter(h -> h.startsWith("*.")).map(h -> h.substring(1)).toList();
    }

    boolean isProviderHost(String host) {
        return exact.contains(host) || suffixes.stream().anyMatch(host::endsWith);
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        long t = o.epochMillis();
        if (o.receipt()) {
            JobGateway job = jobs.get(o.jobId()).orElse(new JobGateway(List.of(), List.of()));
            List<PendingContact> pending = new ArrayList<>(job.pending());
            Optional<PendingContact> explained = pending.stream().filter(p -> Math.abs(p.time() - t) <= windowMs)
                    .min(Comparator.comparingLong(p -> Math.abs(p.time() - t)));
            List<Long> receipts = new ArrayList<>(job.receipts());
            if (explained.isPresent()) {
                pending.remove(explained.get());
            } else {
                receipts.add(t);
            }
            receipts.removeIf(r -> r + 2 * windowMs + graceMs < streamTime);
            while (receipts.size() > MAX_RECEIPTS) {
                receipts.remove(0);
            }
            put(o.jobId(), new JobGateway(receipts, pending));
            return List.of();
        }
        if (o.domain().isEmpty() || !isProviderHost(o.domain().get().host())) {
            return List.of();
        }
        JobGateway job = jobs.get(o.jobId()).orElse(new JobGateway(List.of(), List.of()));
        // Each receipt explains one call: a direct call cannot hide behind the receipts of the job's real ones.
        Optional<Long> receipt = job.receipts().stream().filter(r -> Math.abs(r - t) <= windowMs)
                .min(Comparator.comparingLong(r -> Math.abs(r - t)));
        if (receipt.isPresent()) {
            List<Long> receipts = new ArrayList<>(job.receipts());
            receipts.remove(receipt.get());
            put(o.jobId(), new JobGateway(receipts, job.pending()));
            return List.of();
        }
        PendingContact contact = new PendingContact(o.eventId(), t, o.agentId(), o.destination(), o.allowed(),
                o.wpcHash().orElse(null));
        if (job.pending().size() >= MAX_PENDING) {
            return List.of(finding(o.jobId(), contact));
        }
        List<PendingContact> pending = new ArrayList<>(job.pending());
        pending.add(contact);
        jobs.put(o.jobId(), new JobGateway(job.receipts(), pending));
        return List.of();
    }

    private void put(String jobId, JobGateway job) {
        if (job.receipts().isEmpty() && job.pending().isEmpty()) {
            jobs.delete(jobId);
        } else {
            jobs.put(jobId, job);
        }
    }

    /** Reports the contacts whose window (plus grace) has passed without a receipt, and forgets old receipts. */
    @Override
    public List<Finding> advance(long streamTime) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Optional<JobGateway>> updates = new LinkedHashMap<>();
        jobs.forEach((jobId, job) -> {
            List<PendingContact> waiting = new ArrayList<>();
            for (PendingContact p : job.pending()) {
                if (p.time() + windowMs + graceMs <= streamTime) {
                    findings.add(finding(jobId, p));
                } else {
                    waiting.add(p);
                }
            }
            List<Long> receipts = job.receipts().stream().filter(r -> r + 2 * windowMs + graceMs >= streamTime).toList();
            if (waiting.size() != job.pending().size() || receipts.size() != job.receipts().size()) {
                updates.put(jobId, waiting.isEmpty() && receipts.isEmpty() ? Optional.empty()
                        : Optional.of(new JobGateway(receipts, waiting)));
            }
        });
        updates.forEach((jobId, job) -> {
            if (job.isPresent()) {
                jobs.put(jobId, job.get());
            } else {
                jobs.delete(jobId);
            }
        });
        return findings;
    }

    private Finding finding(String jobId, PendingContact p) {
        Instant at = Instant.ofEpochMilli(p.time());
        return new Finding(rule, rule.severity(p.allowed()), p.agentId(), Optional.of(jobId), jobId + "|shadow-client",
                at, at.minusMillis(windowMs), at.plusMillis(windowMs), 1,
                List.of(new Sample(p.eventId(), at, p.destination())), Optional.ofNullable(p.wpcHash()),
                "direct contact with model provider " + p.destination() + " and no gateway receipt in job " + jobId
                        + " within " + condition.window().toSeconds() + " s");
    }
}
