package dev.clawstream.alerter.stream;

import dev.clawstream.alerter.alert.Deduplicator;
import dev.clawstream.alerter.detect.Detector;
import dev.clawstream.alerter.detect.Finding;
import dev.clawstream.alerter.detect.Observation;
import dev.clawstream.alerter.detect.ScannableState;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.Decision;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.List;

/**
 * Runs one partitioning's detectors over each decision and turns their findings into alerts through
 * the {@link Deduplicator}, keyed by agent id. As stream time passes it closes dedupe windows (sending
 * final tallies) and lets time-driven detectors report (a provider call whose receipt never came).
 */
final class DetectionProcessor implements Processor<String, Decision, String, Alert> {

    /** How often, in stream time, windows are closed: the delay of a final tally past its window. */
    static final Duration TICK = Duration.ofSeconds(10);

    private final DetectorPlan plan;
    private final Deduplicator deduplicator;
    private final String openAlertsStore;
    private ProcessorContext<String, Alert> context;
    private List<Detector> detectors;
    private ScannableState<Alert> openAlerts;

    DetectionProcessor(DetectorPlan plan, RuleSet rules, String openAlertsStore) {
        this.plan = plan;
        this.deduplicator = new Deduplicator(rules);
        this.openAlertsStore = openAlertsStore;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.detectors = plan.detectors(context);
        KeyValueStore<String, Alert> store = context.getStateStore(openAlertsStore);
        this.openAlerts = StoreStates.of(store);
        context.schedule(TICK, PunctuationType.STREAM_TIME, this::tick);
    }

    @Override
    public void process(Record<String, Decision> record) {
        if (record.value() == null) {
            return;
        }
        Observation observation = Observation.of(record.value());
        long streamTime = context.currentStreamTimeMs();
        for (Detector detector : detectors) {
            for (Finding finding : detector.observe(observation, streamTime)) {
                send(deduplicator.offer(finding, openAlerts), record.timestamp());
            }
        }
    }

    private void tick(long streamTime) {
        for (Detector detector : detectors) {
            for (Finding finding : detector.advance(streamTime)) {
                send(deduplicator.offer(finding, openAlerts), streamTime);
            }
        }
        send(deduplicator.closeDue(streamTime, openAlerts), streamTime);
    }

    private void send(List<Alert> alerts, long timestamp) {
        for (Alert alert : alerts) {
            context.forward(new Record<>(alert.getAgentId(), alert, timestamp));
        }
    }
}
