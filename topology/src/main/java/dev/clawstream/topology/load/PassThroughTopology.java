package dev.clawstream.topology.load;

import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The load harness's yardstick: the enforcer's inputs read with the same Avro serdes and written
 * straight back out, under the same exactly-once settings. What the enforcer achieves as a share of
 * this is the cost of deciding, separated from the cost of Kafka, Avro and transactions on the machine.
 */
public final class PassThroughTopology {

    private PassThroughTopology() {
    }

    public static void buildInto(StreamsBuilder builder, String events, String receipts, String eventsOut,
                                 String receiptsOut, SchemaRegistryClient registry) {
        Serde<String> keys = Serdes.String();
        Serde<EgressEvent> eventSerde = AvroSerdes.specific(EgressEvent.class, registry, true);
        Serde<GatewayReceipt> receiptSerde = AvroSerdes.specific(GatewayReceipt.class, registry, true);
        builder.stream(events, Consumed.with(keys, eventSerde).withName("yardstick-events"))
                .to(eventsOut, Produced.with(keys, eventSerde).withName("yardstick-events-out"));
        builder.stream(receipts, Consumed.with(keys, receiptSerde).withName("yardstick-receipts"))
                .to(receiptsOut, Produced.with(keys, receiptSerde).withName("yardstick-receipts-out"));
    }
}
