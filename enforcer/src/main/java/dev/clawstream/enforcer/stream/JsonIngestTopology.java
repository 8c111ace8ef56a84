package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * JSON ingest for sidecars that log JSON (Envoy access logs, Squid, egress proxies): each record of
 * {@code egress.events.json} is read strictly as an EgressEvent in natural JSON (README: "JSON
 * ingest") and forwarded to {@code egress.events} keyed by its job id. A record that is not a valid
 * event raises {@link RejectedRecordException}, which the processing exception handler dead-letters
 * with the reason; the stream goes on.
 */
public final class JsonIngestTopology {

    private JsonIngestTopology() {
    }

    public static void buildInto(StreamsBuilder builder, String jsonTopic, String eventsTopic, SchemaRegistryClient registry) {
        builder.stream(jsonTopic, Consumed.with(Serdes.String(), Serdes.String()).withName("egress-events-json"))
                .process(ToEgressEvent::new, Named.as("validate-json-event"))
                .to(eventsTopic, Produced.with(Serdes.String(), AvroSerdes.specific(EgressEvent.class, registry, true))
                        .withName("ingested-egress-events"));
    }

    /** Thrown for a record that is not a valid event; carries every problem found. */
    public static final class RejectedRecordException extends RuntimeException {
        RejectedRecordException(String message) {
            super(message);
        }
    }

    private static final class ToEgressEvent implements Processor<String, String, String, EgressEvent> {
        private ProcessorContext<String, EgressEvent> context;

        @Override
        public void init(ProcessorContext<String, EgressEvent> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value() == null) {
                throw new RejectedRecordException("empty value: not an egress event");
            }
            EgressEvent event;
            try {
                event = AvroJson.fromJson(record.value(), EgressEvent.class);
            } catch (AvroJsonException e) {
                throw new RejectedRecordException("not a valid egress event:\n" + e.getMessage());
            }
            // Keyed by job id, whatever the sidecar used: a job's events must share one partition, in order.
            context.forward(record.withKey(event.getJobId()).withValue(event));
        }
    }
}
