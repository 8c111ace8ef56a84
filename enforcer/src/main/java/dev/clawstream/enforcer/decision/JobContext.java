package dev.clawstream.enforcer.decision;

import dev.clawstream.enforcer.cst.Cst;

import java.util.Objects;
import java.util.Optional;

/**
 * What the enforcer knows about a job when one of its events arrives: its token (if any binding is
 * readable) and whether the job has closed.
 */
public record JobContext(Optional<Cst> token, boolean closed) {
    public JobContext {
        Objects.requireNonNull(token, "token");
    }

    public static JobContext unknownJob() {
        return new JobContext(Optional.empty(), false);
    }
}
