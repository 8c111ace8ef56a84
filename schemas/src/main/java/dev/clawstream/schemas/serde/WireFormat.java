package dev.clawstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format every Kafka ecosystem client understands: one magic byte 0, the schema's
 * registry id as a 4-byte big-endian int, then the Avro binary encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }

    /** The schema id of a framed value, or a {@link SerializationException} saying why it is not framed. */
    public static int schemaId(byte[] framed) {
        if (framed.length < HEADER_SIZE) {
            throw new SerializationException("value of " + framed.length
                    + " bytes is too short for the Confluent wire format (magic byte + 4-byte schema id)");
        }
        if (framed[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "unknown magic byte 0x%02x: not Confluent-framed Avro%s", framed[0] & 0xff,
                    framed[0] == '{' ? " (it looks like JSON)" : ""));
        }
        return ByteBuffer.wrap(framed, 1, ID_SIZE).getInt();
    }

    /** The five header bytes for {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }
}
