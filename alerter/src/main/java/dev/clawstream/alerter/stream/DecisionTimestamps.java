package dev.clawstream.alerter.stream;

import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for decisions: when the sidecar saw the attempt, or the gateway made the call — not when
 * the enforcer decided, nor when a record reached Kafka. Windows then mean what the SOC thinks they mean
 * even when a sidecar ships its log in batches. A record with no usable time keeps the partition's time.
 */
public final class DecisionTimestamps implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Decision decision) {
            Object input = decision.getInput();
            if (input instanceof EgressEvent event && event.getTime() != null) {
                return event.getTime().toEpochMilli();
            }
            if (input instanceof GatewayReceipt receipt && receipt.getTime() != null) {
                return receipt.getTime().toEpochMilli();
            }
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
    }
}
