package dev.clawstream.topology.registry;

/** One registered version of a subject, in the shape the REST API answers with. */
public record SubjectVersion(String subject, int version, int id, String schema) {
}
