package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code clawstream cst issue|revoke}: job-scoped tokens for teams without a token service. The token
 * is printed as one JSON line in the shape of {@code cst.bindings}, so it can be piped straight into
 * {@code clawstream publish cst.bindings}.
 */
@Command(name = "cst", mixinStandardHelpOptions = true, description = "Issue and revoke job-scoped tokens (docs/cst.md).",
        subcommands = {CstCommand.Issue.class, CstCommand.Revoke.class})
final class CstCommand {

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Issue a token for one job and agent, pinned to WPC hashes or naming a WPC; prints it as a JSON line.")
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions key;

        @Option(names = "--job", required = true)
        String job;

        @Option(names = "--agent", required = true)
        String agent;

        @Option(names = "--pin", paramLabel = "HASH", description = "A WPC hash the job may run under (repeatable).")
        List<String> pins = List.of();

        @Option(names = "--wpc-name", paramLabel = "NAME", description = "Without --pin: the latest WPC of this name applies.")
        String wpcName;

        @Option(names = "--scope", defaultValue = "{}", paramLabel = "JSON",
                description = "The job's intended capabilities as JSON (default: ${DEFAULT-VALUE}).")
        String scope;

        @Option(names = "--attestation", paramLabel = "A", description = "An attestation the issuer vouches for (repeatable).")
        List<String> attestations = List.of();

        @Option(names = "--ttl", defaultValue = "PT1H", paramLabel = "DURATION",
                description = "Lifetime, ISO-8601 (PT1H, PT15M; default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the token to this file.")
        Path out;

        @Override
        public Integer call() throws Exception {
            List<Sha256Hash> hashes = pins.stream().map(Sha256Hash::parse).toList();
            Cst token = new CstIssuer(key.signer(), Clock.systemUTC())
                    .issue(job, agent, scope, hashes, Optional.ofNullable(wpcName), attestations, ttl);
            emit(spec, token, out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token (re-signed with revoked=true); prints the revoked token as a JSON line.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions key;

        @Option(names = "--token", required = true, paramLabel = "FILE", description = "The token to revoke.")
        Path token;

        @Option(names = "--out", paramLabel = "FILE", description = "Also write the revoked token to this file.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Cst cst;
            try {
                cst = CstRecords.fromRecord(AvroJson.fromJson(Files.readString(token, StandardCharsets.UTF_8).trim(),
                        CstRecord.class));
            } catch (AvroJsonException | IllegalArgumentException e) {
                throw new InvalidInputException(token + ": not a token: " + e.getMessage());
            }
            emit(spec, new CstIssuer(key.signer(), Clock.systemUTC()).revoke(cst), out);
            return 0;
        }
    }

    private static void emit(CommandSpec spec, Cst token, Path out) throws Exception {
        String line = AvroJson.toJsonLine(CstRecords.toRecord(token));
        spec.commandLine().getOut().println(line);
        if (out != null) {
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8);
        }
    }
}
