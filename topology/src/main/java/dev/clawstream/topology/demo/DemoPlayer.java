package dev.clawstream.topology.demo;

import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.view.JobSummary;
import dev.clawstream.topology.view.ViewerQueries;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Plays a {@link DemoStory} into a running pipeline, act by act with a progress line, and waits until
 * the viewer shows every job's bundle sealed. Shared by {@code clawstream demo} and the browser test.
 */
public final class DemoPlayer {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private DemoPlayer() {
    }

    /** @return the story's jobs as the viewer lists them once sealed */
    public static List<JobSummary> play(KafkaConnection connection, ViewerQueries viewer, DemoStory story,
                                        PrintWriter out) {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(connection.registryClient(), false, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                connection.producerProperties("clawstream-demo"), new StringSerializer(), new ByteArraySerializer())) {
            List<DemoStory.Act> acts = story.acts();
            for (int i = 0; i < acts.size(); i++) {
                DemoStory.Act act = acts.get(i);
                List<DemoStory.Publish> records = act.records().get();
                for (DemoStory.Publish p : records) {
                    String topic = p.topic().topicName(connection.topicPrefix());
                    // Stamped with the event's own time, as a sidecar stamps what it saw.
                    producer.send(new ProducerRecord<>(topic, null, p.timestamp(), p.key(),
                            serializer.serialize(topic, p.value())));
                }
                producer.flush();
                out.printf("demo: [%2d/%d] %s (%d records)%n", i + 1, acts.size(), act.title(), records.size());
                out.flush();
                if (i == 0) {
                    // The enforcer must know the WPC before the first token names it; the viewer having
                    // indexed it is the sign that it is on the topic and readable.
                    await(() -> viewer.wpc(story.wpcHash()).isPresent(), "the WPC to be indexed");
                }
            }
        }
        List<String> jobIds = story.jobs().stream().map(DemoStory.DemoJob::jobId).toList();
        await(() -> sealed(viewer, jobIds).size() == jobIds.size(), "every job's bundle to be sealed");
        return sealed(viewer, jobIds);
    }

    private static List<JobSummary> sealed(ViewerQueries viewer, List<String> jobIds) {
        return viewer.jobs().stream().filter(j -> jobIds.contains(j.jobId())).filter(JobSummary::closed).toList();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting " + WAIT.toSeconds() + " s for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling the viewer's stores
        }
    }
}
