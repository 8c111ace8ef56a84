package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.crypto.Verifier;
import dev.clawstream.enforcer.wpc.CidrRule;
import dev.clawstream.enforcer.wpc.DomainRule;
import dev.clawstream.enforcer.wpc.Ports;
import dev.clawstream.enforcer.wpc.Wpc;
import dev.clawstream.enforcer.wpc.WpcDiff;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.topology.authoring.AllowlistEdit;
import dev.clawstream.topology.kafka.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code clawstream egress list|add|remove|rollback}: the allowlist of a published WPC, managed like the
 * clawctl CLI but where every change is a new signed version on wpc.registry and every rollback
 * re-publishes a known-good hash.
 */
@Command(name = "egress", mixinStandardHelpOptions = true,
        description = {"Manage the allowlist of a published WPC. Every change is a new signed version on",
                "wpc.registry (the enforcer uses it from the next event); rollback makes a known-good hash the latest again.",
                "stats and blocked report what happened, from the running viewer."},
        subcommands = {EgressCommand.ListRules.class, EgressCommand.Add.class, EgressCommand.Remove.class,
                EgressCommand.Rollback.class, EgressReports.Stats.class, EgressReports.Blocked.class})
final class EgressCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which WPC, whose versions count, and how to reach the registry topic. */
    static final class Target {
        @Option(names = "--wpc", required = true, paramLabel = "NAME", description = "The WPC's name.")
        String name;

        @Option(names = "--trusted", paramLabel = "PUB",
                description = {"Publisher public key PEM file or directory of *.pub.pem whose versions count,",
                        "as the enforcer's --publisher-keys (default: the public key of --key)."})
        Path trusted;

        @Mixin
        ConnectionOptions connectionOptions;

        PublishedWpcs read(Optional<Signer> signer, PrintWriter err) throws IOException {
            TrustedKeys keys;
            if (trusted != null) {
                keys = TrustedKeys.load(trusted);
            } else if (signer.isPresent()) {
                keys = TrustedKeys.of(List.<Verifier>of(signer.get().verifier()));
            } else {
                throw new IllegalArgumentException("give --trusted PUB (or --key, whose public key is then trusted)");
            }
            return PublishedWpcs.read(connectionOptions.connection(), name, keys, err);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the allow and deny rules of the latest version of a WPC, as the enforcer uses it.")
    static final class ListRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Mixin
        KeyOptions key;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Optional<Signer> signer = key.keyFile != null || key.keyEnv != null ? Optional.of(key.signer()) : Optional.empty();
            PublishedWpcs.Version latest = target.read(signer, spec.commandLine().getErr()).latest();
            WpcRecord record = latest.record();
            out.println(record.getName() + " " + latest.label() + " " + record.getWpcHash() + " (published "
                    + record.getPublishedAt() + ", signed by " + record.getPublisherKeyId() + ")");
            Wpc wpc = latest.valid().wpc();
            JsonNode doc = latest.valid().document().json();
            for (DomainRule rule : wpc.egress().allowDomains()) {
                out.println(line("allow", rule.pattern().raw(), rule.ports(), doc.at(rule.pointer())));
            }
            for (CidrRule rule : wpc.egress().allowCidrs()) {
                out.println(line("allow", rule.raw(), rule.ports(), doc.at(rule.pointer())));
            }
            for (DomainRule rule : wpc.egress().denyDomains()) {
                out.println(line("deny", rule.pattern().raw(), rule.ports(), doc.at(rule.pointer())));
            }
            for (CidrRule rule : wpc.egress().denyCidrs()) {
                out.println(line("deny", rule.raw(), rule.ports(), doc.at(rule.pointer())));
            }
            out.println(String.format("%-6s %-40s %s", "deny", "* (everything else)", "default"));
            return 0;
        }

        private static String line(String side, String destination, Ports ports, JsonNode entry) {
            String portText = ports instanceof Ports.Listed listed ? "ports " + listed.ports()
                    : ports instanceof Ports.Every ? "every port" : "scheme default port";
            String note = entry.path("note").isTextual() ? "  # " + entry.path("note").textValue() : "";
            return String.format("%-6s %-40s %s%s", side, destination, portText, note);
        }
    }

    /** Options of a change: the signing key and the escape hatch for special-purpose destinations. */
    abstract static class Change implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Mixin
        KeyOptions key;

        @Option(names = "--port", paramLabel = "P", description = "The port (add: default 443; remove: default every port).")
        Integer port;

        @Parameters(paramLabel = "DOMAIN_OR_CIDR",
                description = "api.example.com, *.example.com, 203.0.113.7 or 198.51.100.0/24")
        String destination;

        abstract ObjectNode edit(JsonNode document, AllowlistEdit.Target destination);

        abstract String verb();

        /** What the author should know about the published version. */
        List<String> warnings(Wpc published, AllowlistEdit.Target destination) {
            return List.of();
        }

        @Override
        public Integer call() throws Exception {
            if (port != null && (port < 1 || port > 65535)) {
                throw new InvalidInputException("--port " + port + " is out of range 1-65535");
            }
            AllowlistEdit.Target parsed;
            try {
                parsed = AllowlistEdit.target(destination);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(destination + ": " + e.getMessage());
            }
            Signer signer = key.signer();
            PublishedWpcs published = target.read(Optional.of(signer), spec.commandLine().getErr());
            PublishedWpcs.Version latest = published.latest();
            ObjectNode next;
            try {
                next = edit(latest.valid().document().json(), parsed);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("nothing published: " + e.getMessage());
            }
            next.put("version", published.nextVersion());
            WpcParseResult.Valid valid = WpcFiles.validDocument(JSON.writeValueAsString(next),
                    "new version of " + target.name, spec.commandLine().getErr());
            WpcRecord record = published.publish(target.connectionOptions.connection(), valid, signer);
            report(spec.commandLine().getOut(), verb(), latest, record, valid.wpc());
            warnings(valid.wpc(), parsed).forEach(spec.commandLine().getErr()::println);
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Allow a domain or CIDR (on --port, default 443) in a new signed version of the WPC.",
                    "Refuses special-purpose destinations (metadata, loopback, RFC 1918, link-local ...) without --allow-special."})
    static final class Add extends Change {
        @Option(names = "--allow-special",
                description = "Allow a destination in a special-purpose range anyway (e.g. an internal service in 10.0.0.0/8).")
        boolean allowSpecial;

        @Override
        ObjectNode edit(JsonNode document, AllowlistEdit.Target destination) {
            Optional<String> special = destination.whySpecial();
            if (special.isPresent() && !allowSpecial) {
                throw new InvalidInputException("refused: " + special.get() + "; allowing it lets an agent reach"
                        + " internal services or instance credentials. Give --allow-special if that is intended.");
            }
            return AllowlistEdit.add(document, destination, port != null ? port : AllowlistEdit.DEFAULT_PORT);
        }

        @Override
        String verb() {
            return "added";
        }

        @Override
        List<String> warnings(Wpc published, AllowlistEdit.Target destination) {
            return AllowlistEdit.shadowingDenyRules(published, destination).stream()
                    .map(rule -> "warning: deny rule " + rule + " still denies (part of) " + this.destination
                            + ": deny wins over allow")
                    .toList();
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop allowing a domain or CIDR (on --port, or on every port) in a new signed version of the WPC.")
    static final class Remove extends Change {
        @Override
        ObjectNode edit(JsonNode document, AllowlistEdit.Target destination) {
            return AllowlistEdit.remove(document, destination, Optional.ofNullable(port));
        }

        @Override
        String verb() {
            return "removed";
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Make a known-good version the latest again: re-publishes exactly the document of HASH",
                    "(same hash, signed with --key), so jobs that name the WPC are decided under HASH from their next event."})
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Mixin
        KeyOptions key;

        @Option(names = "--to", required = true, paramLabel = "HASH", description = "sha256:<hex> of a published version.")
        String hash;

        @Override
        public Integer call() throws Exception {
            Signer signer = key.signer();
            PublishedWpcs published = target.read(Optional.of(signer), spec.commandLine().getErr());
            PublishedWpcs.Version current = published.latest();
            PublishedWpcs.Version known = published.byHash(hash).orElseThrow(() -> new InvalidInputException(
                    "no trusted version of '" + target.name + "' has hash " + hash + " (clawstream egress list shows the latest)"));
            PrintWriter out = spec.commandLine().getOut();
            if (current.record().getWpcHash().equals(hash)) {
                out.println(hash + " (" + known.label() + ") is the latest version of " + target.name + " already; nothing published");
                return 0;
            }
            WpcRecord record = published.publish(target.connectionOptions.connection(), known.valid(), signer);
            report(out, "rolled back to " + known.label() + " of", current, record, known.valid().wpc());
            return 0;
        }
    }

    private static void report(PrintWriter out, String verb, PublishedWpcs.Version before, WpcRecord after, Wpc next) {
        out.println(verb + " " + after.getName() + ": published " + after.getWpcHash() + " (v" + after.getVersion()
                + ", signed by " + after.getPublisherKeyId() + ") as the latest version");
        out.println(before.record().getWpcHash() + " (" + before.label() + ") -> " + after.getWpcHash());
        List<WpcDiff.Change> changes = new ArrayList<>(WpcDiff.between(before.valid().wpc(), next));
        if (changes.isEmpty()) {
            out.println("no rule changes");
        }
        changes.forEach(out::println);
    }
}
