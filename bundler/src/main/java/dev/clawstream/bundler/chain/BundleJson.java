package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;

/**
 * The one strict JSON reader and writer of bundle documents. A repeated key is refused: two readers
 * that keep different copies of a key would hash and display different entries.
 */
public final class BundleJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private BundleJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Parses one JSON object; anything else is a FORMAT failure naming where it broke. */
    public static ObjectNode parseObject(String json, String what) throws VerificationException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw VerificationException.of(Check.FORMAT, what + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
        if (!(node instanceof ObjectNode object)) {
            throw VerificationException.of(Check.FORMAT, what + " is not a JSON object");
        }
        return object;
    }
}
