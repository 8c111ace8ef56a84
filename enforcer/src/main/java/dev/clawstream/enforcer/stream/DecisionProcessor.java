package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.WpcRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns an egress event or a gateway receipt into its Decision: looks up the job's token and state,
 * and hands them with the WPC catalog to the pure {@link Enforcer}.
 */
final class DecisionProcessor<V> implements FixedKeyProcessor<String, V, Decision> {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);
    private static final int PARSED_TOKENS = 4096;

    private final EnforcerKeys keys;
    private final Clock clock;
    private FixedKeyProcessorContext<String, Decision> context;
    private KeyValueStore<String, CstRecord> tokens;
    private KeyValueStore<String, Long> closed;
    private KeyValueStore<String, byte[]> announced;
    private Enforcer enforcer;
    private final Map<String, ParsedToken> parsed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedToken> eldest) {
            return size() > PARSED_TOKENS;
        }
    };

    private record ParsedToken(CstRecord record, Cst token) {
    }

    /** Which {@link Enforcer#decide} overload applies to this input type. */
    private final BiFunction<Enforcer, V, java.util.function.Function<JobContext, Decision>> decider;

    DecisionProcessor(EnforcerKeys keys, Clock clock,
                      BiFunction<Enforcer, V, java.util.function.Function<JobContext, Decision>> decider) {
        this.keys = keys;
        this.clock = clock;
        this.decider = decider;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Decision> context) {
        this.context = context;
        this.tokens = context.getStateStore(EnforcerTopology.JOB_TOKENS_STORE);
        this.closed = context.getStateStore(EnforcerTopology.CLOSED_JOBS_STORE);
        this.announced = context.getStateStore(EnforcerTopology.ANNOUNCED_TOKENS_STORE);
        ReadOnlyKeyValueStore<String, WpcRecord> catalog = context.getStateStore(EnforcerTopology.WPC_CATALOG_STORE);
        this.enforcer = new Enforcer(new PolicyEngine(new CstCheck(keys.issuers())), new StoreWpcCatalog(catalog),
                keys.gateways(), clock);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        if (record.value() == null) {
            return;
        }
        Optional<ParsedToken> token = token(record.key());
        JobContext job = new JobContext(token.map(ParsedToken::token),
                record.key() != null && closed.get(record.key()) != null);
        Decision decision = decider.apply(enforcer, record.value()).apply(job);
        token.ifPresent(t -> announceOnChange(record.key(), t, decision));
        context.forward(record.withValue(decision));
    }

    /**
     * Attaches the token to the job's first decision under this version of it. The signature names the
     * version: issuing and revoking each sign anew.
     */
    private void announceOnChange(String jobId, ParsedToken token, Decision decision) {
        byte[] signature = token.token().signature();
        if (!Arrays.equals(signature, announced.get(jobId))) {
            decision.setCst(token.record());
            announced.put(jobId, signature);
        }
    }

    private Optional<ParsedToken> token(String jobId) {
        CstRecord record = jobId == null ? null : tokens.get(jobId);
        if (record == null) {
            return Optional.empty();
        }
        // A job's binding rarely changes between its events: reuse the parsed token while the stored
        // record is equal, field for field, to the one it was parsed from.
        ParsedToken cached = parsed.get(jobId);
        if (cached != null && cached.record().equals(record)) {
            return Optional.of(cached);
        }
        try {
            Cst token = CstRecords.fromRecord(record);
            ParsedToken fresh = new ParsedToken(record, token);
            parsed.put(jobId, fresh);
            return Optional.of(fresh);
        } catch (IllegalArgumentException e) {
            // An unreadable binding is no binding: the job's events are denied (NO_CST), never waved through.
            LOG.warn("token binding of job {} is unreadable: {}", jobId, e.getMessage());
            return Optional.empty();
        }
    }
}
