package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.WpcRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Keeps the global WPC catalog: every record of {@code wpc.registry} whose document parses, hashes to
 * its key and carries a trusted publisher's signature, under {@code hash:<hash>}; and for each name
 * the most recently published version, under {@code name:<name>}. A record that fails any check is
 * never used — a forged policy can at worst make a job's WPC unknown, which denies.
 */
final class WpcCatalogUpdater implements Processor<String, WpcRecord, Void, Void> {

    static final String HASH_PREFIX = "hash:";
    static final String NAME_PREFIX = "name:";
    private static final Logger LOG = LoggerFactory.getLogger(WpcCatalogUpdater.class);

    private final TrustedKeys publishers;
    private KeyValueStore<String, WpcRecord> catalog;

    WpcCatalogUpdater(TrustedKeys publishers) {
        this.publishers = publishers;
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
        Optional<String> problem = problem(record.key(), record.value());
        if (problem.isPresent()) {
            LOG.warn("WPC {} on wpc.registry is not used: {}", record.key(), problem.get());
            return;
        }
        WpcRecord wpc = record.value();
        catalog.put(HASH_PREFIX + wpc.getWpcHash(), wpc);
        WpcRecord latest = catalog.get(NAME_PREFIX + wpc.getName());
        if (latest == null || !wpc.getPublishedAt().isBefore(latest.getPublishedAt())) {
            catalog.put(NAME_PREFIX + wpc.getName(), wpc);
        }
    }

    /** Why this record must not be used, or empty when it is a verified WPC. */
    Optional<String> problem(String key, WpcRecord wpc) {
        WpcParseResult parsed = WpcParser.parse(wpc.getDocument(), "wpc.registry/" + key);
        if (parsed instanceof WpcParseResult.Invalid invalid) {
            return Optional.of("invalid document: " + invalid.errors().get(0));
        }
        WpcParseResult.Valid valid = (WpcParseResult.Valid) parsed;
        String hash = valid.document().hash().toString();
        if (!hash.equals(wpc.getWpcHash()) || !hash.equals(key)) {
            return Optional.of("document hashes to " + hash + ", record says " + wpc.getWpcHash() + ", key " + key);
        }
        if (!valid.wpc().name().equals(wpc.getName())) {
            return Optional.of("document is named '" + valid.wpc().name() + "', record says '" + wpc.getName() + "'");
        }
        try {
            byte[] signature = new byte[wpc.getSignature().remaining()];
            wpc.getSignature().duplicate().get(signature);
            new WpcSignature(Sha256Hash.parse(hash), KeyId.parse(wpc.getPublisherKeyId()), signature)
                    .verify(valid.document(), publishers);
        } catch (SignatureInvalidException | IllegalArgumentException e) {
            return Optional.of("signature: " + e.getMessage());
        }
        return Optional.empty();
    }
}
