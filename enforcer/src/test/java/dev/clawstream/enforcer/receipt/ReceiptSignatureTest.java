package dev.clawstream.enforcer.receipt;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.DocBlocks;
import dev.clawstream.schemas.GatewayReceipt;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceiptSignatureTest {

    /** RFC 8032 TEST 2 secret key: the docs/receipts.md example is reproducible by anyone. */
    private static final Signer GATEWAY = Keys.privateKeyFromRaw(
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    private static final TrustedKeys TRUSTED = TrustedKeys.of(List.of(GATEWAY.verifier()));
    static final String EXAMPLE_SIGNATURE_HEX = "3006188177b9fcca78451da06c803e62f3244307d40db5478f7eff405463d6ca50b0a48cb9fe6c162ea78e61587123d6283c7a946a1798180cfc311208ba1b06";

    private static GatewayReceipt example() {
        return GatewayReceipt.newBuilder().setReceiptId("r-1").setTime(Instant.parse("2026-11-22T10:15:30.123Z"))
                .setAgentId("agent-1").setJobId("job-1").setProvider("openrouter").setModelId("openai/gpt-4o-mini")
                .setRequestSha256("aa".repeat(32)).setResponseSha256("bb".repeat(32)).setInputTokens(812)
                .setOutputTokens(96).setCstScopeHash("sha256:" + "cd".repeat(32)).setGatewayKeyId("")
                .setSignature(ByteBuffer.allocate(0)).build();
    }

    @Test
    void signedBytesAreTheDocumentedCanonicalJson() {
        GatewayReceipt signed = ReceiptSignature.sign(GATEWAY, example());

        assertThat(new String(ReceiptSignature.signedBytes(signed), StandardCharsets.UTF_8)).isEqualTo(
                "{\"agent_id\":\"agent-1\",\"cst_scope_hash\":\"sha256:" + "cd".repeat(32) + "\","
                        + "\"gateway_key_id\":\"" + GATEWAY.keyId() + "\",\"input_tokens\":812,\"job_id\":\"job-1\","
                        + "\"model_id\":\"openai/gpt-4o-mini\",\"output_tokens\":96,\"provider\":\"openrouter\","
                        + "\"receipt_id\":\"r-1\",\"request_sha256\":\"" + "aa".repeat(32) + "\","
                        + "\"response_sha256\":\"" + "bb".repeat(32) + "\",\"time\":\"2026-11-22T10:15:30.123Z\","
                        + "\"type\":\"clawstream-receipt/v1\"}");
        assertThat(HexFormat.of().formatHex(signed.getSignature().array())).isEqualTo(EXAMPLE_SIGNATURE_HEX);
    }

    @Test
    void theDocumentQuotesTheBytesAndSignatureThisTestAsserts() throws Exception {
        GatewayReceipt signed = ReceiptSignature.sign(GATEWAY, example());
        String doc = Files.readString(DocBlocks.docs().resolve("receipts.md"));

        assertThat(DocBlocks.blocks(doc)).contains(
                new String(ReceiptSignature.signedBytes(signed), StandardCharsets.UTF_8), EXAMPLE_SIGNATURE_HEX);
        assertThat(doc).contains(GATEWAY.keyId().toString());
    }

    @Test
    void aMalformedKeyIdOrAShortSignatureIsRejectedWithItsReason() {
        GatewayReceipt signed = ReceiptSignature.sign(GATEWAY, example());
        GatewayReceipt noKeyId = GatewayReceipt.newBuilder(signed).setGatewayKeyId("gateway-1").build();
        GatewayReceipt shortSignature = GatewayReceipt.newBuilder(signed)
                .setSignature(ByteBuffer.wrap(java.util.Arrays.copyOf(signed.getSignature().array(), 63))).build();

        assertThatThrownBy(() -> ReceiptSignature.verify(noKeyId, TRUSTED))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.UNKNOWN_KEY));
        assertThatThrownBy(() -> ReceiptSignature.verify(shortSignature, TRUSTED))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.BAD_SIGNATURE));
    }

    @Test
    void aSignedReceiptVerifies() throws Exception {
        ReceiptSignature.verify(ReceiptSignature.sign(GATEWAY, example()), TRUSTED);
    }

    @Test
    void everyChangedFieldBreaksTheSignature() {
        GatewayReceipt signed = ReceiptSignature.sign(GATEWAY, example());
        List<UnaryOperator<GatewayReceipt.Builder>> tampers = List.of(
                b -> b.setModelId("openai/gpt-4o"), b -> b.setProvider("openai"), b -> b.setJobId("job-2"),
                b -> b.setAgentId("agent-2"), b -> b.setCstScopeHash("sha256:" + "ce".repeat(32)),
                b -> b.setOutputTokens(97), b -> b.setTime(Instant.parse("2026-11-22T10:15:30.124Z")),
                b -> b.setResponseSha256("bc".repeat(32)));
        for (UnaryOperator<GatewayReceipt.Builder> tamper : tampers) {
            GatewayReceipt forged = tamper.apply(GatewayReceipt.newBuilder(signed)).build();
            assertThatThrownBy(() -> ReceiptSignature.verify(forged, TRUSTED))
                    .isInstanceOfSatisfying(SignatureInvalidException.class,
                            e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.BAD_SIGNATURE));
        }
    }

    @Test
    void aReceiptFromAnUnknownGatewayIsRejectedAsSuch() {
        GatewayReceipt signed = ReceiptSignature.sign(Keys.generate(), example());

        assertThatThrownBy(() -> ReceiptSignature.verify(signed, TRUSTED))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.UNKNOWN_KEY));
    }
}
