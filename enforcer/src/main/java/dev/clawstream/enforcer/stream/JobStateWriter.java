package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstBindings;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Keeps what the enforcer knows per job, in stores co-partitioned with the events (all keyed by job
 * id): the token bound to it, and whether it has closed.
 */
final class JobStateWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JobStateWriter.class);

    private JobStateWriter() {
    }

    /**
     * {@code cst.bindings} → the job's token; a tombstone unbinds it (and the job's events are denied).
     * A binding never goes back ({@link CstBindings}): replaying the token as it was before its
     * revocation, or an older token, leaves the held one in place.
     */
    static final class Tokens implements Processor<String, CstRecord, Void, Void> {
        private final CstBindings bindings;
        private KeyValueStore<String, CstRecord> tokens;

        Tokens(TrustedKeys issuers) {
            this.bindings = new CstBindings(issuers);
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            tokens = context.getStateStore(EnforcerTopology.JOB_TOKENS_STORE);
        }

        @Override
        public void process(Record<String, CstRecord> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                tokens.delete(record.key());
                return;
            }
            Cst incoming;
            try {
                incoming = CstRecords.fromRecord(record.value());
            } catch (IllegalArgumentException e) {
                // Unreadable: the job is left without a token (its events are denied), never with the old one.
                LOG.warn("token binding of job {} is unreadable; unbinding: {}", record.key(), e.getMessage());
                tokens.delete(record.key());
                return;
            }
            Optional<Cst> held = Optional.ofNullable(tokens.get(record.key())).flatMap(Tokens::readable);
            Cst kept = bindings.keep(held, incoming);
            if (kept != incoming) {
                LOG.warn("token {} for job {} would take the binding back (replay?); keeping {}",
                        incoming.tokenId(), record.key(), kept.tokenId());
                return;
            }
            tokens.put(record.key(), record.value());
        }

        private static Optional<Cst> readable(CstRecord record) {
            try {
                return Optional.of(CstRecords.fromRecord(record));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** {@code jobs.lifecycle} → closed jobs (a job started again is open again). */
    static final class Lifecycle implements Processor<String, JobEvent, Void, Void> {
        private KeyValueStore<String, Long> closed;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            closed = context.getStateStore(EnforcerTopology.CLOSED_JOBS_STORE);
        }

        @Override
        public void process(Record<String, JobEvent> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            if (record.value().getType() == JobEventType.CLOSED) {
                closed.put(record.key(), record.value().getTime().toEpochMilli());
            } else if (record.value().getType() == JobEventType.STARTED) {
                closed.delete(record.key());
            }
        }
    }
}
