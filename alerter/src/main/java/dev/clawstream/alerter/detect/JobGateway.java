package dev.clawstream.alerter.detect;

import java.util.List;

/**
 * What the shadow-client detector remembers of one job: when its gateway receipts were made, and the
 * direct contacts with provider hosts still waiting for a receipt to explain them.
 */
public record JobGateway(List<Long> receipts, List<PendingContact> pending) {

    public JobGateway {
        receipts = List.copyOf(receipts);
        pending = List.copyOf(pending);
    }

    /** A direct contact with a provider host, not (yet) matched by a receipt. */
    public record PendingContact(String eventId, long time, String agentId, String destination, boolean allowed,
                                 String wpcHash) {
    }
}
