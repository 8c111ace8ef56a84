package dev.clawstream.enforcer.receipt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Timestamps;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.GatewayReceipt;

import java.nio.ByteBuffer;

/**
 * The gateway's signature over a model-call receipt (docs/receipts.md). A receipt is evidence only
 * if it verifies: anyone can write a record to a topic, only the gateway holds its key.
 */
public final class ReceiptSignature {

    /** Domain separation: receipt bytes can never verify as a token or a policy. */
    public static final String TYPE = "clawstream-receipt/v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptSignature() {
    }

    /**
     * RFC 8785 canonical JSON of every field but {@code signature}, plus {@code "type"}; names as in
     * the Avro schema, time as RFC 3339 UTC milliseconds.
     */
    public static byte[] signedBytes(GatewayReceipt receipt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", TYPE);
        node.put("receipt_id", receipt.getReceiptId());
        node.put("time", Timestamps.rfc3339Millis(receipt.getTime()));
        node.put("agent_id", receipt.getAgentId());
        node.put("job_id", receipt.getJobId());
        node.put("provider", receipt.getProvider());
        node.put("model_id", receipt.getModelId());
        node.put("request_sha256", receipt.getRequestSha256());
        node.put("response_sha256", receipt.getResponseSha256());
        node.put("input_tokens", receipt.getInputTokens());
        node.put("output_tokens", receipt.getOutputTokens());
        node.put("cst_scope_hash", receipt.getCstScopeHash());
        node.put("gateway_key_id", receipt.getGatewayKeyId());
        return Jcs.canonicalize(node.toString());
    }

    /** The receipt with {@code gateway_key_id} set to the signer's key id and signed by it. */
    public static GatewayReceipt sign(Signer gateway, GatewayReceipt receipt) {
        GatewayReceipt keyed = GatewayReceipt.newBuilder(receipt).setGatewayKeyId(gateway.keyId().toString())
                .setSignature(ByteBuffer.allocate(0)).build();
        return GatewayReceipt.newBuilder(keyed).setSignature(ByteBuffer.wrap(gateway.sign(signedBytes(keyed)))).build();
    }

    /** Returns normally only when a trusted gateway key signed exactly this receipt. */
    public static void verify(GatewayReceipt receipt, TrustedKeys gateways) throws SignatureInvalidException {
        KeyId keyId;
        try {
            keyId = KeyId.parse(receipt.getGatewayKeyId());
        } catch (IllegalArgumentException e) {
            throw new SignatureInvalidException(SignatureInvalidException.Failure.UNKNOWN_KEY,
                    "receipt " + receipt.getReceiptId() + " names no valid gateway key id: " + e.getMessage());
        }
        ByteBuffer sig = receipt.getSignature().duplicate();
        byte[] signature = new byte[sig.remaining()];
        sig.get(signature);
        gateways.verify(keyId, signedBytes(receipt), signature);
    }
}
