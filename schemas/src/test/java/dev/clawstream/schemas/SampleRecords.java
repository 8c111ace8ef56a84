package dev.clawstream.schemas;

import dev.clawstream.schemas.catalog.ClawTopic;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic value for every topic of the catalog, for round-trip tests. */
public final class SampleRecords {

    public static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");
    public static final String JOB = "job-7f3a";
    public static final String AGENT = "agent-triage-1";
    private static final String WPC_HASH = "sha256:" + "ab".repeat(32);
    private static final String SCOPE_HASH = "sha256:" + "cd".repeat(32);

    private SampleRecords() {
    }

    public static SpecificRecord of(ClawTopic topic) {
        return switch (topic) {
            case EGRESS_EVENTS -> egressEvent();
            case GATEWAY_RECEIPTS -> receipt();
            case WPC_REGISTRY -> WpcRecord.newBuilder().setWpcHash(WPC_HASH).setName("triage-egress").setVersion("3")
                    .setDocument("{\"default\":\"deny\",\"name\":\"triage-egress\"}")
                    .setPublisherKeyId("sha256:" + "01".repeat(32)).setSignature(bytes(64, 7))
                    .setPublishedAt(T0).build();
            case CST_BINDINGS -> CstRecord.newBuilder().setTokenId("cst-1").setJobId(JOB).setAgentId(AGENT)
                    .setScope("{\"tools\":[\"http\"]}").setScopeHash(SCOPE_HASH).setPinnedWpcHashes(List.of(WPC_HASH))
                    .setAttestations(List.of("needs_go_packages")).setIssuedAt(T0)
                    .setExpiresAt(T0.plusSeconds(3600)).setIssuerKeyId("sha256:" + "02".repeat(32))
                    .setSignature(bytes(64, 9)).build();
            case JOBS_LIFECYCLE -> JobEvent.newBuilder().setJobId(JOB).setType(JobEventType.CLOSED).setTime(T0)
                    .setAgentId(AGENT).setReason("completed").build();
            case EGRESS_DECISIONS -> Decision.newBuilder().setDecisionId("d-1").setTime(T0).setJobId(JOB)
                    .setAgentId(AGENT).setInput(egressEvent()).setVerdict(Verdict.DENY)
                    .setReason(ReasonCode.DEFAULT_DENY).setDetail("attacker.com matches no allow rule")
                    .setWpcHash(WPC_HASH).setCstScopeHash(SCOPE_HASH).setTokenId("cst-1")
                    .setMode(PolicyMode.ENFORCE).setSidecarMismatch(true).build();
            case ALERTS -> Alert.newBuilder().setAlertId("a-1").setTime(T0).setKind(AlertKind.POLICY_BYPASS)
                    .setSeverity(Severity.CRITICAL).setRuleName("sidecar-bypass").setAgentId(AGENT).setJobId(JOB)
                    .setWindowStart(T0.minusSeconds(300)).setWindowEnd(T0).setCount(3).setSuppressed(2)
                    .setEvidence(List.of(Evidence.newBuilder().setEventId("e-1").setTime(T0)
                            .setDestination("https://attacker.com/collect").build()))
                    .setWpcHash(WPC_HASH).setDedupeKey("POLICY_BYPASS|" + AGENT).setNotify(List.of("soc-pager"))
                    .build();
            case PROOF_BUNDLES, TRUST_PULSE -> ProofBundle.newBuilder().setJobId(JOB).setSegmentIndex(0)
                    .setFinalSegment(true).setEntryCount(12).setChainHead("sha256:" + "ee".repeat(32))
                    .setMerkleRoot("sha256:" + "ff".repeat(32)).setBundlerKeyId("sha256:" + "03".repeat(32))
                    .setSealedAt(T0).setSealReason(SealReason.JOB_CLOSED).setRedacted(topic == ClawTopic.TRUST_PULSE)
                    .setBundle("{\"job\":\"" + JOB + "\"}").setSeal("clawstream/bundles\n12\n7w==\n\n— sig\n").build();
            case DEADLETTER -> DeadLetter.newBuilder().setSourceTopic("clawstream.egress.events").setSourcePartition(2)
                    .setSourceOffset(41).setRawKey(ByteBuffer.wrap(JOB.getBytes(StandardCharsets.UTF_8)))
                    .setRawValue(ByteBuffer.wrap(new byte[] {0x7b, 0x0a})).setError("not Confluent-framed Avro")
                    .setExceptionClass("org.apache.kafka.common.errors.SerializationException")
                    .setStage("enforcer").setTime(T0).build();
            case EGRESS_EVENTS_JSON -> throw new IllegalArgumentException(topic + " carries JSON text, not Avro");
        };
    }

    public static EgressEvent egressEvent() {
        return EgressEvent.newBuilder().setEventId("e-1").setTime(T0).setAgentId(AGENT).setJobId(JOB)
                .setSidecarId("envoy-7").setUrl("https://attacker.com/collect").setHost("attacker.com").setPort(443)
                .setResolvedIp("203.0.113.9").setMethod("POST").setBytesOut(48213).setBytesIn(120)
                .setSidecarVerdict(Verdict.ALLOW).setAttributes(Map.of("response_flags", "-")).build();
    }

    public static GatewayReceipt receipt() {
        return GatewayReceipt.newBuilder().setReceiptId("r-1").setTime(T0).setAgentId(AGENT).setJobId(JOB)
                .setProvider("openrouter").setModelId("openai/gpt-4o-mini").setRequestSha256("aa".repeat(32))
                .setResponseSha256("bb".repeat(32)).setInputTokens(812).setOutputTokens(96)
                .setCstScopeHash(SCOPE_HASH).setGatewayKeyId("sha256:" + "04".repeat(32)).setSignature(bytes(64, 5))
                .build();
    }

    private static ByteBuffer bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return ByteBuffer.wrap(b);
    }
}
