package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.WpcRecordCheck;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The verified versions of one WPC name on {@code wpc.registry}, read as the enforcer's catalog reads
 * them: a record counts only if its document parses, hashes to its key and is signed by a trusted key;
 * the latest is the one published last ({@code published_at}), which is what jobs that name the WPC
 * rather than pin a hash are decided under.
 */
final class PublishedWpcs {

    /** One verified version. */
    record Version(WpcRecord record, WpcParseResult.Valid valid) {
        String label() {
            return record.getVersion().isEmpty() ? "(no version label)" : "v" + record.getVersion();
        }
    }

    private final String name;
    private final List<Version> versions;

    private PublishedWpcs(String name, List<Version> versions) {
        this.name = name;
        this.versions = List.copyOf(versions);
    }

    static PublishedWpcs read(KafkaConnection connection, String name, TrustedKeys trusted, PrintWriter err) {
        String topic = ClawTopic.WPC_REGISTRY.topicName(connection.topicPrefix());
        AvroDeserializer<WpcRecord> deserializer = AvroDeserializer.specific(connection.registryClient(), WpcRecord.class);
        WpcRecordCheck check = new WpcRecordCheck(trusted);
        List<Version> versions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> raw : TopicSnapshot.read(connection, topic, "clawstream-egress", Optional.empty())) {
            if (raw.value() == null) {
                continue;
            }
            WpcRecord record;
            try {
                record = deserializer.deserialize(topic, raw.value());
            } catch (RuntimeException e) {
                err.println("skipped " + raw.key() + " (offset " + raw.offset() + "): not a WPC record: " + e.getMessage());
                continue;
            }
            if (!record.getName().equals(name)) {
                continue;
            }
            try {
                check.verify(raw.key(), record);
            } catch (WpcRecordCheck.UntrustedWpcException e) {
                // The enforcer skips it too: editing it would launder an untrusted policy under our signature.
                err.println("skipped " + raw.key() + " (offset " + raw.offset() + "): " + e.getMessage());
                continue;
            }
            versions.add(new Version(record, (WpcParseResult.Valid) WpcParser.parse(record.getDocument(), raw.key())));
        }
        return new PublishedWpcs(name, versions);
    }

    /** The version the enforcer uses for this name: the last published (ties: the later record). */
    Version latest() {
        return versions.stream().reduce((a, b) -> b.record().getPublishedAt().isBefore(a.record().getPublishedAt()) ? a : b)
                .orElseThrow(() -> new InvalidInputException("no trusted WPC named '" + name + "' on wpc.registry;"
                        + " publish one first (clawstream wpc init, then clawstream wpc publish)"));
    }

    Optional<Version> byHash(String hash) {
        return versions.stream().filter(v -> v.record().getWpcHash().equals(hash))
                .max(Comparator.comparing(v -> v.record().getPublishedAt()));
    }

    /** One more than the highest plain-number version label of this name (labels like 2026-11-01.3 are not counted). */
    String nextVersion() {
        long highest = versions.stream().map(v -> v.record().getVersion()).filter(l -> l.matches("[0-9]{1,18}"))
                .mapToLong(Long::parseLong).max().orElse(0);
        return Long.toString(highest + 1);
    }

    /**
     * Signs and publishes {@code wpc}, stamped after the current latest so that it is the latest even if
     * this host's clock is behind the last publisher's.
     */
    WpcRecord publish(KafkaConnection connection, WpcParseResult.Valid wpc, Signer signer) throws Exception {
        Instant at = Instant.now();
        if (!versions.isEmpty() && !at.isAfter(latest().record().getPublishedAt())) {
            at = latest().record().getPublishedAt().plusMillis(1);
        }
        WpcRecord record = WpcRecords.toRecord(wpc, WpcSignature.sign(signer, wpc.document()), at);
        String topic = ClawTopic.WPC_REGISTRY.topicName(connection.topicPrefix());
        AvroSerializer<WpcRecord> serializer = new AvroSerializer<>(connection.registryClient(), true, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                connection.producerProperties("clawstream-egress"), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, record.getWpcHash(), serializer.serialize(topic, record))).get();
        }
        return record;
    }
}
