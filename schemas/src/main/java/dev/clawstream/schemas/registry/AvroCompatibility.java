package dev.clawstream.schemas.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a candidate Avro schema may follow the earlier versions of a subject under a
 * compatibility level, using Avro's own resolution rules ({@link SchemaCompatibility}) so that the
 * answer matches what a reader will actually do at deserialisation time.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Every reason the candidate breaks the level, one message per Avro incompatibility naming its
     * location in the schema; empty when the candidate is compatible.
     *
     * @param previous the subject's earlier schemas, oldest first; empty means anything is accepted
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> previous) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        List<Schema> against = level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        List<String> messages = new ArrayList<>();
        // Newest first, as Confluent checks: the most recent break is the one a user fixes first.
        for (int i = against.size() - 1; i >= 0; i--) {
            Schema earlier = against.get(i);
            String which = describe(level, against.size(), i);
            if (level.newReadsOld()) {
                collect(candidate, earlier, "new schema cannot read data written with " + which, messages);
            }
            if (level.oldReadsNew()) {
                collect(earlier, candidate, which + " cannot read data written with the new schema", messages);
            }
        }
        return List.copyOf(messages);
    }

    private static void collect(Schema reader, Schema writer, String direction, List<String> messages) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            messages.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + ": " + incompatibility.getMessage());
        }
    }

    private static String describe(CompatibilityLevel level, int count, int index) {
        if (!level.transitive() || index == count - 1) {
            return "the latest schema";
        }
        return "earlier schema " + (index + 1) + " of " + count;
    }
}
