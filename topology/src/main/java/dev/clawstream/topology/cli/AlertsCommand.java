package dev.clawstream.topology.cli;

import dev.clawstream.alerter.alert.AlertLines;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream alerts tail}: the SOC's view of the alerts topic. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Watch SOC alerts.",
        subcommands = AlertsCommand.Tail.class)
final class AlertsCommand {

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Print alerts as they arrive, one readable line each (JSON lines with --json).",
                    "Reads committed alerts only and joins no consumer group."})
    static final class Tail implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connectionOptions;

        @Option(names = "--from-beginning", description = "Start at the oldest alert instead of new ones only.")
        boolean fromBeginning;

        @Option(names = "--max", paramLabel = "N", description = "Stop after N alerts.")
        Optional<Long> max;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop when no alert arrived for this long.")
        Optional<Double> idleTimeoutSeconds;

        @Option(names = "--json", description = "One JSON object per alert, for scripts and SIEM forwarders.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            KafkaConnection connection = connectionOptions.connection();
            String topic = ClawTopic.ALERTS.topicName(connection.topicPrefix());
            AvroDeserializer<Alert> alerts = AvroDeserializer.specific(connection.registryClient(), Alert.class);
            return new TopicFollower(fromBeginning, max, idleTimeoutSeconds).follow(connection, topic,
                    "clawstream-alerts-tail", spec.commandLine().getOut(), err, record -> {
                        try {
                            Alert alert = alerts.deserialize(topic, record.value());
                            return Optional.of(json ? AvroJson.toJson(alert).toString() : AlertLines.readable(alert));
                        } catch (RuntimeException e) {
                            err.println("partition " + record.partition() + " offset " + record.offset()
                                    + ": not an alert: " + e.getMessage());
                            err.flush();
                            return Optional.empty();
                        }
                    });
        }
    }
}
