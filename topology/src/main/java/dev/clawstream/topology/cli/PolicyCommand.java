package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.topology.authoring.Observation;
import dev.clawstream.topology.authoring.PolicySuggestion;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream policy suggest}: a draft WPC from what agents were observed to reach. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Draft policies from recorded traffic.",
        subcommands = {PolicyCommand.Suggest.class})
final class PolicyCommand {

    @Command(name = "suggest", mixinStandardHelpOptions = true,
            description = {"Read the decisions recorded on egress.decisions (allowed, denied or monitored) and write an",
                    "unsigned draft WPC that allows exactly the observed hosts on the observed ports, with a note per rule",
                    "saying how often and by which agents it was used. Special-purpose destinations are never allowed."})
    static final class Suggest implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--since", defaultValue = "7d", converter = HumanDuration.class, paramLabel = "DURATION",
                description = "How far back to read (default: ${DEFAULT-VALUE}).")
        Duration since;

        @Option(names = "--agent", paramLabel = "A", description = "Only traffic of this agent.")
        String agent;

        @Option(names = "--job", paramLabel = "J", description = "Only traffic of this job.")
        String job;

        @Option(names = "--name", defaultValue = "suggested", paramLabel = "NAME",
                description = "The draft's WPC name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--group-subdomains",
                description = "Merge two or more observed subdomains of one registrable domain into *.domain (never a public suffix).")
        boolean groupSubdomains;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the draft here (default: stdout).")
        Path out;

        @Mixin
        ConnectionOptions connectionOptions;

        private int deniedByRule;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            KafkaConnection connection = connectionOptions.connection();
            String topic = ClawTopic.EGRESS_DECISIONS.topicName(connection.topicPrefix());
            AvroDeserializer<Decision> decisions = AvroDeserializer.specific(connection.registryClient(), Decision.class);
            Instant from = Instant.now().minus(since);
            List<Observation> observed = new ArrayList<>();
            int unreadable = 0;
            for (ConsumerRecord<String, byte[]> raw : TopicSnapshot.read(connection, topic, "clawstream-policy-suggest",
                    Optional.of(from))) {
                Decision decision;
                try {
                    decision = raw.value() == null ? null : decisions.deserialize(topic, raw.value());
                } catch (RuntimeException e) {
                    decision = null;
                }
                if (decision == null) {
                    unreadable++;
                    continue;
                }
                observation(decision).ifPresent(observed::add);
            }
            PolicySuggestion.Suggestion suggestion = PolicySuggestion.suggest(name, observed, groupSubdomains);
            String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(suggestion.document()) + "\n";
            // A draft the parser refuses would only fail later, at publish time, far from its cause.
            WpcParseResult.Valid valid = WpcFiles.validDocument(text, "suggested WPC", err);
            suggestion.skipped().forEach(line -> err.println("skipped: " + line));
            if (deniedByRule > 0) {
                err.println("skipped: " + deniedByRule + " decision(s) denied by an explicit deny rule of their WPC");
            }
            if (unreadable > 0) {
                err.println("skipped: " + unreadable + " record(s) of " + topic + " that are not decisions");
            }
            err.println("suggested from " + observed.size() + " decision(s) since " + from + ": "
                    + valid.wpc().egress().allowDomains().size() + " domain rule(s), "
                    + valid.wpc().egress().allowCidrs().size() + " address rule(s); unsigned draft " + valid.document().hash());
            if (out != null) {
                Files.writeString(out, text, StandardCharsets.UTF_8);
                err.println("wrote " + out + " (review it, then: clawstream wpc publish " + out + " --key KEY)");
            } else {
                spec.commandLine().getOut().print(text);
            }
            return 0;
        }

        /** The destination a decision was about, if it is an egress decision in scope that a rule could allow. */
        private Optional<Observation> observation(Decision decision) {
            if (!(decision.getInput() instanceof EgressEvent event)
                    || (agent != null && !agent.equals(decision.getAgentId()))
                    || (job != null && !job.equals(decision.getJobId()))) {
                return Optional.empty();
            }
            // An explicit deny rule is the author's word: a suggestion must not quietly undo it.
            if (decision.getMatchedRule() != null && decision.getMatchedRule().startsWith("/deny/")) {
                deniedByRule++;
                return Optional.empty();
            }
            ParsedDestination parsed = event.getUrl() != null ? DestinationParser.parseUrl(event.getUrl())
                    : DestinationParser.parseHostPort(event.getHost(), event.getPort(), null);
            if (!(parsed instanceof ParsedDestination.EgressDestination d) || d.port() < 1) {
                return Optional.empty();
            }
            return Optional.of(new Observation(d.host(), d.port(), decision.getAgentId(), decision.getJobId()));
        }
    }
}
