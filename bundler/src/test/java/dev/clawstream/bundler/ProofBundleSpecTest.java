package dev.clawstream.bundler;

import dev.clawstream.schemas.DocBlocks;
import dev.clawstream.bundler.note.TlogProof;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/proof-bundle.md and docs/proof-bundle/ are held to what the code computes, so the spec and the
 * code cannot drift: every block of the worked example must be quoted in the document, in order, and
 * every vector file must be byte for byte what the code writes. {@code -Dclawstream.writeVectors=true}
 * rewrites the files and prints the blocks (for editing the document), then still checks.
 */
class ProofBundleSpecTest {

    private static SpecVectors vectors;
    private static Path dir;

    @BeforeAll
    static void compute() throws Exception {
        vectors = new SpecVectors();
        dir = DocBlocks.docs().resolve("proof-bundle");
        if (Boolean.getBoolean("clawstream.writeVectors")) {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : vectors.files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
            StringBuilder out = new StringBuilder();
            vectors.blocks.forEach((label, text) -> out.append("<!-- ").append(label).append(" -->\n```\n")
                    .append(text).append("\n```\n\n"));
            Files.writeString(Path.of("target/proof-bundle-blocks.md"), out.toString());
        }
    }

    @Test
    void theVectorFilesAreWhatTheCodeWrites() throws Exception {
        for (Map.Entry<String, String> f : vectors.files.entrySet()) {
            assertThat(Files.readString(dir.resolve(f.getKey()), StandardCharsets.UTF_8)).as(f.getKey())
                    .isEqualTo(f.getValue());
        }
    }

    @Test
    void theSpecQuotesEveryBlockOfTheWorkedExampleInOrder() throws Exception {
        List<String> quoted = DocBlocks.blocks(Files.readString(DocBlocks.docs().resolve("proof-bundle.md")));
        List<String> missing = new ArrayList<>();
        int at = 0;
        for (Map.Entry<String, String> block : vectors.blocks.entrySet()) {
            int found = quoted.subList(at, quoted.size()).indexOf(block.getValue());
            if (found < 0) {
                missing.add(block.getKey());
            } else {
                at += found + 1;
            }
        }
        assertThat(missing).as("worked-example blocks not quoted (in order) by docs/proof-bundle.md").isEmpty();
    }

    @Test
    void theExampleFilesVerifyWithTheExampleKeys() throws Exception {
        var bundler = Keys.readPublicKey(dir.resolve("bundler.pub.pem"));
        var gateway = Keys.readPublicKey(dir.resolve("gateway.pub.pem"));
        var issuer = Keys.readPublicKey(dir.resolve("issuer.pub.pem"));
        var wpc = JobFixture.compile(Files.readString(dir.resolve("example-wpc.json")));
        BundleVerifier.Verified verified = BundleVerifier.forKey(bundler).withPolicies(List.of(wpc))
                .withGatewayKeys(TrustedKeys.of(List.of(gateway))).withIssuerKeys(TrustedKeys.of(List.of(issuer)))
                .verify(Files.readString(dir.resolve("example-bundle.json")));
        assertThat(verified).as("every decision's token outcome re-decided").isEqualTo(new BundleVerifier.Verified(3, 3, 0));
        BundleVerifier.forKey(bundler).verify(Files.readString(dir.resolve("example-bundle.redacted.json")));
        EntryProof.verify(TlogProof.parse(Files.readString(dir.resolve("example-entry-2.tlog-proof"))), bundler,
                Optional.of("job-1"));
    }
}
