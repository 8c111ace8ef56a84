package dev.clawstream.schemas.registry;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry held in memory, for TopologyTestDriver tests that run without a broker (Kafka's own
 * test driver has no registry either). Ids and versions behave as the REST registries': one id per
 * distinct schema, shared across subjects. Integration tests use the real embedded registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private final Map<String, List<Schema>> subjects = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
        schemas.put(id, schema);
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        if (!subjects.getOrDefault(subject, List.of()).contains(schema)) {
            throw new SchemaRegistryException("schema not found under " + subject, 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return ids.get(schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("schema " + id + " not found", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<Schema> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("subject " + subject + " not found", 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        Schema last = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), ids.get(last), last);
    }

    @Override
    public synchronized List<String> subjects() {
        return subjects.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        int n = subjects.getOrDefault(subject, List.of()).size();
        List<Integer> versions = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            versions.add(i);
        }
        return versions;
    }

    @Override
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        return true;
    }

    @Override
    public String globalCompatibility() {
        return "NONE";
    }

    @Override
    public void setGlobalCompatibility(String level) {
        throw new UnsupportedOperationException("the in-memory registry checks no compatibility");
    }

    @Override
    public String url() {
        return "memory:";
    }
}
