package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.schemas.ReasonCode;

import java.util.List;

/**
 * A gateway receipt made under another CST scope than the job's token: a model call charged to this job
 * but authorised for some other one — a token borrowed across jobs to reach models this job may not.
 * The enforcer compares the hashes and denies with {@link ReasonCode#RECEIPT_SCOPE_MISMATCH}.
 */
public final class ReceiptScopeDetector implements Detector {

    private final Rule rule;

    public ReceiptScopeDetector(Rule rule) {
        this.rule = rule;
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (!o.receipt() || o.reason() != ReasonCode.RECEIPT_SCOPE_MISMATCH) {
            return List.of();
        }
        return List.of(Finding.single(rule, o, o.jobId() + "|receipt-scope", "gateway receipt " + o.eventId()
                + " was made under another scope than job " + o.jobId() + "'s token"));
    }
}
