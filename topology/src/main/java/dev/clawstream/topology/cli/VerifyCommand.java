package dev.clawstream.topology.cli;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.BundleVerifier;
import dev.clawstream.bundler.VerificationException;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code clawstream verify}: a proof bundle checked offline (docs/proof-bundle.md). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify proof bundles offline: the seal's signature, every chain link, the Merkle root, interim",
                "checkpoints and their consistency, redaction commitments; with --gateway-keys every receipt's",
                "signature; with --wpc the bundle's WPC hash and a re-decision of every recorded decision; with",
                "--issuers every token's signature and every token outcome (expired, revoked, agent, pin) re-decided.",
                "Several files are the segments of one job, checked together. Exit 0 when valid, 2 with the",
                "first failure (check, entry index, expected and actual) otherwise."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "BUNDLE", description = "Bundle documents (JSON), one per segment.")
    List<Path> bundles;

    @Option(names = "--key", required = true, paramLabel = "PUB", description = "The bundler's public key (PEM).")
    Path key;

    @Option(names = "--wpc", paramLabel = "FILE", description = "The WPC the job ran under (repeatable).")
    List<Path> wpcs = List.of();

    @Option(names = "--gateway-keys", paramLabel = "DIR", description = "Trusted gateway public keys (a .pub.pem or a directory).")
    Path gatewayKeys;

    @Option(names = "--issuers", paramLabel = "DIR", description = "Trusted token-issuer public keys (a .pub.pem or a directory of them).")
    Path issuers;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BundleVerifier verifier = BundleVerifier.forKey(Keys.readPublicKey(key));
        if (!wpcs.isEmpty()) {
            List<CompiledPolicy> policies = new ArrayList<>();
            for (Path file : wpcs) {
                WpcParseResult.Valid valid = WpcFiles.readValid(file, err);
                policies.add(CompiledPolicy.compile(valid.wpc(), valid.document().hash()));
            }
            verifier = verifier.withPolicies(policies);
        }
        if (gatewayKeys != null) {
            verifier = verifier.withGatewayKeys(TrustedKeys.load(gatewayKeys));
        }
        if (issuers != null) {
            verifier = verifier.withIssuerKeys(TrustedKeys.load(issuers));
        }
        List<BundleDocument> documents = new ArrayList<>();
        BundleVerifier.Verified verified;
        try {
            for (Path file : bundles) {
                documents.add(BundleDocument.parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
            documents.sort(Comparator.comparingInt(BundleDocument::segmentIndex));
            verified = documents.size() == 1 ? verifier.verify(documents.get(0)) : verifier.verifySegments(documents);
        } catch (VerificationException e) {
            err.println("INVALID: " + e.getMessage());
            err.flush();
            return InvalidInputException.EXIT_CODE;
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        BundleDocument last = documents.get(documents.size() - 1);
        out.println("VALID: job " + last.jobId() + ", " + documents.size() + " segment(s), " + last.entryCount()
                + " entries, chain head " + last.chainHead() + (last.redacted() ? " (redacted copy)" : ""));
        out.println("  checked: seal signature, chain links, Merkle root, checkpoints"
                + (gatewayKeys != null ? ", receipt signatures" : "")
                + (wpcs.isEmpty() ? "" : ", WPC hash, every decision re-decided"));
        if (issuers != null) {
            out.println("  tokens: " + verified.tokenRedecided() + " of " + verified.decisions()
                    + " decisions' token outcomes re-decided (signature, expiry, revocation, agent, pin)");
        }
        if (wpcs.isEmpty()) {
            out.println("  not checked: decisions against the WPC (give --wpc FILE)");
        }
        if (issuers == null) {
            out.println("  not checked: tokens (signature, expiry, revocation, agent, pin; give --issuers DIR)");
        } else if (verified.tokenNotRedecided() > 0) {
            out.println("  not checked: the tokens of " + verified.tokenNotRedecided() + " decision(s), given in an"
                    + " earlier segment (verify every segment of the job together)");
        }
        return 0;
    }
}
