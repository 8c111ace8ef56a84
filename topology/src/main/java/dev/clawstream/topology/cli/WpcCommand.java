package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.enforcer.wpc.WpcDiff;
import dev.clawstream.topology.authoring.StarterWpc;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import picocli.CommandLine.Command;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code clawstream wpc check|hash|sign|verify|diff|publish}: Work Policy Contracts as files. */
@Command(name = "wpc", mixinStandardHelpOptions = true,
        description = "Check, hash, sign, verify, compare and publish Work Policy Contracts (docs/wpc.md).",
        subcommands = {WpcCommand.Check.class, WpcCommand.Hash.class, WpcCommand.Sign.class, WpcCommand.Verify.class,
                WpcCommand.Diff.class, WpcCommand.Publish.class, WpcCommand.Init.class})
final class WpcCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a WPC. Prints every error as FILE:LINE:COLUMN JSON-PATH: message and exits 2,",
                    "or prints its name, version and hash and exits 0."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            WpcParseResult.Valid valid = WpcFiles.readValid(file, spec.commandLine().getErr());
            out.println("valid: " + valid.wpc().name() + valid.wpc().version().map(v -> " version " + v).orElse("")
                    + " " + valid.document().hash());
            return 0;
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write a starter WPC: the common model APIs and package registries on port 443, special-purpose",
                    "address blocks denied, everything else denied by default. Refuses to overwrite FILE."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", defaultValue = "wpc.json", description = "Where to write it (default: ${DEFAULT-VALUE}).")
        Path file;

        @Option(names = "--name", defaultValue = "default-egress", description = "The WPC's name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(file)) {
                throw new InvalidInputException(file + " exists; not overwritten");
            }
            String text = new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(StarterWpc.document(name)) + "\n";
            WpcParseResult.Valid valid = WpcFiles.validDocument(text, file.toString(), spec.commandLine().getErr());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("wrote " + file + ": " + name + " " + valid.document().hash() + ", "
                    + valid.wpc().egress().allowDomains().size() + " destinations allowed on 443, everything else denied");
            return 0;
        }
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Print the WPC hash: sha256 over the RFC 8785 canonical form, as sha256:<hex>.")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(WpcFiles.readValid(file, spec.commandLine().getErr()).document().hash());
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign a WPC's canonical form with the publisher's Ed25519 key.",
                    "Writes FILE.sig (JSON: wpc_hash, publisher_key_id, base64 signature) unless --out says otherwise."})
    static final class Sign implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Mixin
        KeyOptions key;

        @Option(names = "--out", paramLabel = "SIG", description = "Signature file (default: FILE.sig).")
        Path out;

        @Override
        public Integer call() throws Exception {
            WpcParseResult.Valid valid = WpcFiles.readValid(file, spec.commandLine().getErr());
            WpcSignature signature = WpcSignature.sign(key.signer(), valid.document());
            Path target = out != null ? out : Path.of(file + ".sig");
            WpcFiles.writeSignature(signature, target);
            spec.commandLine().getOut().println("signed " + signature.wpcHash() + " with " + signature.publisherKeyId()
                    + " -> " + target);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify a WPC's signature against trusted publisher keys.",
                    "Exit 0 when the signature is a trusted key's over exactly this policy; 2 otherwise, with why."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--signature", paramLabel = "SIG", description = "Signature file (default: FILE.sig).")
        Path signatureFile;

        @Option(names = "--trusted", required = true, paramLabel = "PUB",
                description = "A public key PEM file, or a directory of *.pub.pem files.")
        Path trusted;

        @Override
        public Integer call() throws Exception {
            WpcParseResult.Valid valid = WpcFiles.readValid(file, spec.commandLine().getErr());
            WpcSignature signature = WpcFiles.readSignature(signatureFile != null ? signatureFile : Path.of(file + ".sig"));
            try {
                signature.verify(valid.document(), TrustedKeys.load(trusted));
            } catch (SignatureInvalidException e) {
                spec.commandLine().getErr().println("INVALID: " + e.getMessage());
                throw new InvalidInputException("signature of " + file + " does not verify");
            }
            spec.commandLine().getOut().println("valid: " + valid.document().hash() + " signed by "
                    + signature.publisherKeyId());
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"What NEW widens (more can leave) and narrows (less can leave) compared with OLD:",
                    "the evidence to review before a new WPC hash goes live, or before a rollback."})
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OLD")
        Path before;

        @Parameters(index = "1", paramLabel = "NEW")
        Path after;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WpcParseResult.Valid old = WpcFiles.readValid(before, err);
            WpcParseResult.Valid now = WpcFiles.readValid(after, err);
            out.println(old.document().hash() + " -> " + now.document().hash());
            List<WpcDiff.Change> changes = WpcDiff.between(old.wpc(), now.wpc());
            if (changes.isEmpty()) {
                out.println("no rule changes");
            }
            changes.forEach(out::println);
            return 0;
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Publish a signed WPC to wpc.registry under its hash.",
                    "Signs with --key/--key-env, or sends a signature made elsewhere with --signature (so the publishing",
                    "host never holds the publisher's private key). The enforcer uses it only if the signature is a",
                    "trusted publisher's; unpinned jobs naming this WPC follow it from their next event."})
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Mixin
        KeyOptions key;

        @Option(names = "--signature", paramLabel = "SIG", description = "A detached signature file from `wpc sign`.")
        Path signatureFile;

        @Mixin
        ConnectionOptions connectionOptions;

        @Override
        public Integer call() throws Exception {
            WpcParseResult.Valid valid = WpcFiles.readValid(file, spec.commandLine().getErr());
            WpcSignature signature = signatureFile != null ? WpcFiles.readSignature(signatureFile)
                    : WpcSignature.sign(key.signer(), valid.document());
            WpcRecord record;
            try {
                record = WpcRecords.toRecord(valid, signature, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(signatureFile + ": " + e.getMessage());
            }
            KafkaConnection connection = connectionOptions.connection();
            String topic = ClawTopic.WPC_REGISTRY.topicName(connection.topicPrefix());
            AvroSerializer<WpcRecord> serializer = new AvroSerializer<>(connection.registryClient(), true, false);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    connection.producerProperties("clawstream-wpc-publish"), new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, record.getWpcHash(), serializer.serialize(topic, record))).get();
            }
            spec.commandLine().getOut().println("published " + record.getWpcHash() + " (" + record.getName()
                    + (record.getVersion().isEmpty() ? "" : " v" + record.getVersion()) + ", signed by "
                    + record.getPublisherKeyId() + ") to " + topic);
            return 0;
        }
    }
}
