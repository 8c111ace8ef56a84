package dev.clawstream.topology.kafka;

import dev.clawstream.schemas.catalog.ClawTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates the design's topics with the right cleanup policy, and lists them. Creating is idempotent:
 * a topic that already exists is left as it is (its partition count is never changed, because that
 * would move jobs to other partitions and break their order), and a wrong cleanup policy is reported.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    /** One row of {@code clawstream topics list}. */
    public record TopicInfo(String name, int partitions, int replicationFactor, String cleanupPolicy) { }

    private final Admin admin;
    private final String prefix;

    public TopicProvisioner(Admin admin, String prefix) {
        this.admin = admin;
        this.prefix = prefix;
    }

    /**
     * Creates every catalog topic that is missing.
     *
     * @param partitions        partitions per topic, or empty for the broker's {@code num.partitions}
     * @param replicationFactor replicas per partition, or empty for the broker's default
     * @return the names of the topics created now
     */
    public List<String> createAll(Optional<Integer> partitions, Optional<Short> replicationFactor)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<NewTopic> wanted = Arrays.stream(ClawTopic.values())
                .map(t -> new NewTopic(t.topicName(prefix), partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, t.cleanupPolicy().config())))
                .toList();
        List<String> created = new ArrayList<>();
        var results = admin.createTopics(wanted).values();
        for (var entry : results.entrySet()) {
            try {
                entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        // Only topics that were already there can have a wrong policy; asking about the ones just created
        // can also race their metadata reaching the broker (UnknownTopicOrPartition).
        warnAboutWrongCleanupPolicies(created);
        return created.stream().sorted().toList();
    }

    /** Our topics (those under the prefix) and the registry's {@code _schemas}, sorted by name. */
    public List<TopicInfo> list() throws ExecutionException, InterruptedException, TimeoutException {
        Collection<String> names = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(n -> n.startsWith(prefix) || n.equals("_schemas")).sorted().toList();
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, String> policies = cleanupPolicies(names);
        return names.stream().map(descriptions::get).map(d -> new TopicInfo(d.name(), d.partitions().size(),
                d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size(),
                policies.getOrDefault(d.name(), "?"))).toList();
    }

    private void warnAboutWrongCleanupPolicies(List<String> justCreated)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, ClawTopic> byName = Arrays.stream(ClawTopic.values())
                .filter(t -> !justCreated.contains(t.topicName(prefix)))
                .collect(Collectors.toMap(t -> t.topicName(prefix), Function.identity()));
        if (byName.isEmpty()) {
            return;
        }
        Map<String, String> actual = cleanupPolicies(byName.keySet());
        byName.forEach((name, topic) -> {
            String policy = actual.get(name);
            if (policy != null && !policy.equals(topic.cleanupPolicy().config())) {
                LOG.warn("topic {} has cleanup.policy={} but Clawstream expects {}", name, policy,
                        topic.cleanupPolicy().config());
            }
        });
    }

    private Map<String, String> cleanupPolicies(Collection<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return configs.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(),
                e -> e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
    }
}
