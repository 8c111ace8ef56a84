package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead-letters every {@code wpc.registry} record that is not a verified WPC, once, with the reason —
 * so a forged or broken policy is something the operators see, not just a log line on each instance.
 *
 * <p>Why a separate application: the enforcer reads {@code wpc.registry} into a global store (every
 * instance needs every policy), and Kafka Streams lets a topic feed only one source per topology;
 * global-store processors cannot produce records either. This application reads the same topic as an
 * ordinary, partitioned stream, so across instances each record is checked exactly once, and the
 * rejection goes through the processing exception handler like any other dead letter.
 */
public final class WpcAuditTopology {

    private WpcAuditTopology() {
    }

    public static void buildInto(StreamsBuilder builder, EnforcerTopics topics, SchemaRegistryClient registry,
                                 TrustedKeys publishers) {
        builder.stream(topics.wpcRegistry(), Consumed.with(Serdes.String(), AvroSerdes.specific(WpcRecord.class, registry, true))
                        .withName("wpc-registry-audit"))
                .process(() -> new WpcAudit(new WpcRecordCheck(publishers)), Named.as("audit-wpc-signatures"));
    }

    private static final class WpcAudit implements Processor<String, WpcRecord, Void, Void> {
        private final WpcRecordCheck check;

        WpcAudit(WpcRecordCheck check) {
            this.check = check;
        }

        @Override
        public void process(Record<String, WpcRecord> record) {
            if (record.value() == null) {
                return; // a tombstone retires a policy; nothing to verify
            }
            try {
                check.verify(record.key(), record.value());
            } catch (WpcRecordCheck.UntrustedWpcException e) {
                throw new RecordRejectedException("WPC " + record.key() + " is not used: " + e.getMessage(), e);
            }
        }
    }
}
