package dev.clawstream.schemas.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.serde.TrustedAvroClasses;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Natural JSON to and from Avro records, for people and for sidecars that log JSON. Avro's own JSON
 * encoding wraps union values ({@code {"string":"x"}}) and writes bytes as ISO-8859-1 text; here a
 * nullable field is its value or {@code null}, a timestamp an ISO-8601 string, bytes base64, an enum
 * its symbol, and a union of records the record itself (the first branch it fits, in schema order).
 *
 * <p>Strict on input: unknown fields, wrong types and out-of-range numbers are errors, every one
 * reported with its JSON path, so a typo never silently drops data.
 */
public final class AvroJson {

    // A key given twice, or a second value after the first, is refused: components that read the same
    // JSON differently (first key wins vs last key wins) are how filters get bypassed.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static {
        TrustedAvroClasses.install();
    }

    private AvroJson() {
    }

    /** Parses JSON text and converts it; malformed text is reported with its line and column. */
    public static GenericRecord fromJson(String json, Schema schema) throws AvroJsonException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new AvroJsonException(List.of(new JsonFieldError("$", "malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage())));
        }
        return fromJson(node, schema);
    }

    /** Converts a JSON object into a generic record of {@code schema} (a record schema). */
    public static GenericRecord fromJson(JsonNode json, Schema schema) throws AvroJsonException {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("not a record schema: " + schema.getFullName());
        }
        List<JsonFieldError> errors = new ArrayList<>();
        Object value = convert(json, schema, "$", errors);
        if (!errors.isEmpty()) {
            throw new AvroJsonException(errors);
        }
        return (GenericRecord) value;
    }

    /** Converts into a generated class; logical types come out as the class declares them (Instant, ...). */
    public static <T extends SpecificRecord> T fromJson(String json, Class<T> type) throws AvroJsonException {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        GenericRecord generic = fromJson(json, schema);
        // Through Avro binary: the generated class's own reader applies its logical-type conversions.
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(generic, encoder);
            encoder.flush();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
            return new SpecificDatumReader<T>(schema, schema, model).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory Avro round trip failed", e);
        }
    }

    /** A record (generic or generated) as natural JSON. */
    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) write(record, record.getSchema());
    }

    /** The same, as one line of text. */
    public static String toJsonLine(IndexedRecord record) {
        return toJson(record).toString();
    }

    // ---- JSON -> Avro ------------------------------------------------------------------------------

    private static Object convert(JsonNode node, Schema schema, String path, List<JsonFieldError> errors) {
        switch (schema.getType()) {
            case NULL:
                if (!node.isNull()) {
                    errors.add(new JsonFieldError(path, "expected null, got " + describe(node)));
                }
                return null;
            case BOOLEAN:
                if (!node.isBoolean()) {
                    return mismatch(path, "a boolean", node, errors);
                }
                return node.booleanValue();
            case INT:
                if (schema.getLogicalType() instanceof LogicalTypes.Date && node.isTextual()) {
                    return parseDate(node, path, errors);
                }
                return integral(node, path, "an int", Integer.MIN_VALUE, Integer.MAX_VALUE, errors, true);
            case LONG:
                LogicalType logical = schema.getLogicalType();
                if ((logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros)
                        && node.isTextual()) {
                    return parseInstant(node, path, logical instanceof LogicalTypes.TimestampMicros, errors);
                }
                if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
                    if (!node.isIntegralNumber()) {
                        return mismatch(path, "an ISO-8601 timestamp or epoch milliseconds", node, errors);
                    }
                }
                return integral(node, path, "a long", Long.MIN_VALUE, Long.MAX_VALUE, errors, false);
            case FLOAT:
                if (!node.isNumber()) {
                    return mismatch(path, "a number", node, errors);
                }
                return node.floatValue();
            case DOUBLE:
                if (!node.isNumber()) {
                    return mismatch(path, "a number", node, errors);
                }
                return node.doubleValue();
            case STRING:
                if (!node.isTextual()) {
                    return mismatch(path, "a string", node, errors);
                }
                return node.textValue();
            case BYTES:
                byte[] bytes = base64(node, path, errors);
                return bytes == null ? null : ByteBuffer.wrap(bytes);
            case FIXED:
                byte[] fixed = base64(node, path, errors);
                if (fixed != null && fixed.length != schema.getFixedSize()) {
                    errors.add(new JsonFieldError(path, "expected " + schema.getFixedSize() + " bytes, got "
                            + fixed.length));
                    return null;
                }
                return fixed == null ? null : new GenericData.Fixed(schema, fixed);
            case ENUM:
                if (!node.isTextual() || !schema.hasEnumSymbol(node.textValue())) {
                    errors.add(new JsonFieldError(path, "expected one of " + schema.getEnumSymbols() + ", got "
                            + describe(node)));
                    return null;
                }
                return new GenericData.EnumSymbol(schema, node.textValue());
            case ARRAY:
                if (!node.isArray()) {
                    return mismatch(path, "an array", node, errors);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(convert(node.get(i), schema.getElementType(), path + "[" + i + "]", errors));
                }
                return new GenericData.Array<>(schema, items);
            case MAP:
                if (!node.isObject()) {
                    return mismatch(path, "an object", node, errors);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), convert(e.getValue(), schema.getValueType(), child(path, e.getKey()), errors));
                }
                return map;
            case RECORD:
                return record(node, schema, path, errors);
            case UNION:
                return union(node, schema, path, errors);
            default:
                throw new IllegalStateException("unhandled Avro type " + schema.getType());
        }
    }

    private static Object record(JsonNode node, Schema schema, String path, List<JsonFieldError> errors) {
        if (!node.isObject()) {
            return mismatch(path, "an object (" + schema.getName() + ")", node, errors);
        }
        GenericRecord record = new GenericData.Record(schema);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                errors.add(new JsonFieldError(child(path, name), "unknown field; " + schema.getName()
                        + " has " + schema.getFields().stream().map(Schema.Field::name).collect(Collectors.joining(", "))));
            }
        }
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            if (value == null) {
                if (field.hasDefaultValue()) {
                    record.put(field.pos(), GenericData.get().deepCopy(field.schema(),
                            GenericData.get().getDefaultValue(field)));
                } else if (isNullable(field.schema())) {
                    record.put(field.pos(), null);
                } else {
                    errors.add(new JsonFieldError(child(path, field.name()), "missing required field"));
                }
                continue;
            }
            record.put(field.pos(), convert(value, field.schema(), child(path, field.name()), errors));
        }
        return record;
    }

    private static Object union(JsonNode node, Schema schema, String path, List<JsonFieldError> errors) {
        List<String> reasons = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL && !node.isNull()) {
                continue;
            }
            List<JsonFieldError> branchErrors = new ArrayList<>();
            Object value = convert(node, branch, path, branchErrors);
            if (branchErrors.isEmpty()) {
                return value;
            }
            reasons.add(branch.getName() + " (" + branchErrors.get(0).path() + ": " + branchErrors.get(0).message()
                    + (branchErrors.size() > 1 ? "; +" + (branchErrors.size() - 1) + " more" : "") + ")");
        }
        if (schema.getTypes().size() == 2 && isNullable(schema)) {
            // A nullable field: report the non-null branch's problems as they are, not as a union.
            Schema valueType = schema.getTypes().get(0).getType() == Schema.Type.NULL
                    ? schema.getTypes().get(1) : schema.getTypes().get(0);
            convert(node, valueType, path, errors);
            return null;
        }
        errors.add(new JsonFieldError(path, "matches no branch of the union: " + String.join("; ", reasons)));
        return null;
    }

    private static Object integral(JsonNode node, String path, String what, long min, long max,
                                   List<JsonFieldError> errors, boolean asInt) {
        if (!node.isIntegralNumber()) {
            return mismatch(path, what, node, errors);
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            errors.add(new JsonFieldError(path, value + " is out of range for " + what));
            return null;
        }
        return asInt ? (Object) value.intValue() : (Object) value.longValue();
    }

    private static Object parseInstant(JsonNode node, String path, boolean micros, List<JsonFieldError> errors) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(node.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new JsonFieldError(path, "expected an ISO-8601 timestamp like 2026-11-22T10:15:30Z, got \""
                    + node.textValue() + "\""));
            return null;
        }
        return micros
                ? instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000
                : instant.toEpochMilli();
    }

    private static Object parseDate(JsonNode node, String path, List<JsonFieldError> errors) {
        try {
            return (int) java.time.LocalDate.parse(node.textValue()).toEpochDay();
        } catch (DateTimeParseException e) {
            errors.add(new JsonFieldError(path, "expected a date like 2026-11-22, got \"" + node.textValue() + "\""));
            return null;
        }
    }

    private static byte[] base64(JsonNode node, String path, List<JsonFieldError> errors) {
        if (!node.isTextual()) {
            mismatch(path, "a base64 string", node, errors);
            return null;
        }
        try {
            return Base64.getDecoder().decode(node.textValue());
        } catch (IllegalArgumentException e) {
            errors.add(new JsonFieldError(path, "not base64: " + e.getMessage()));
            return null;
        }
    }

    private static Object mismatch(String path, String expected, JsonNode node, List<JsonFieldError> errors) {
        errors.add(new JsonFieldError(path, "expected " + expected + ", got " + describe(node)));
        return null;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT).replace("pojo", "value") + " " + text;
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static String child(String path, String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? path + "." + name : path + "[" + MAPPER.valueToTree(name) + "]";
    }

    // ---- Avro -> JSON ------------------------------------------------------------------------------

    /**
     * The union branch a value was written as. Generated classes hold logical types as Java types
     * (an Instant for timestamp-millis), which Avro's own resolveUnion does not know without the
     * class's conversions, so we match on the value's runtime type ourselves.
     */
    private static Schema branchFor(Schema union, Object value) {
        for (Schema branch : union.getTypes()) {
            if (fits(branch, value)) {
                return branch;
            }
        }
        return union.getTypes().get(GenericData.get().resolveUnion(union, value));
    }

    private static boolean fits(Schema branch, Object value) {
        return switch (branch.getType()) {
            case NULL -> value == null;
            case RECORD -> value instanceof IndexedRecord r && r.getSchema().getFullName().equals(branch.getFullName());
            case ENUM -> (value instanceof Enum<?> e && e.getDeclaringClass().getSimpleName().equals(branch.getName()))
                    || (value instanceof org.apache.avro.generic.GenericEnumSymbol<?> g
                        && g.getSchema().getFullName().equals(branch.getFullName()));
            case STRING -> value instanceof CharSequence;
            case LONG -> value instanceof Long || (value instanceof Instant && branch.getLogicalType() != null);
            case INT -> value instanceof Integer || value instanceof java.time.LocalDate;
            case FLOAT -> value instanceof Float;
            case DOUBLE -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            case BYTES -> value instanceof ByteBuffer;
            case FIXED -> value instanceof GenericFixed f && f.getSchema().getFullName().equals(branch.getFullName());
            case MAP -> value instanceof Map;
            case ARRAY -> value instanceof Collection;
            case UNION -> false;
        };
    }

    private static JsonNode write(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case NULL:
                return NODES.nullNode();
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case INT:
                if (schema.getLogicalType() instanceof LogicalTypes.Date) {
                    return NODES.textNode(value instanceof java.time.LocalDate d ? d.toString()
                            : java.time.LocalDate.ofEpochDay(((Number) value).intValue()).toString());
                }
                return NODES.numberNode(((Number) value).intValue());
            case LONG:
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return NODES.textNode(value instanceof Instant i ? i.toString()
                            : Instant.ofEpochMilli(((Number) value).longValue()).toString());
                }
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
                    if (value instanceof Instant i) {
                        return NODES.textNode(i.toString());
                    }
                    long micros = ((Number) value).longValue();
                    return NODES.textNode(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L).toString());
                }
                return NODES.numberNode(((Number) value).longValue());
            case FLOAT:
                return NODES.numberNode(((Number) value).floatValue());
            case DOUBLE:
                return NODES.numberNode(((Number) value).doubleValue());
            case STRING:
            case ENUM:
                return NODES.textNode(value.toString());
            case BYTES:
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    array.add(write(item, schema.getElementType()));
                }
                return array;
            case MAP:
                ObjectNode map = NODES.objectNode();
                ((Map<?, ?>) value).forEach((k, v) -> map.set(k.toString(), write(v, schema.getValueType())));
                return map;
            case RECORD:
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), write(record.get(field.pos()), field.schema()));
                }
                return object;
            case UNION:
                return write(value, branchFor(schema, value));
            default:
                throw new IllegalStateException("unhandled Avro type " + schema.getType());
        }
    }
}
