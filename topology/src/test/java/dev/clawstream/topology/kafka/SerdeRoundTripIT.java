package dev.clawstream.topology.kafka;

import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryException;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.schemas.serde.AvroSerdes;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.schemas.serde.SubjectNames;
import dev.clawstream.schemas.SampleRecords;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every schema through our serde, the real embedded broker and the embedded registry, both started
 * in this JVM: what a producer writes is what a consumer reads, in the Confluent wire format.
 */
class SerdeRoundTripIT {

    private static final String PREFIX = "it.";

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;
    static EmbeddedSchemaRegistry registryServer;
    static KafkaConnection connection;
    static SchemaRegistryClient registry;

    @BeforeAll
    static void startStack() throws Exception {
        broker = EmbeddedKafkaBroker.start(dataDir, 0, 0);
        registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0);
        connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
        registry = connection.registryClient();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            new TopicProvisioner(admin, PREFIX).createAll(Optional.of(2), Optional.of((short) 1));
        }
    }

    @AfterAll
    static void stopStack() {
        if (registryServer != null) {
            registryServer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = ClawTopic.class, names = "EGRESS_EVENTS_JSON", mode = EnumSource.Mode.EXCLUDE)
    void everyValueTypeRoundTripsThroughTheBrokerAsItsGeneratedClass(ClawTopic topic) {
        SpecificRecord sent = SampleRecords.of(topic);
        @SuppressWarnings("unchecked")
        Class<SpecificRecord> type = (Class<SpecificRecord>) topic.valueType().orElseThrow();
        Serde<SpecificRecord> serde = AvroSerdes.specific(type, registry, true);
        String name = topic.topicName(PREFIX);

        byte[] framed = serde.serializer().serialize(name, sent);
        produce(name, SampleRecords.JOB, framed);
        List<byte[]> read = readAll(name, 1);

        assertThat(read.get(0)[0]).as("magic byte").isZero();
        assertThat(serde.deserializer().deserialize(name, read.get(0))).isEqualTo(sent);
        GenericRecord generic = (GenericRecord) AvroDeserializer.generic(registry).deserialize(name, read.get(0));
        assertThat(generic.getSchema().getFullName()).isEqualTo(sent.getSchema().getFullName());
        assertThat(generic.get(0).toString()).isEqualTo(sent.get(0).toString());
    }

    @Test
    void provisioningRegistersOneValueSubjectPerAvroTopic() {
        var ids = SchemaProvisioner.registerAll(registry, PREFIX);

        List<String> expected = Arrays.stream(ClawTopic.values()).filter(t -> t.valueSchema().isPresent())
                .map(t -> SubjectNames.valueSubject(t.topicName(PREFIX))).toList();
        assertThat(ids.keySet()).containsExactlyElementsOf(expected);
        assertThat(registry.subjects()).containsAll(expected);
        // proof.bundles and trust.pulse share the ProofBundle schema, and so its id.
        assertThat(ids.get(SubjectNames.valueSubject(ClawTopic.PROOF_BUNDLES.topicName(PREFIX))))
                .isEqualTo(ids.get(SubjectNames.valueSubject(ClawTopic.TRUST_PULSE.topicName(PREFIX))));
    }

    @Test
    void anOldReaderReadsANewerWriterAndMapsAnUnknownEnumSymbolToItsDefault() {
        String name = ClawTopic.JOBS_LIFECYCLE.topicName(PREFIX);
        Schema newer = new Schema.Parser().parse(JobEvent.getClassSchema().toString()
                .replace("\"STARTED\",\"CLOSED\"]", "\"STARTED\",\"CLOSED\",\"PAUSED\"]")
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\",\"default\":\"acme\"},"));
        GenericRecord written = new GenericData.Record(newer);
        written.put("tenant", "acme");
        written.put("job_id", "job-evolved");
        written.put("type", new GenericData.EnumSymbol(newer.getField("type").schema(), "PAUSED"));
        written.put("time", SampleRecords.T0.toEpochMilli());

        byte[] framed = new AvroSerializer<GenericRecord>(registry, true, false).serialize(name, written);
        JobEvent read = AvroDeserializer.specific(registry, JobEvent.class).deserialize(name, framed);

        assertThat(read.getJobId()).isEqualTo("job-evolved");
        assertThat(read.getType()).isEqualTo(JobEventType.UNKNOWN);
        assertThat(read.getTime()).isEqualTo(SampleRecords.T0);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409And40901() {
        String subject = SubjectNames.valueSubject("it.incompatible");
        registry.register(subject, JobEvent.getClassSchema());
        Schema breaking = new Schema.Parser().parse(JobEvent.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"tenant_required\",\"type\":\"string\"},"));

        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                });
        assertThat(registry.isCompatibleWithLatest(subject, breaking)).isFalse();
    }

    @Test
    void anUnknownSchemaIdIs404With40403AndTheDeserializerSaysWhichId() {
        assertThatThrownBy(() -> registry.schemaById(987654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                });
        byte[] framed = {0, 0, 0x0f, 0x12, 0x06, 2, 'x'};
        assertThatThrownBy(() -> AvroDeserializer.generic(registry).deserialize("t", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 987654");
    }

    @Test
    void bytesAfterTheEndOfARecordAreRefused() {
        String name = ClawTopic.JOBS_LIFECYCLE.topicName(PREFIX);
        JobEvent event = (JobEvent) SampleRecords.of(ClawTopic.JOBS_LIFECYCLE);
        byte[] framed = AvroSerdes.specific(JobEvent.class, registry, true).serializer().serialize(name, event);
        byte[] padded = Arrays.copyOf(framed, framed.length + 3);

        assertThatThrownBy(() -> AvroDeserializer.specific(registry, JobEvent.class).deserialize(name, padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes after the end of the record");
    }

    @Test
    void aNullValueStaysNullSoTombstonesCompact() {
        var serde = AvroSerdes.specific(JobEvent.class, registry, true);
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    private static void produce(String topic, String key, byte[] value) {
        try (var producer = new KafkaProducer<>(connection.producerProperties("it"), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }

    private static List<byte[]> readAll(String topic, int expected) {
        List<byte[]> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(connection.consumerProperties("it"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        assertThat(values).as("records read back from " + topic).hasSize(expected);
        return values;
    }
}
