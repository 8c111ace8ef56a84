package dev.clawstream.topology.registry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The registry's durable state: the compacted {@code _schemas} topic, read from the beginning by a
 * background thread into a {@link RegistryState}, and appended to by writers that then wait until their
 * own record has been applied, so that they can see whether they won.
 *
 * <p>There is no consumer group and no committed offset: every instance reads the whole log on start,
 * which is what makes every instance hold the same state.
 */
final class SchemaLog implements AutoCloseable {

    /** Confluent's default topic name, unprefixed, so a Confluent registry could take over the same log. */
    static final String TOPIC = "_schemas";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    /** Confluent's own choice: up to three replicas, fewer on a smaller cluster. */
    private static final int MAX_REPLICATION_FACTOR = 3;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(SchemaLog.class);

    private final RegistryState state;
    private final SchemasTopicFormat format = new SchemasTopicFormat();
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;

    private final Object progress = new Object();
    /** The offset of the next record the reader will apply; guarded by {@link #progress}. */
    private long nextOffset;
    /** Why the reader stopped, if it stopped on its own; guarded by {@link #progress}. */
    private Throwable readerFailure;
    private volatile boolean closing;

    private SchemaLog(String bootstrapServers, RegistryState state) {
        this.state = state;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.producer = new KafkaProducer<>(producerConfig(bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::readUntilClosed, "schema-registry-log-reader");
        this.reader.setDaemon(true);
    }

    /**
     * Creates the topic if it is missing, starts reading it from the beginning, and returns once every
     * record that was in the log when it started has been applied to {@code state}.
     */
    static SchemaLog open(String bootstrapServers, RegistryState state, Duration startupTimeout) {
        SchemaLog schemaLog = new SchemaLog(bootstrapServers, state);
        try {
            schemaLog.createTopicIfMissing();
            schemaLog.reader.start();
            schemaLog.catchUp(startupTimeout);
            return schemaLog;
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
    }

    /**
     * Appends the record and returns once the reader has applied it, so that the caller's next query
     * of the state sees the outcome of its own write.
     */
    void append(RegistryRecord record, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Future<org.apache.kafka.clients.producer.RecordMetadata> sent = producer.send(
                new ProducerRecord<>(TOPIC, PARTITION.partition(), format.key(record), format.value(record)));
        long offset;
        try {
            offset = sent.get(remainingMillis(deadline), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException e) {
            throw new SchemaLogException("writing to " + TOPIC + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaLogException("writing to " + TOPIC + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaLogException("interrupted while writing to " + TOPIC, e);
        }
        awaitApplied(offset + 1, deadline);
    }

    /**
     * Returns once every record written before this call is applied: the read-your-writes guarantee a
     * register call needs even when another instance wrote the record.
     */
    void catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long endOffset;
        try {
            endOffset = admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest()))
                    .partitionResult(PARTITION)
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw new SchemaLogException("reading the end of " + TOPIC + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaLogException("reading the end of " + TOPIC + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaLogException("interrupted while reading the end of " + TOPIC, e);
        }
        awaitApplied(endOffset, deadline);
    }

    private void awaitApplied(long offsetExclusive, long deadline) {
        synchronized (progress) {
            while (nextOffset < offsetExclusive) {
                if (readerFailure != null) {
                    throw new SchemaLogException("the " + TOPIC + " reader stopped: " + readerFailure.getMessage(),
                            readerFailure);
                }
                if (closing) {
                    throw new SchemaLogException("the schema registry is closing");
                }
                long waitMillis = remainingMillis(deadline);
                if (waitMillis <= 0) {
                    throw new SchemaLogException("timed out applying " + TOPIC + " up to offset " + offsetExclusive
                            + " (applied up to " + nextOffset + ")");
                }
                try {
                    progress.wait(waitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SchemaLogException("interrupted while waiting for " + TOPIC, e);
                }
            }
        }
    }

    private void readUntilClosed() {
        try {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            while (!closing) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    applyOne(record);
                }
                long position = consumer.position(PARTITION);
                synchronized (progress) {
                    nextOffset = position;
                    progress.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                stopReading(e);
            }
        } catch (RuntimeException e) {
            stopReading(e);
        } finally {
            consumer.close(CLOSE_TIMEOUT);
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void applyOne(ConsumerRecord<byte[], byte[]> record) {
        Optional<RegistryRecord> decoded;
        try {
            decoded = format.decode(record.key(), record.value());
        } catch (IllegalArgumentException e) {
            // One unreadable record must not stop the registry; every reader skips it alike.
            log.warn("skipping unreadable {} record at partition {} offset {}: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (decoded.isPresent() && !state.apply(decoded.get())) {
            log.debug("{} record at offset {} lost to an earlier claim and was ignored", TOPIC, record.offset());
        }
    }

    private void stopReading(Throwable cause) {
        log.error("the {} reader stopped; registrations will fail until restart", TOPIC, cause);
        synchronized (progress) {
            readerFailure = cause;
            progress.notifyAll();
        }
    }

    private void createTopicIfMissing() {
        try {
            int brokers = admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicationFactor = (short) Math.max(1, Math.min(MAX_REPLICATION_FACTOR, brokers));
            NewTopic topic = new NewTopic(TOPIC, 1, replicationFactor)
                    // Compaction keeps the last record per key forever: the log is the registry's database.
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("created topic {} (1 partition, replication factor {}, compacted)", TOPIC, replicationFactor);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new SchemaLogException("creating " + TOPIC + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new SchemaLogException("creating " + TOPIC + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaLogException("interrupted while creating " + TOPIC, e);
        }
    }

    /** Stops the reader and the clients; safe to call more than once. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        if (reader.isAlive()) {
            try {
                reader.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (reader.getState() == Thread.State.NEW) {
            consumer.close(CLOSE_TIMEOUT);
        }
        producer.close(CLOSE_TIMEOUT);
        admin.close(CLOSE_TIMEOUT);
    }

    private static Map<String, Object> producerConfig(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "clawstream-schema-registry-writer",
                // A registration is acknowledged to the client only once every in-sync replica has it,
                // and a retried send never duplicates or reorders a claim.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Claims are rare and a caller is waiting on each: send at once.
                ProducerConfig.LINGER_MS_CONFIG, 0);
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "clawstream-schema-registry-reader",
                // No group: offsets are never committed, every start replays the whole log.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}
