package dev.clawstream.enforcer.cst;

import dev.clawstream.schemas.ReasonCode;

import java.util.Objects;

/** Why a job's token does not let an event through: the reason code and a sentence a person can act on. */
public record CstFailure(ReasonCode reason, String detail) {
    public CstFailure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
