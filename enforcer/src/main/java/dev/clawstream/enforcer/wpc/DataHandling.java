package dev.clawstream.enforcer.wpc;

import java.util.List;

/** {@code data_handling}: {@code redact} names the fields proof-bundle redaction removes for Trust Pulse. */
public record DataHandling(List<String> redact) {

    public static final DataHandling NONE = new DataHandling(List.of());

    public DataHandling {
        redact = List.copyOf(redact);
    }
}
