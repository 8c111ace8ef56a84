package dev.clawstream.alerter.stream;

import dev.clawstream.schemas.CstRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code cst.bindings} → which agent each job's token binds, in a store co-partitioned with the
 * decisions (both keyed by job id). Signatures are the enforcer's business: a forged binding gets the
 * job's traffic denied there, and cannot hide an agent here for longer than the enforcer tolerates it.
 * A tombstone unbinds the job.
 */
final class JobAgentsWriter implements Processor<String, CstRecord, Void, Void> {

    private KeyValueStore<String, String> agents;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        agents = context.getStateStore(AlerterTopology.JOB_AGENTS_STORE);
    }

    @Override
    public void process(Record<String, CstRecord> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            agents.delete(record.key());
        } else {
            agents.put(record.key(), record.value().getAgentId());
        }
    }
}
