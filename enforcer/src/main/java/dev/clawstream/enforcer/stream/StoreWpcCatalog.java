package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.decision.WpcCatalog;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyLayers;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.WpcRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The WPC catalog read from the global store. A WPC is compiled once per hash and kept in a small
 * LRU map: the store holds documents, the engine needs compiled lookup structures. Effective (layered)
 * policies are kept the same way, by the job's WPC hash: a WPC's layers are fixed by its hash, so only
 * a composition that failed (a layer not yet published) is ever tried again.
 */
final class StoreWpcCatalog implements WpcCatalog {

    private static final int MAX_COMPILED = 256;

    private final ReadOnlyKeyValueStore<String, WpcRecord> store;
    private final Map<Sha256Hash, CompiledPolicy> compiled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Sha256Hash, CompiledPolicy> eldest) {
            return size() > MAX_COMPILED;
        }
    };

    private final Map<Sha256Hash, CompiledPolicy> effective = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Sha256Hash, CompiledPolicy> eldest) {
            return size() > MAX_COMPILED;
        }
    };

    StoreWpcCatalog(ReadOnlyKeyValueStore<String, WpcRecord> store) {
        this.store = store;
    }

    @Override
    public Optional<CompiledPolicy> byHash(Sha256Hash hash) {
        CompiledPolicy cached = compiled.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        WpcRecord record = store.get(WpcCatalogUpdater.HASH_PREFIX + hash);
        if (record == null) {
            return Optional.empty();
        }
        // Verified by WpcCatalogUpdater before it was stored, so it parses.
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(record.getDocument(), hash.toString());
        CompiledPolicy policy = CompiledPolicy.compile(valid.wpc(), valid.document().hash());
        compiled.put(hash, policy);
        return Optional.of(policy);
    }

    @Override
    public CompiledPolicy effective(CompiledPolicy wpc) throws PolicyLayers.LayerException {
        CompiledPolicy cached = effective.get(wpc.hash());
        if (cached != null) {
            return cached;
        }
        CompiledPolicy composed = PolicyLayers.resolve(wpc, this::byHash);
        effective.put(wpc.hash(), composed);
        return composed;
    }

    @Override
    public Optional<CompiledPolicy> latestByName(String name) {
        WpcRecord latest = store.get(WpcCatalogUpdater.NAME_PREFIX + name);
        return latest == null ? Optional.empty() : byHash(Sha256Hash.parse(latest.getWpcHash()));
    }
}
