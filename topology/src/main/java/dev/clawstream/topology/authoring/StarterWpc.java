package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The WPC {@code clawstream wpc init} writes: the seeds' default allowlist (the model APIs and package
 * registries agents need, HTTPS only), the special-purpose blocks denied by address too, and nothing else.
 */
public final class StarterWpc {

    /** Host and why it is there; every one on port 443 only. */
    public static final List<List<String>> DEFAULT_ALLOWLIST = List.of(
            List.of("api.anthropic.com", "Claude API"),
            List.of("api.openai.com", "OpenAI API"),
            List.of("github.com", "code repositories"),
            List.of("registry.npmjs.org", "npm packages"),
            List.of("pypi.org", "Python packages (index)"),
            List.of("files.pythonhosted.org", "Python packages (downloads pypi.org points to)"));

    private StarterWpc() {
    }

    public static ObjectNode document(String name) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("wpc_version", "v1");
        doc.put("name", name);
        doc.put("version", "1");
        doc.put("default", "deny");
        ArrayNode domains = doc.putObject("allow").putArray("domains");
        for (List<String> entry : DEFAULT_ALLOWLIST) {
            ObjectNode rule = domains.addObject();
            rule.put("pattern", entry.get(0));
            rule.putArray("ports").add(AllowlistEdit.DEFAULT_PORT);
            rule.put("note", entry.get(1));
        }
        ArrayNode deny = doc.putObject("deny").putArray("ip_cidrs");
        PolicySuggestion.DENIED_SPECIAL_BLOCKS.forEach(deny::add);
        doc.put("notes", "Starter allowlist (clawstream wpc init): model APIs and package registries on 443,"
                + " everything else denied. Widen one destination at a time with clawstream egress add.");
        return doc;
    }
}
