package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps what the enforcer knows per job, in stores co-partitioned with the events (all keyed by job
 * id): the token bound to it, and whether it has closed.
 */
final class JobStateWriter {

    private JobStateWriter() {
    }

    /** {@code cst.bindings} → the job's token; a tombstone unbinds it (and the job's events are denied). */
    static final class Tokens implements Processor<String, CstRecord, Void, Void> {
        private KeyValueStore<String, CstRecord> tokens;

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
            } else {
                tokens.put(record.key(), record.value());
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
