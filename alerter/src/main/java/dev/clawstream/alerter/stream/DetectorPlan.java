package dev.clawstream.alerter.stream;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.clawstream.schemas.serde.JsonSerdes;
import dev.clawstream.alerter.detect.BlockedSpikeDetector;
import dev.clawstream.alerter.detect.Detector;
import dev.clawstream.alerter.detect.FirstContactDetector;
import dev.clawstream.alerter.detect.JobGateway;
import dev.clawstream.alerter.detect.LookalikeDetector;
import dev.clawstream.alerter.detect.Lookalikes;
import dev.clawstream.alerter.detect.ReceiptScopeDetector;
import dev.clawstream.alerter.detect.RedirectToNewDomainDetector;
import dev.clawstream.alerter.detect.ShadowClientDetector;
import dev.clawstream.alerter.detect.SidecarBypassDetector;
import dev.clawstream.alerter.detect.SubdomainBurstDetector;
import dev.clawstream.alerter.detect.SuspiciousTldDetector;
import dev.clawstream.alerter.detect.TunnelNameDetector;
import dev.clawstream.alerter.detect.UnexpectedAgentDetector;
import dev.clawstream.alerter.detect.UnusualVolumeDetector;
import dev.clawstream.alerter.detect.VolumeBaseline;
import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.Scope;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The detectors of one partitioning of the decision stream, each with the stores it needs, named after
 * its rule ({@code <rule>.buckets}, {@code <rule>.baselines}) so two rules of one kind never share state.
 * Stores are cached: a busy agent's baseline or bucket is rewritten on every event, and the cache turns
 * those into one RocksDB write and one changelog record per commit.
 */
final class DetectorPlan {

    /** How a detector's state is keyed, which decides where the decisions must be partitioned. */
    enum Partitioning {
        /** By job id, as {@code egress.decisions} is written: per-job evidence, co-partitioned with tokens. */
        JOB,
        /** By agent id: per-agent counts, baselines and memories. */
        AGENT,
        /** Everything on one key: fleet-wide counts (only denied decisions travel there). */
        FLEET,
        /** By registrable domain: fleet-wide first contacts, spread over every partition. */
        DOMAIN
    }

    static Partitioning partitioningOf(Condition c) {
        if (c instanceof Condition.BlockedSpike spike) {
            return spike.scope() == Scope.FLEET ? Partitioning.FLEET : Partitioning.AGENT;
        }
        if (c instanceof Condition.FirstContact contact) {
            return contact.scope() == Scope.FLEET ? Partitioning.DOMAIN : Partitioning.AGENT;
        }
        if (c instanceof Condition.RedirectToNewDomain) {
            return Partitioning.DOMAIN;
        }
        if (c instanceof Condition.UnexpectedAgent || c instanceof Condition.SidecarBypass
                || c instanceof Condition.ReceiptScopeMismatch || c instanceof Condition.ShadowClient) {
            return Partitioning.JOB;
        }
        return Partitioning.AGENT;
    }

    private final List<StoreBuilder<?>> stores = new ArrayList<>();
    private final List<Function<ProcessingContext, Detector>> factories = new ArrayList<>();

    DetectorPlan(List<Rule> rules, Duration grace) {
        for (Rule rule : rules) {
            add(rule, grace);
        }
    }

    List<StoreBuilder<?>> stores() {
        return stores;
    }

    String[] storeNames() {
        return stores.stream().map(StoreBuilder::name).toArray(String[]::new);
    }

    List<Detector> detectors(ProcessingContext context) {
        return factories.stream().map(f -> f.apply(context)).toList();
    }

    boolean isEmpty() {
        return factories.isEmpty();
    }

    private void add(Rule rule, Duration grace) {
        Condition c = rule.condition();
        String name = rule.name();
        if (c instanceof Condition.BlockedSpike spike) {
            String store = name + ".buckets";
            Duration bucket = Duration.ofMillis(Math.max(1, spike.window().toMillis() / 60));
            stores.add(Stores.windowStoreBuilder(Stores.persistentWindowStore(store,
                    BlockedSpikeDetector.retention(spike, grace), bucket, false), Serdes.String(), Serdes.Long()).withCachingEnabled());
            factories.add(ctx -> new BlockedSpikeDetector(rule, StoreStates.of(windowStore(ctx, store)), grace));
        } else if (c instanceof Condition.SuspiciousTld) {
            factories.add(ctx -> new SuspiciousTldDetector(rule));
        } else if (c instanceof Condition.Lookalike lookalike) {
            // Built once for all tasks: immutable, and indexing the variants takes a moment.
            Lookalikes index = new Lookalikes(lookalike.protectedDomains());
            factories.add(ctx -> new LookalikeDetector(rule, index));
        } else if (c instanceof Condition.TunnelName) {
            factories.add(ctx -> new TunnelNameDetector(rule));
        } else if (c instanceof Condition.SubdomainBurst burst) {
            String store = name + ".names";
            stores.add(Stores.windowStoreBuilder(Stores.persistentWindowStore(store,
                    SubdomainBurstDetector.retention(burst, grace), burst.window(), false), Serdes.String(),
                    JsonSerdes.of(new TypeReference<TreeSet<Long>>() { })).withCachingEnabled());
            factories.add(ctx -> new SubdomainBurstDetector(rule, StoreStates.of(windowStore(ctx, store)), grace));
        } else if (c instanceof Condition.UnusualVolume) {
            String store = name + ".baselines";
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    JsonSerdes.of(new TypeReference<VolumeBaseline>() { })).withCachingEnabled());
            factories.add(ctx -> new UnusualVolumeDetector(rule, StoreStates.of(keyValueStore(ctx, store))));
        } else if (c instanceof Condition.FirstContact contact) {
            String store = name + ".contacts";
            stores.add(Stores.windowStoreBuilder(Stores.persistentWindowStore(store,
                    FirstContactDetector.retention(contact), Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()).withCachingEnabled());
            factories.add(ctx -> new FirstContactDetector(rule, StoreStates.of(windowStore(ctx, store))));
        } else if (c instanceof Condition.RedirectToNewDomain redirect) {
            String store = name + ".contacts";
            stores.add(Stores.windowStoreBuilder(Stores.persistentWindowStore(store,
                    RedirectToNewDomainDetector.retention(redirect), Duration.ofMillis(1), false), Serdes.String(),
                    Serdes.Long()).withCachingEnabled());
            factories.add(ctx -> new RedirectToNewDomainDetector(rule, StoreStates.of(windowStore(ctx, store))));
        } else if (c instanceof Condition.UnexpectedAgent) {
            factories.add(ctx -> new UnexpectedAgentDetector(rule,
                    StoreStates.of(keyValueStore(ctx, AlerterTopology.JOB_AGENTS_STORE))));
        } else if (c instanceof Condition.SidecarBypass) {
            factories.add(ctx -> new SidecarBypassDetector(rule));
        } else if (c instanceof Condition.ReceiptScopeMismatch) {
            factories.add(ctx -> new ReceiptScopeDetector(rule));
        } else if (c instanceof Condition.ShadowClient) {
            String store = name + ".jobs";
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    JsonSerdes.of(new TypeReference<JobGateway>() { })).withCachingEnabled());
            factories.add(ctx -> new ShadowClientDetector(rule, StoreStates.of(keyValueStore(ctx, store)), grace));
        } else {
            throw new IllegalArgumentException("no detector for " + c);
        }
    }

    private static <S> WindowStore<String, S> windowStore(ProcessingContext ctx, String name) {
        return ctx.getStateStore(name);
    }

    private static <S> KeyValueStore<String, S> keyValueStore(ProcessingContext ctx, String name) {
        return ctx.getStateStore(name);
    }
}
