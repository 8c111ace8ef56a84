package dev.clawstream.schemas.serde;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.Evidence;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.WpcRecord;
import org.apache.avro.util.ClassSecurityValidator;

import java.util.List;

/**
 * Avro 1.12 refuses to instantiate a class named by a schema unless it is trusted (a writer schema
 * from the registry is untrusted input; loading arbitrary classes by name is a gadget-chain risk).
 * We trust exactly our generated classes, added to whatever the process already trusts, and nothing
 * else: a writer schema that names some other class still fails.
 */
public final class TrustedAvroClasses {

    private static final List<Class<?>> GENERATED = List.of(
            EgressEvent.class, GatewayReceipt.class, WpcRecord.class, CstRecord.class, JobEvent.class,
            Decision.class, Alert.class, Evidence.class, ProofBundle.class, DeadLetter.class,
            Verdict.class, ReasonCode.class, PolicyMode.class, JobEventType.class, AlertKind.class,
            Severity.class, SealReason.class);

    private static boolean installed;

    private TrustedAvroClasses() {
    }

    /** Adds our generated classes to Avro's global trust list; idempotent. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityValidator.Builder ours = ClassSecurityValidator.builder();
        GENERATED.forEach(ours::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), ours.build()));
        installed = true;
    }
}
