package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.WpcRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Keeps the global WPC catalog: every record of {@code wpc.registry} whose document parses, hashes to
 * its key and carries a trusted publisher's signature, under {@code hash:<hash>}; and for each name
 * the most recently published version, under {@code name:<name>}. A record that fails
 * {@link WpcRecordCheck} is never used — a forged policy can at worst make a job's WPC unknown, which denies.
 */
final class WpcCatalogUpdater implements Processor<String, WpcRecord, Void, Void> {

    static final String HASH_PREFIX = "hash:";
    static final String NAME_PREFIX = "name:";
    private static final Logger LOG = LoggerFactory.getLogger(WpcCatalogUpdater.class);

    private final WpcRecordCheck check;
    private KeyValueStore<String, WpcRecord> catalog;

    WpcCatalogUpdater(TrustedKeys publishers) {
        this.check = new WpcRecordCheck(publishers);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        catalog = context.getStateStore(EnforcerTopology.WPC_CATALOG_STORE);
    }

    @Override
    public void process(Record<String, WpcRecord> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                catalog.delete(HASH_PREFIX + record.key());
            }
            return;
        }
        try {
            check.verify(record.key(), record.value());
        } catch (WpcRecordCheck.UntrustedWpcException e) {
            // The audit application dead-letters it; every instance's catalog just skips it.
            LOG.warn("WPC {} on wpc.registry is not used: {}", record.key(), e.getMessage());
            return;
        }
        WpcRecord wpc = record.value();
        catalog.put(HASH_PREFIX + wpc.getWpcHash(), wpc);
        WpcRecord latest = catalog.get(NAME_PREFIX + wpc.getName());
        if (latest == null || !wpc.getPublishedAt().isBefore(latest.getPublishedAt())) {
            catalog.put(NAME_PREFIX + wpc.getName(), wpc);
        }
    }
}
