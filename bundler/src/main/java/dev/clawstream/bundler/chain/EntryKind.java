package dev.clawstream.bundler.chain;

import java.util.Optional;

/** What an entry records; {@code kind} in its JSON. */
public enum EntryKind {
    /** The first entry of a job: who, under which policy and token, since when. */
    HEADER("header"),
    /** One enforcer decision, its input (egress event or gateway receipt) included. */
    DECISION("decision"),
    /** One gateway receipt as the gateway signed it. */
    RECEIPT("receipt"),
    /** The last entry of a job: closed, or idle past the timeout. Ends the final segment. */
    CLOSE("close"),
    /** The last entry of a segment that was cut because it reached its size; the job goes on. */
    SEGMENT_END("segment_end");

    private final String json;

    EntryKind(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }

    /** True for the kinds that end a segment (and so stand last in a document). */
    public boolean terminal() {
        return this == CLOSE || this == SEGMENT_END;
    }

    public static Optional<EntryKind> fromJson(String kind) {
        for (EntryKind k : values()) {
            if (k.json.equals(kind)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
