package dev.clawstream.topology.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyDecision;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.policy.PolicyLayers;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code clawstream decide}: the policy engine offline. JSON lines in, one decision per line out, in
 * input order; a line that cannot be read is denied with the reason, never a crash.
 */
@Command(name = "decide", mixinStandardHelpOptions = true,
        description = {"Decide JSON lines from stdin against a WPC (and a job's token), offline.",
                "Input fields: url (or host and port, optional scheme), ip (the resolved address), agent, job, tool,",
                "redirect_from (the URL that redirected here);",
                "or provider and model for a model call. Output: one JSON line per input with verdict, reason,",
                "matched_rule, wpc_hash, detail (and would_be_verdict, would_be_reason in monitor mode;",
                "policy_hash and wpc_layer_hashes when the WPC extends others)."})
final class DecideCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @Spec
    CommandSpec spec;

    @Option(names = "--wpc", required = true, paramLabel = "FILE", description = "The Work Policy Contract.")
    Path wpcFile;

    @Option(names = "--layer", paramLabel = "FILE",
            description = "A WPC the --wpc one extends, directly or not (repeatable): the layers are composed as the enforcer does.")
    List<Path> layerFiles = List.of();

    @Option(names = "--cst", paramLabel = "FILE",
            description = "The job's token (JSON, as 'clawstream cst issue' writes it). Without it, the policy alone decides.")
    Path cstFile;

    @Option(names = "--issuers", paramLabel = "PUB",
            description = "Trusted token issuer keys: a .pub.pem file or a directory of them (required with --cst).")
    Path issuers;

    @Option(names = "--now", paramLabel = "TIME", description = "Decide as of this instant (ISO-8601; default: now).")
    Instant now;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WpcParseResult.Valid valid = WpcFiles.readValid(wpcFile, spec.commandLine().getErr());
        Map<Sha256Hash, CompiledPolicy> layers = new HashMap<>();
        for (Path file : layerFiles) {
            WpcParseResult.Valid layer = WpcFiles.readValid(file, spec.commandLine().getErr());
            layers.put(layer.document().hash(), CompiledPolicy.compile(layer.wpc(), layer.document().hash()));
        }
        CompiledPolicy policy;
        try {
            policy = PolicyLayers.resolve(CompiledPolicy.compile(valid.wpc(), valid.document().hash()),
                    h -> Optional.ofNullable(layers.get(h)));
        } catch (PolicyLayers.LayerException e) {
            throw new InvalidInputException(wpcFile + ": " + e.getMessage() + " (give it with --layer FILE)");
        }
        Optional<Cst> cst = Optional.empty();
        TrustedKeys trusted = TrustedKeys.none();
        if (cstFile != null) {
            if (issuers == null) {
                throw new InvalidInputException("--cst needs --issuers: a token is only as good as its signature");
            }
            trusted = TrustedKeys.load(issuers);
            cst = Optional.of(readToken(cstFile));
        }
        PolicyEngine engine = new PolicyEngine(new CstCheck(trusted));
        Instant at = now != null ? now : Instant.now();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                out.println(decide(line, policy, engine, cst, at));
                out.flush();
            }
        }
        return 0;
    }

    private ObjectNode decide(String line, CompiledPolicy policy, PolicyEngine engine, Optional<Cst> cst, Instant at) {
        JsonNode input;
        try {
            input = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return invalid(policy, "not JSON: " + e.getOriginalMessage());
        }
        if (!input.isObject()) {
            return invalid(policy, "not a JSON object");
        }
        String agent = text(input, "agent").orElse("");
        Optional<String> provider = text(input, "provider");
        Optional<String> model = text(input, "model");
        PolicyDecision decision;
        ObjectNode result = JSON.createObjectNode();
        if (provider.isPresent() || model.isPresent()) {
            decision = cstFile == null
                    ? policy.decideModelCall(provider.orElse(""), model.orElse(""))
                    : engine.decideModelCall(policy, cst, agent, at, provider.orElse(""), model.orElse(""));
        } else {
            ParsedDestination destination;
            if (text(input, "url").isPresent()) {
                destination = DestinationParser.parseUrl(text(input, "url").get());
            } else if (text(input, "host").isPresent()) {
                JsonNode port = input.get("port");
                if (port != null && !port.isIntegralNumber()) {
                    return invalid(policy, "port must be an integer");
                }
                destination = DestinationParser.parseHostPort(text(input, "host").get(),
                        port == null ? null : port.asInt(), text(input, "scheme").orElse(null));
            } else {
                return invalid(policy, "no url, host or model in the line");
            }
            if (destination instanceof ParsedDestination.EgressDestination d) {
                result.put("destination", d.toString());
            }
            // The target is decided on its own below; the source is judged apart, as the enforcer records it.
            text(input, "redirect_from").ifPresent(source -> result.put("redirect_source_verdict",
                    policy.enforcedVerdict(DestinationParser.parseUrl(source), PolicyEngine.attestations(cst)).name()));
            decision = cstFile == null
                    ? policy.decideEgress(destination, text(input, "ip"), text(input, "tool"), Set.of())
                    : engine.decideEgress(policy, cst, agent, at, destination, text(input, "ip"), text(input, "tool"));
        }
        if (policy.layerHashes().size() > 1) {
            result.put("policy_hash", policy.effectiveHash().toString());
            policy.layerHashes().forEach(h -> result.withArray("wpc_layer_hashes").add(h.toString()));
        }
        return render(decision, result);
    }

    private static ObjectNode render(PolicyDecision decision, ObjectNode result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("verdict", decision.verdict().name());
        node.put("reason", decision.reason().name());
        if (decision.matchedRule().isPresent()) {
            node.put("matched_rule", decision.matchedRule().get());
        } else {
            node.putNull("matched_rule");
        }
        node.put("wpc_hash", decision.wpcHash().map(Object::toString).orElse(null));
        node.put("mode", decision.mode().name());
        decision.wouldBeVerdict().ifPresent(v -> node.put("would_be_verdict", v.name()));
        decision.wouldBeReason().ifPresent(r -> node.put("would_be_reason", r.name()));
        node.setAll(result);
        node.put("detail", decision.detail());
        return node;
    }

    private static ObjectNode invalid(CompiledPolicy policy, String error) {
        ObjectNode node = JSON.createObjectNode();
        node.put("verdict", "DENY");
        node.put("reason", "INVALID_DESTINATION");
        node.putNull("matched_rule");
        node.put("wpc_hash", policy.hash().toString());
        node.put("error", error);
        return node;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Cst readToken(Path file) throws Exception {
        try {
            return CstRecords.fromRecord(AvroJson.fromJson(Files.readString(file, StandardCharsets.UTF_8).trim(),
                    CstRecord.class));
        } catch (AvroJsonException | IllegalArgumentException e) {
            throw new InvalidInputException(file + ": not a token: " + e.getMessage());
        }
    }
}
