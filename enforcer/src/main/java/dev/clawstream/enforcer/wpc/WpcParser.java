package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.schemas.PolicyMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a WPC document strictly (docs/wpc.md): every unknown field, wrong type, bad pattern, CIDR or
 * port is reported with its line, column and JSON path, all of them in one pass. Strict because a field
 * this parser ignored would be a rule the author believes is enforced and is not.
 */
public final class WpcParser {

    /** Every top-level field the format knows, in the order docs/wpc.md describes them. */
    public static final List<String> TOP_LEVEL_FIELDS = List.of(
            "wpc_version", "name", "version", "mode", "default", "extends",
            "allow", "deny", "allowed", "requirements", "model_routing", "tools", "openclaw",
            "data_handling", "audit", "control", "intent", "notes");

    /** The format versions this parser reads ("v1" as the seeds spell it, "1" as some do). */
    static final List<String> FORMAT_VERSIONS = List.of("v1", "1");
    private static final List<String> DATA_HANDLING_FIELDS = List.of("redact");
    private static final List<String> AUDIT_FIELDS = List.of("require_gateway_receipts", "bundle_on_job_close");

    private WpcParser() {
    }

    /**
     * Parses {@code text}; {@code sourceName} (a file name, a topic and offset) prefixes every error.
     * Never throws for bad input.
     */
    public static WpcParseResult parse(String text, String sourceName) {
        LocatedJsonReader.Read read = LocatedJsonReader.read(text, sourceName);
        if (read instanceof LocatedJsonReader.Read.Broken broken) {
            return new WpcParseResult.Invalid(broken.errors());
        }
        LocatedJson json = ((LocatedJsonReader.Read.Tree) read).json();
        Faults faults = new Faults(sourceName, json);
        WpcValue root = WpcValue.root(json, faults);
        if (!root.object(TOP_LEVEL_FIELDS)) {
            return new WpcParseResult.Invalid(faults.inDocumentOrder());
        }
        Wpc wpc = readWpc(root);
        if (!faults.isEmpty()) {
            return new WpcParseResult.Invalid(faults.inDocumentOrder());
        }
        return new WpcParseResult.Valid(wpc, new WpcDocument(Jcs.canonicalize(text), json.root()));
    }

    private static Wpc readWpc(WpcValue root) {
        checkFormatVersion(root.get("wpc_version"));
        String name = root.get("name").requiredName().orElse("");
        Optional<String> version = root.get("version").present() ? root.get("version").name() : Optional.empty();
        PolicyMode mode = mode(root.get("mode"));
        checkDefault(root.get("default"));
        List<Sha256Hash> extendsHashes = extendsHashes(root.get("extends"));
        EgressRules egress = EgressRulesReader.read(root);
        ModelRules models = ModelRulesReader.read(root);
        ToolRules tools = ToolRulesReader.read(root);
        DataHandling dataHandling = dataHandling(root.get("data_handling"));
        root.get("audit").ifPresentObject(AUDIT_FIELDS, audit -> AUDIT_FIELDS.forEach(field -> {
            if (audit.get(field).present()) {
                audit.get(field).bool();
            }
        }));
        for (String informational : List.of("control", "intent", "notes")) {
            root.get(informational).optionalName();
        }
        return new Wpc(name, version, mode, DefaultAction.DENY, egress, models, tools, dataHandling, extendsHashes);
    }

    private static void checkFormatVersion(WpcValue value) {
        if (value.present()) {
            value.string().filter(v -> !FORMAT_VERSIONS.contains(v)).ifPresent(v ->
                    value.fault("unsupported format version \"" + v + "\"; this parser reads \"v1\""));
        }
    }

    private static PolicyMode mode(WpcValue value) {
        if (!value.present()) {
            return PolicyMode.ENFORCE;
        }
        Optional<String> mode = value.string();
        if (mode.isPresent() && mode.get().equals("monitor")) {
            return PolicyMode.MONITOR;
        }
        if (mode.isPresent() && !mode.get().equals("enforce")) {
            value.fault("mode must be \"enforce\" or \"monitor\", got \"" + mode.get() + "\"");
        }
        return PolicyMode.ENFORCE;
    }

    /** Fail closed: only an explicit "deny" is accepted, so a typo can never become allow-by-default. */
    private static void checkDefault(WpcValue value) {
        if (!value.present()) {
            value.fault("required field is missing; it must be \"deny\"");
            return;
        }
        value.string().filter(v -> !v.equals("deny")).ifPresent(v ->
                value.fault("default must be \"deny\", got \"" + v + "\""));
    }

    private static List<Sha256Hash> extendsHashes(WpcValue value) {
        List<Sha256Hash> hashes = new ArrayList<>();
        if (value.present()) {
            for (WpcValue entry : value.elements()) {
                entry.string().ifPresent(text -> {
                    try {
                        hashes.add(Sha256Hash.parse(text));
                    } catch (IllegalArgumentException e) {
                        entry.fault("expected sha256:<64 lower-case hex>, got \"" + text + "\"");
                    }
                });
            }
        }
        return hashes;
    }

    private static DataHandling dataHandling(WpcValue value) {
        List<String> redact = new ArrayList<>();
        value.ifPresentObject(DATA_HANDLING_FIELDS, section -> {
            if (section.get("redact").present()) {
                redact.addAll(section.get("redact").names());
            }
        });
        return new DataHandling(redact);
    }
}
