package dev.clawstream.topology.registry;

import dev.clawstream.schemas.registry.CompatibilityLevel;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the {@code _schemas} log says, applied record by record in log order. Every reader of the same
 * log ends in the same state, which is what lets several registry instances share one topic with no
 * leader: writers race, and the log order decides.
 *
 * <p>The rules that make races harmless (first writer in log order wins, later claims are ignored):
 * <ul>
 *   <li>an id is bound to one schema forever; a record claiming a bound id for a different schema,
 *       or a new id for a schema that already has one, is ignored;</li>
 *   <li>a subject version is taken once; a record claiming a taken version for a different id is
 *       ignored, as is one registering a schema the subject already holds at a live version.</li>
 * </ul>
 * Writers check {@link #holds} after their record is applied and retry with a fresh claim when they lost.
 *
 * <p>Thread-safe: the log reader applies while HTTP threads query.
 */
public final class RegistryState {

    /** Confluent's default when neither the subject nor the global config says otherwise. */
    public static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private final Map<Integer, AvroSchemaText> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Entry>> subjects = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    /** Ids are never handed out twice, even after the version that used one was deleted. */
    private int highestIdSeen;

    private record Entry(int id, String schema, boolean deleted) {
    }

    /**
     * Applies the next record of the log.
     *
     * @return false when the record lost a race (or is unreadable) and changed nothing
     */
    public synchronized boolean apply(RegistryRecord record) {
        if (record instanceof RegistryRecord.SchemaVersion v) {
            return applySchemaVersion(v);
        }
        if (record instanceof RegistryRecord.SchemaVersionTombstone t) {
            return applyTombstone(t);
        }
        if (record instanceof RegistryRecord.Config c) {
            if (c.subject().isPresent()) {
                subjectLevels.put(c.subject().get(), c.level());
            } else {
                globalLevel = c.level();
            }
            return true;
        }
        if (record instanceof RegistryRecord.ConfigTombstone t) {
            if (t.subject().isPresent()) {
                subjectLevels.remove(t.subject().get());
            } else {
                globalLevel = null;
            }
            return true;
        }
        return false;
    }

    private boolean applySchemaVersion(RegistryRecord.SchemaVersion v) {
        Optional<AvroSchemaText> parsed = AvroSchemaText.parse(v.schema()).schema();
        if (parsed.isEmpty() || v.id() <= 0 || v.version() <= 0) {
            return false;
        }
        String canonical = parsed.get().canonical();
        AvroSchemaText boundToId = schemasById.get(v.id());
        if (boundToId != null && !boundToId.canonical().equals(canonical)) {
            return false;
        }
        Integer idOfSchema = idsByCanonical.get(canonical);
        if (idOfSchema != null && idOfSchema != v.id()) {
            return false;
        }
        TreeMap<Integer, Entry> versions = subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>());
        Entry taken = versions.get(v.version());
        if (taken != null && taken.id() != v.id()) {
            return false;
        }
        if (taken == null && !v.deleted() && liveVersionOf(versions, v.id()).isPresent()) {
            return false;
        }
        schemasById.put(v.id(), parsed.get());
        idsByCanonical.put(canonical, v.id());
        highestIdSeen = Math.max(highestIdSeen, v.id());
        versions.put(v.version(), new Entry(v.id(), v.schema(), v.deleted()));
        return true;
    }

    private boolean applyTombstone(RegistryRecord.SchemaVersionTombstone t) {
        TreeMap<Integer, Entry> versions = subjects.get(t.subject());
        if (versions == null || versions.remove(t.version()) == null) {
            return false;
        }
        if (versions.isEmpty()) {
            subjects.remove(t.subject());
        }
        return true;
    }

    /** Subjects with at least one live version, sorted. */
    public synchronized List<String> subjects() {
        return subjects.entrySet().stream()
                .filter(e -> e.getValue().values().stream().anyMatch(entry -> !entry.deleted()))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** Live versions of the subject in ascending order; empty when the subject has none. */
    public synchronized List<Integer> versions(String subject) {
        TreeMap<Integer, Entry> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.entrySet().stream().filter(e -> !e.getValue().deleted()).map(Map.Entry::getKey).toList();
    }

    /** The schema text with this id, also after its versions were soft-deleted, as Confluent answers. */
    public synchronized Optional<String> schemaById(int id) {
        for (TreeMap<Integer, Entry> versions : subjects.values()) {
            for (Entry entry : versions.values()) {
                if (entry.id() == id) {
                    return Optional.of(entry.schema());
                }
            }
        }
        return Optional.empty();
    }

    /** A live version of the subject. */
    public synchronized Optional<SubjectVersion> version(String subject, int version) {
        TreeMap<Integer, Entry> versions = subjects.get(subject);
        Entry entry = versions == null ? null : versions.get(version);
        if (entry == null || entry.deleted()) {
            return Optional.empty();
        }
        return Optional.of(new SubjectVersion(subject, version, entry.id(), entry.schema()));
    }

    /** The highest live version of the subject. */
    public synchronized Optional<SubjectVersion> latest(String subject) {
        List<Integer> live = versions(subject);
        return live.isEmpty() ? Optional.empty() : version(subject, live.get(live.size() - 1));
    }

    /** The live version of the subject that holds this schema (compared in canonical form). */
    public synchronized Optional<SubjectVersion> lookup(String subject, AvroSchemaText schema) {
        Integer id = idsByCanonical.get(schema.canonical());
        TreeMap<Integer, Entry> versions = subjects.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        return liveVersionOf(versions, id).flatMap(version -> version(subject, version));
    }

    /** The parsed schemas of the subject's live versions, oldest first, for compatibility checks. */
    public synchronized List<Schema> liveSchemas(String subject) {
        List<Schema> schemas = new ArrayList<>();
        for (int version : versions(subject)) {
            schemas.add(schemasById.get(subjects.get(subject).get(version).id()).schema());
        }
        return List.copyOf(schemas);
    }

    public synchronized Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level a registration under the subject is checked against. */
    public synchronized CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).or(this::globalLevel).orElse(DEFAULT_LEVEL);
    }

    /**
     * The record a writer should append to register the schema under the subject: the schema's
     * existing id if any subject has it (ids are shared across subjects, as in Confluent), else the
     * next unused id; and the version after the highest the subject ever had.
     */
    public synchronized RegistryRecord.SchemaVersion nextClaim(String subject, AvroSchemaText schema) {
        int id = Optional.ofNullable(idsByCanonical.get(schema.canonical())).orElse(highestIdSeen + 1);
        TreeMap<Integer, Entry> versions = subjects.get(subject);
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        return new RegistryRecord.SchemaVersion(subject, version, id, schema.canonical(), false);
    }

    /**
     * Whether the log, as applied so far, gave the claimed subject version to the claimed schema. The
     * schema is compared as well as the id: two claims racing from one instance carry the same id and
     * version for different schemas, and only the first one in the log won.
     */
    public synchronized boolean holds(RegistryRecord.SchemaVersion claim) {
        TreeMap<Integer, Entry> versions = subjects.get(claim.subject());
        Entry entry = versions == null ? null : versions.get(claim.version());
        return entry != null && entry.id() == claim.id() && sameSchema(entry.id(), claim.schema());
    }

    /**
     * The record that won the subject version a lost claim asked for, if one did. Re-appending it makes
     * it the last value under that key, so compaction keeps the winner and not the ignored loser.
     */
    public synchronized Optional<RegistryRecord.SchemaVersion> winnerOf(RegistryRecord.SchemaVersion claim) {
        TreeMap<Integer, Entry> versions = subjects.get(claim.subject());
        Entry entry = versions == null ? null : versions.get(claim.version());
        if (entry == null || holds(claim)) {
            return Optional.empty();
        }
        return Optional.of(new RegistryRecord.SchemaVersion(
                claim.subject(), claim.version(), entry.id(), entry.schema(), entry.deleted()));
    }

    private boolean sameSchema(int id, String schemaText) {
        AvroSchemaText bound = schemasById.get(id);
        Optional<AvroSchemaText> claimed = AvroSchemaText.parse(schemaText).schema();
        return bound != null && claimed.isPresent() && bound.canonical().equals(claimed.get().canonical());
    }

    private static Optional<Integer> liveVersionOf(TreeMap<Integer, Entry> versions, int id) {
        return versions.entrySet().stream()
                .filter(e -> e.getValue().id() == id && !e.getValue().deleted())
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
