package dev.clawstream.alerter.detect;

import java.time.Instant;
import java.util.Objects;

/** One event behind an alert, for the SOC to pull up: its id, when, and where it went. */
public record Sample(String eventId, Instant time, String destination) {
    public Sample {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
    }

    public static Sample of(Observation o) {
        return new Sample(o.eventId(), o.time(), o.destination());
    }
}
