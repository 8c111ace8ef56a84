package dev.clawstream.bundler.stream;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.WpcRecord;
import java.util.function.Function;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The field names a WPC's {@code data_handling.redact} asks Trust Pulse to hide, looked up by the hash a
 * decision was made under. WPCs are hash-addressed: a record is believed only if its document hashes to
 * the decision's hash, so a forged record on the topic cannot change what is redacted. An unknown or
 * unreadable WPC redacts destinations only (never less).
 */
final class WpcRedactions {

    private static final int CACHED = 256;

    private final Function<String, WpcRecord> wpcs;
    private final Map<String, List<String>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > CACHED;
        }
    };

    /** @param wpcs the record on {@code wpc.registry} under a hash, or null */
    WpcRedactions(Function<String, WpcRecord> wpcs) {
        this.wpcs = wpcs;
    }

    List<String> fieldsFor(String wpcHash) {
        if (wpcHash == null) {
            return List.of();
        }
        List<String> known = cache.get(wpcHash);
        if (known != null) {
            return known;
        }
        List<String> fields = lookUp(wpcHash).orElse(null);
        if (fields == null) {
            return List.of(); // not cached: the WPC may simply not have reached this instance yet
        }
        cache.put(wpcHash, fields);
        return fields;
    }

    private Optional<List<String>> lookUp(String wpcHash) {
        WpcRecord record = wpcs.apply(wpcHash);
        if (record == null) {
            return Optional.empty();
        }
        WpcParseResult parsed = WpcParser.parse(record.getDocument(), wpcHash);
        if (!(parsed instanceof WpcParseResult.Valid valid)
                || !valid.document().hash().equals(Sha256Hash.parse(wpcHash))) {
            return Optional.empty();
        }
        return Optional.of(valid.wpc().dataHandling().redact());
    }
}
