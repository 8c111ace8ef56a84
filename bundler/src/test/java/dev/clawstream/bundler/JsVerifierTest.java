package dev.clawstream.bundler;

import dev.clawstream.schemas.DocBlocks;
import dev.clawstream.bundler.note.TlogProof;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The second verifier (verifier-js/, written from docs/proof-bundle.md, Node's built-in crypto only)
 * against the spec's vectors, against bundles and proofs the Java side seals, and against the same
 * tamper family the Java verifier rejects: it must reject each, naming the same check. Skipped where
 * node is not installed.
 */
class JsVerifierTest {

    private static Path verifierJs;
    private static Path examples;

    @BeforeAll
    static void findNode() {
        assumeTrue(nodeAvailable(), "node not installed");
        verifierJs = DocBlocks.docs().resolveSibling("verifier-js");
        examples = DocBlocks.docs().resolve("proof-bundle");
    }

    record Run(int exit, String out, String err) {
        /** The check a rejection names: "INVALID CHECK ..." on stderr. */
        String check() {
            return err.startsWith("INVALID ") ? err.substring(8).split("[ :]")[0] : "";
        }

        /** The entry a rejection names ("INVALID CHECK at entry N: ..."), or {@link Tampering#NO_ENTRY}. */
        long entryIndex() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^INVALID \\w+ at entry (\\d+):").matcher(err);
            return m.find() ? Long.parseLong(m.group(1)) : Tampering.NO_ENTRY;
        }
    }

    @Test
    void theSpecVectorsAgreeWithBothCryptoProviders() throws Exception {
        Run run = node(verifierJs.resolve("test/vectors.mjs").toString(), examples.resolve("vectors.json").toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void theSpecExampleVerifiesWithNodeCryptoAndWithWebCrypto() throws Exception {
        String key = examples.resolve("bundler.pub.pem").toString();
        for (String provider : List.of("", "--webcrypto")) {
            for (String file : List.of("example-bundle.json", "example-bundle.redacted.json")) {
                Run run = cli(provider, examples.resolve(file).toString(), "--key", key);
                assertThat(run.exit()).as(file + " " + provider + ": " + run.err()).isZero();
            }
            Run proof = cli(provider, "--proof", examples.resolve("example-entry-2.tlog-proof").toString(), "--key", key,
                    "--job", "job-1");
            assertThat(proof.exit()).as(proof.err()).isZero();
            assertThat(proof.out()).contains("\"reason\":\"DENIED_CIDR\"");
        }
    }

    @Test
    void givenTheIssuerKeysTheTokensOfTheSpecExampleAreChecked() throws Exception {
        String key = examples.resolve("bundler.pub.pem").toString();
        String bundle = examples.resolve("example-bundle.json").toString();
        for (String provider : List.of("", "--webcrypto")) {
            Run signed = cli(provider, bundle, "--key", key, "--issuers", examples.toString());
            assertThat(signed.exit()).as(signed.err()).isZero();
            assertThat(signed.out()).contains("OK tokens: 1 token(s)").contains("3 decision(s) under them");

            // Another issuer than the one that signed the job's token: its allowed call cannot stand.
            Run forged = cli(provider, bundle, "--key", key, "--issuers", examples.resolve("gateway.pub.pem").toString());
            assertThat(forged.exit()).isEqualTo(2);
            assertThat(forged.check()).isEqualTo("DECISION");
            assertThat(forged.entryIndex()).isEqualTo(1);
            assertThat(forged.err()).contains("got ALLOWED_DOMAIN, want CST_SIGNATURE_INVALID");
        }
        Run unchecked = cli("", bundle, "--key", key);
        assertThat(unchecked.out()).contains("NOT CHECKED tokens (give --issuers DIR)");
    }

    @Test
    void everySegmentJavaSealsVerifiesFullAndRedacted(@TempDir Path dir) throws Exception {
        Path key = publicKey(dir);
        List<BundleDocument> segments = BundleSealerTest.longJob(120, 16 * 1024).documents();
        assertThat(segments.size()).isGreaterThan(1);
        for (BundleDocument segment : segments) {
            for (BundleDocument doc : List.of(segment, segment.withoutOpenings())) {
                Path file = dir.resolve("segment-" + doc.segmentIndex() + (doc.redacted() ? "-redacted" : "") + ".json");
                Files.writeString(file, doc.toJson());
                Run run = cli("", file.toString(), "--key", key.toString());
                assertThat(run.exit()).as(file + ": " + run.err()).isZero();
            }
        }
    }

    @Test
    void aJobsSegmentsVerifyTogetherOnlyInOrderAndComplete(@TempDir Path dir) throws Exception {
        Path key = publicKey(dir);
        List<BundleDocument> segments = BundleSealerTest.longJob(120, 16 * 1024).documents();
        List<String> files = new ArrayList<>();
        for (BundleDocument segment : segments) {
            Path file = dir.resolve("job-segment-" + segment.segmentIndex() + ".json");
            Files.writeString(file, segment.toJson());
            files.add(file.toString());
        }
        List<String> all = new ArrayList<>(files);
        all.addAll(List.of("--key", key.toString()));
        assertThat(cli("", all.toArray(String[]::new)).exit()).isZero();

        List<String> gap = new ArrayList<>(files);
        gap.remove(1);
        gap.addAll(List.of("--key", key.toString()));
        Run missing = cli("", gap.toArray(String[]::new));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.check()).isEqualTo("SEGMENT");
    }

    @Test
    void everyEntryProofJavaWritesVerifies(@TempDir Path dir) throws Exception {
        Path key = publicKey(dir);
        BundleDocument last = BundleSealerTest.longJob(40, 16 * 1024).documents().get(1);
        for (DocumentEntry e : last.entries().subList(0, Math.min(6, last.entries().size()))) {
            Path file = dir.resolve("entry-" + e.index() + ".tlog-proof");
            Files.writeString(file, EntryProof.prove(last, e.index()).format());
            Run run = cli("", "--proof", file.toString(), "--key", key.toString(), "--job", "job-1");
            assertThat(run.exit()).as(file + ": " + run.err()).isZero();
        }
    }

    @Test
    void everyTamperedBundleIsRejectedNamingTheSameCheckAsJava(@TempDir Path dir) throws Exception {
        Path key = publicKey(dir);
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Tampering.Case> c : BundleTamperTest.family().entrySet()) {
            Path file = dir.resolve("tampered-" + i++ + ".json");
            Files.writeString(file, c.getValue().document());
            Run run = cli("", file.toString(), "--key", key.toString());
            if (run.exit() != 2 || !run.check().equals(c.getValue().expected().name())
                    || run.entryIndex() != c.getValue().index()) {
                wrong.add(c.getKey() + ": exit " + run.exit() + ", " + run.err().strip() + " (want "
                        + c.getValue().expected() + " at entry " + c.getValue().index() + ")");
            }
        }
        assertThat(wrong).as("tampered bundles the JavaScript verifier accepted or named differently").isEmpty();
    }

    @Test
    void aTamperedProofIsRejected(@TempDir Path dir) throws Exception {
        Path key = publicKey(dir);
        String good = Files.readString(examples.resolve("example-entry-2.tlog-proof"));
        TlogProof p = TlogProof.parse(good);
        List<String> tampered = List.of(good.replace("\nindex 2\n", "\nindex 3\n"),
                good.replace("\n6\n", "\n7\n"), Tampering.flipSignature(good),
                new TlogProof(p.extra(), 2, p.path().subList(0, 2), p.checkpoint()).format());
        for (int i = 0; i < tampered.size(); i++) {
            Path file = dir.resolve("proof-" + i);
            Files.writeString(file, tampered.get(i));
            Run run = cli("", "--proof", file.toString(), "--key", key.toString());
            assertThat(run.exit()).as(tampered.get(i) + run.err()).isEqualTo(2);
        }
    }

    private static Path publicKey(Path dir) throws IOException {
        Path key = dir.resolve("bundler.pub.pem");
        Files.writeString(key, JobFixture.BUNDLER.verifier().publicKeyPem());
        return key;
    }

    private static Run cli(String provider, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(verifierJs.resolve("cli.mjs").toString()));
        command.addAll(List.of(args));
        if (!provider.isEmpty()) {
            command.add(provider);
        }
        return node(command.toArray(String[]::new));
    }

    private static Run node(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node did not finish: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
