package dev.clawstream.alerter.detect;

import java.util.List;

/**
 * Which keys (registrable domains, or agent and domain) have been contacted within a retention period,
 * in a window store whose old segments expire by themselves. A key still in use is re-remembered every
 * half retention, so it never comes back as "new".
 */
final class DomainMemory {

    private final WindowedState<Long> contacts;
    private final long retentionMs;

    DomainMemory(WindowedState<Long> contacts, long retentionMs) {
        this.contacts = contacts;
        this.retentionMs = retentionMs;
    }

    /** Remembers a contact with {@code key} at {@code t}; true when none was remembered within the retention. */
    boolean firstContact(String key, long t) {
        List<Long> seen = contacts.fetch(key, t - retentionMs, t + retentionMs);
        if (!seen.isEmpty()) {
            long latest = seen.get(seen.size() - 1);
            if (latest < t - retentionMs / 2) {
                contacts.put(key, t, t);
            }
            return false;
        }
        contacts.put(key, t, t);
        return true;
    }
}
