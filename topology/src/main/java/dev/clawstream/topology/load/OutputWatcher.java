package dev.clawstream.topology.load;

import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.serde.AvroDeserializer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a stage's output from the beginning, as a downstream consumer would ({@code read_committed}:
 * under exactly-once a record counts only once its transaction commits), and keeps what the harness
 * reports: how many records, when each tenth of a target count was reached, and — for decisions —
 * the end-to-end latency from the input's event time to the moment the decision became visible.
 */
final class OutputWatcher implements AutoCloseable {

    private static final long MAX_LATENCY_MS = Duration.ofMinutes(10).toMillis();

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroDeserializer<Decision> decisions;
    private final String latencyIdPrefix;
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private final Histogram latency = new Histogram(MAX_LATENCY_MS, 3);
    private final AtomicLong measured = new AtomicLong();
    private final AtomicLong allowed = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private volatile boolean running = true;
    private volatile long target = Long.MAX_VALUE;
    private volatile long tenthReachedNanos;
    private volatile long targetReachedNanos;

    /**
     * @param decisions       when non-null, values are decisions and those whose input id starts with
     *                        {@code latencyIdPrefix} are measured; when null, records are only counted
     */
    OutputWatcher(Properties consumerProperties, List<String> topics, int partitions,
                  AvroDeserializer<Decision> decisions, String latencyIdPrefix) {
        this.consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
        this.decisions = decisions;
        this.latencyIdPrefix = latencyIdPrefix;
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : topics) {
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        this.thread = new Thread(this::run, "load-watcher-" + topics.get(0));
        this.thread.setDaemon(true);
    }

    OutputWatcher start() {
        thread.start();
        return this;
    }

    /** Records a tenth of {@code n} and all of it being reached, for {@link #throughputPerSecond()}. */
    void expect(long n) {
        this.target = n;
    }

    long count() {
        return count.get();
    }

    boolean reachedTarget() {
        return targetReachedNanos != 0;
    }

    /** Records per second between a tenth and all of the target: start-up and the first commits excluded. */
    double throughputPerSecond() {
        long n = target - target / 10;
        return n / ((targetReachedNanos - tenthReachedNanos) / 1e9);
    }

    long measured() {
        return measured.get();
    }

    long allowed() {
        return allowed.get();
    }

    long mismatches() {
        return mismatches.get();
    }

    synchronized Histogram latency() {
        return latency.copy();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                long visibleAtMillis = System.currentTimeMillis();
                for (ConsumerRecord<String, byte[]> record : records) {
                    long n = count.incrementAndGet();
                    if (n == target / 10) {
                        tenthReachedNanos = System.nanoTime();
                    }
                    if (n == target) {
                        targetReachedNanos = System.nanoTime();
                    }
                    if (decisions != null) {
                        observe(decisions.deserialize(record.topic(), record.value()), visibleAtMillis);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private void observe(Decision decision, long visibleAtMillis) {
        Object input = decision.getInput();
        String id;
        long eventTime;
        if (input instanceof EgressEvent event) {
            id = event.getEventId();
            eventTime = event.getTime().toEpochMilli();
        } else {
            GatewayReceipt receipt = (GatewayReceipt) input;
            id = receipt.getReceiptId().substring(2); // r-<id>: the receipt of event <id>
            eventTime = receipt.getTime().toEpochMilli();
        }
        if (!id.startsWith(latencyIdPrefix)) {
            return;
        }
        measured.incrementAndGet();
        if (decision.getVerdict() == Verdict.ALLOW) {
            allowed.incrementAndGet();
        }
        if (decision.getSidecarMismatch()) {
            mismatches.incrementAndGet();
        }
        synchronized (this) {
            latency.recordValue(Math.min(MAX_LATENCY_MS, Math.max(0, visibleAtMillis - eventTime)));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
        consumer.close();
    }
}
