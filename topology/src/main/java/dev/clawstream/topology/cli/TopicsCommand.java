package dev.clawstream.topology.cli;

import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner.TopicInfo;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream topics create|list}. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create or list Clawstream's topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create every missing topic with its cleanup policy (delete or compact, as the design's "
                    + "table says). Existing topics are left unchanged.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--partitions", description = "Partitions per topic (default: the broker's num.partitions).")
        Optional<Integer> partitions;

        @Option(names = "--replication", description = "Replication factor (default: the broker's).")
        Optional<Short> replication;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(connection.connection().adminProperties())) {
                List<String> created = new TopicProvisioner(admin, connection.prefix).createAll(partitions, replication);
                created.forEach(name -> out.println("created " + name));
                out.println(created.size() + " topics created; the others already existed.");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the topics under the prefix (and _schemas) with partitions, replication and cleanup policy.")
    static final class ListTopics implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(connection.connection().adminProperties())) {
                List<TopicInfo> topics = new TopicProvisioner(admin, connection.prefix).list();
                int width = topics.stream().mapToInt(t -> t.name().length()).max().orElse(5);
                out.printf("%-" + width + "s  %10s  %11s  %s%n", "TOPIC", "PARTITIONS", "REPLICATION", "CLEANUP");
                for (TopicInfo t : topics) {
                    out.printf("%-" + width + "s  %10d  %11d  %s%n", t.name(), t.partitions(),
                            t.replicationFactor(), t.cleanupPolicy());
                }
            }
            return 0;
        }
    }
}
