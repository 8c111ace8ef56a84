package dev.clawstream.bundler;

import dev.clawstream.bundler.chain.Commitment;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.chain.Redaction;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.decision.WpcCatalog;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A job decided by the real enforcer under a real WPC and token, and a bundler driven the way the
 * topology drives it (state kept between calls, the segment's entries and checkpoints accumulated
 * beside it). Every key is an RFC 8032 test key, every time and salt fixed, so the bundle is the
 * same bytes on every run: docs/proof-bundle.md quotes it.
 */
final class JobFixture {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** RFC 8032 section 7.1 TEST 3: the bundler's key in the spec's example. */
    static final Signer BUNDLER = key("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7");
    /** TEST 2, the gateway of docs/receipts.md. */
    static final Signer GATEWAY = key("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    /** TEST 1, the issuer of docs/cst.md. */
    static final Signer ISSUER = key("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    static final String WPC = """
            {
              "wpc_version": "v1",
              "name": "research-agent",
              "default": "deny",
              "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}, "pypi.org"]},
              "deny": {"ip_cidrs": ["169.254.169.254/32"]},
              "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]},
              "tools": {"allow": ["http_get"]},
              "data_handling": {"redact": ["tool"]}
            }
            """;

    static final CompiledPolicy POLICY = compile(WPC);
    static final Cst TOKEN = token();

    private JobFixture() {
    }

    static Signer key(String hex) {
        return Keys.privateKeyFromRaw(HexFormat.of().parseHex(hex));
    }

    static CompiledPolicy compile(String wpc) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(wpc, "wpc.json");
        return CompiledPolicy.compile(valid.wpc(), valid.document().hash());
    }

    /** Salt i is 32 bytes of value i + 1: readable in the spec, and never used outside tests. */
    static SaltSource countingSalts() {
        int[] next = {0};
        return () -> {
            byte[] salt = new byte[Commitment.SALT_LENGTH];
            Arrays.fill(salt, (byte) ++next[0]);
            return salt;
        };
    }

    private static Cst token() {
        String scope = "{\"tools\":[\"http_get\"]}";
        Cst unsigned = new Cst("cst-1", "job-1", "agent-1", Optional.of(Jcs.canonicalString(scope)), Jcs.hash(scope),
                List.of(POLICY.hash()), Optional.empty(), List.of(), T0, T0.plus(Duration.ofHours(1)), false,
                Optional.empty(), ISSUER.keyId(), new byte[0]);
        return new Cst(unsigned.tokenId(), unsigned.jobId(), unsigned.agentId(), unsigned.scope(), unsigned.scopeHash(),
                unsigned.pinnedWpcHashes(), unsigned.wpcName(), unsigned.attestations(), unsigned.issuedAt(),
                unsigned.expiresAt(), false, Optional.empty(), unsigned.issuerKeyId(),
                ISSUER.sign(unsigned.signedBytes()));
    }

    static Enforcer enforcer(Instant now, CompiledPolicy... known) {
        WpcCatalog catalog = new WpcCatalog() {
            @Override
            public Optional<CompiledPolicy> byHash(Sha256Hash hash) {
                return Arrays.stream(known).filter(p -> p.hash().equals(hash)).findFirst();
            }

            @Override
            public Optional<CompiledPolicy> latestByName(String name) {
                return Optional.empty();
            }
        };
        return new Enforcer(new PolicyEngine(new CstCheck(TrustedKeys.of(List.of(ISSUER.verifier())))), catalog,
                TrustedKeys.of(List.of(GATEWAY.verifier())), Clock.fixed(now, ZoneOffset.UTC));
    }

    static EgressEvent event(String id, Instant time, String url, String tool, Verdict sidecar) {
        return EgressEvent.newBuilder().setEventId(id).setTime(time).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy-1").setUrl(url).setMethod("GET").setTool(tool).setBytesOut(512).setBytesIn(2048)
                .setSidecarVerdict(sidecar).build();
    }

    static GatewayReceipt receipt(String id, Instant time, String model) {
        GatewayReceipt unsigned = GatewayReceipt.newBuilder().setReceiptId(id).setTime(time).setAgentId("agent-1")
                .setJobId("job-1").setProvider("openrouter").setModelId(model).setRequestSha256("aa".repeat(32))
                .setResponseSha256("bb".repeat(32)).setInputTokens(812).setOutputTokens(96)
                .setCstScopeHash(TOKEN.scopeHash().toString()).setGatewayKeyId("").setSignature(ByteBuffer.allocate(0))
                .build();
        return ReceiptSignature.sign(GATEWAY, unsigned);
    }

    static KeyId bundlerKeyId() {
        return BUNDLER.keyId();
    }

    /** What the topology keeps for one job: the state, and the current segment's entries and checkpoints. */
    static final class Recorder {
        final BundleSealer sealer;
        final Redaction redaction;
        BundleState state;
        final List<DocumentEntry> entries = new ArrayList<>();
        final List<String> checkpoints = new ArrayList<>();
        final List<BundleSealer.Sealed> sealed = new ArrayList<>();

        Recorder(SealerConfig config, SaltSource salts, Header header, Instant now) {
            this.sealer = new BundleSealer(BUNDLER, config);
            this.redaction = Redaction.destinations(salts).withFields(POLICY.wpc().dataHandling().redact());
            accept(sealer.start(header, now));
        }

        Recorder decision(Decision d, Instant now) {
            return accept(sealer.append(roundTrip(state), Entry.decision(d, redaction), now));
        }

        Recorder receipt(GatewayReceipt r, Instant now) {
            return accept(sealer.append(roundTrip(state), Entry.receipt(r, redaction), now));
        }

        Recorder tick(Instant now) {
            sealer.checkpointIfDue(state, now).ifPresent(c -> {
                state = c.state();
                checkpoints.add(c.checkpoint());
            });
            return this;
        }

        BundleSealer.Sealed close(SealReason reason, Instant time) {
            BundleSealer.Sealed s = sealer.close(roundTrip(state), stored(entries), List.copyOf(checkpoints), reason,
                    Optional.of("job finished"), time);
            afterSeal(s);
            return s;
        }

        private Recorder accept(BundleSealer.Appended appended) {
            state = appended.state();
            entries.add(appended.entry());
            appended.checkpoint().ifPresent(checkpoints::add);
            if (appended.segmentFull()) {
                afterSeal(sealer.cutSegment(roundTrip(state), stored(entries), List.copyOf(checkpoints),
                        state.lastAppendAt()));
            }
            return this;
        }

        private void afterSeal(BundleSealer.Sealed s) {
            sealed.add(s);
            state = s.state();
            entries.clear();
            checkpoints.clear();
        }

        /** As through the state store: every call works on a state read back from bytes. */
        private static BundleState roundTrip(BundleState s) {
            return BundleState.fromBytes(s.toBytes());
        }

        /** As through the segment store: entries read back from their JSON text. */
        private static List<DocumentEntry> stored(List<DocumentEntry> entries) {
            List<DocumentEntry> out = new ArrayList<>();
            for (DocumentEntry e : entries) {
                try {
                    out.add(DocumentEntry.parse(e.toJsonText()));
                } catch (VerificationException ex) {
                    throw new AssertionError(ex);
                }
            }
            return out;
        }

        List<BundleDocument> documents() {
            return sealed.stream().map(BundleSealer.Sealed::full).toList();
        }
    }

    /** The spec's example job: a header, three decisions, a receipt, an interim checkpoint, the close. */
    static BundleSealer.Sealed exampleBundle() {
        Instant t1 = T0.plusSeconds(1);
        Enforcer enforcer = enforcer(t1, POLICY);
        JobContext job = new JobContext(Optional.of(TOKEN), false);
        Decision allowed = enforcer.decide(event("e-1", t1, "https://api.openai.com/v1/chat/completions", "http_get",
                Verdict.ALLOW), job);
        // The job's first decision under its token carries the token, as the enforcer's topology attaches it.
        allowed.setCst(CstRecords.toRecord(TOKEN));
        Decision metadata = enforcer.decide(event("e-2", t1, "http://169.254.169.254/latest/meta-data/", "http_get",
                Verdict.ALLOW), job);
        GatewayReceipt receipt = receipt("r-1", t1, "openai/gpt-4o-mini");
        Decision modelCall = enforcer.decide(receipt, job);
        Header header = new Header("job-1", "agent-1", Optional.of(POLICY.hash()), Optional.of(TOKEN.scopeHash()),
                Optional.of(TOKEN.tokenId()), T0, List.of(POLICY.hash()));
        SealerConfig config = new SealerConfig(SealerConfig.DEFAULT_ORIGIN_PREFIX, 3, Duration.ofMinutes(1),
                900_000, Duration.ofMinutes(30));
        Recorder r = new Recorder(config, countingSalts(), header, T0);
        r.decision(allowed, t1).decision(metadata, t1).receipt(receipt, t1).decision(modelCall, t1);
        return r.close(SealReason.JOB_CLOSED, T0.plusSeconds(60));
    }
}
