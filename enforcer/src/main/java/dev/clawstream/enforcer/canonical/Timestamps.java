package dev.clawstream.enforcer.canonical;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How times are spelled inside signed bytes: RFC 3339, UTC, always three fraction digits. */
public final class Timestamps {

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** {@code 2026-11-22T10:00:00.000Z}: one spelling per instant, so signers and verifiers agree. */
    public static String rfc3339Millis(Instant instant) {
        return RFC3339_MILLIS.format(instant);
    }
}
