package dev.clawstream.enforcer.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Domain rules compiled into a trie over reversed labels ({@code com -> github -> api}), so a lookup
 * costs one step per label of the host, whatever the number of rules.
 *
 * <p>Semantics: {@code api.example.com} matches exactly that host; {@code *.example.com} matches every
 * depth of subdomain ({@code a.example.com}, {@code a.b.example.com}) but not the apex
 * {@code example.com} — a wildcard for subdomains must not silently also allow the organisation's root.
 * Hosts and patterns must already be canonical (lower-case A-labels, no trailing dot).
 */
public final class DomainRuleSet {

    private static final DomainRuleSet EMPTY = new DomainRuleSet(new Node());

    private final Node root;

    private DomainRuleSet(Node root) {
        this.root = root;
    }

    public static DomainRuleSet empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every rule that matches {@code host}, most specific first (exact, then deepest wildcard). */
    public List<EgressRule> matching(String host) {
        List<EgressRule> wildcards = null;
        Node node = root;
        int end = host.length();
        while (node != null) {
            int dot = host.lastIndexOf('.', end - 1);
            String label = host.substring(dot + 1, end);
            node = node.children.get(label);
            if (node == null) {
                break;
            }
            if (dot < 0) {
                // The whole host has been consumed: only exact rules apply here.
                if (node.exact.isEmpty() && wildcards == null) {
                    return List.of();
                }
                List<EgressRule> result = new ArrayList<>(node.exact);
                if (wildcards != null) {
                    result.addAll(wildcards);
                }
                return result;
            }
            if (!node.wildcard.isEmpty()) {
                // More labels remain, so the host is a strict subdomain: this node's wildcards apply.
                List<EgressRule> deeperFirst = new ArrayList<>(node.wildcard);
                if (wildcards != null) {
                    deeperFirst.addAll(wildcards);
                }
                wildcards = deeperFirst;
            }
            end = dot;
        }
        return wildcards == null ? List.of() : wildcards;
    }

    public boolean isEmpty() {
        return root.children.isEmpty();
    }

    public static final class Builder {
        private final Node root = new Node();

        private Builder() {
        }

        /**
         * @param suffix   canonical host ({@code api.openai.com}) or, for a wildcard, the part after
         *                 {@code *.} ({@code github.com})
         * @param wildcard whether the pattern was {@code *.suffix}
         */
        public Builder add(String suffix, boolean wildcard, EgressRule rule) {
            if (suffix.isEmpty() || suffix.startsWith(".") || suffix.endsWith(".") || suffix.contains("..")) {
                throw new IllegalArgumentException("not a canonical host: '" + suffix + "'");
            }
            Node node = root;
            String[] labels = suffix.split("\\.");
            for (int i = labels.length - 1; i >= 0; i--) {
                node = node.children.computeIfAbsent(labels[i], label -> new Node());
            }
            (wildcard ? node.wildcard : node.exact).add(rule);
            return this;
        }

        public DomainRuleSet build() {
            return new DomainRuleSet(root.freeze());
        }
    }

    private static final class Node {
        private Map<String, Node> children = new HashMap<>();
        private List<EgressRule> exact = new ArrayList<>();
        private List<EgressRule> wildcard = new ArrayList<>();

        Node freeze() {
            Map<String, Node> frozen = new HashMap<>();
            children.forEach((label, child) -> frozen.put(label, child.freeze()));
            children = Map.copyOf(frozen);
            exact = List.copyOf(exact);
            wildcard = List.copyOf(wildcard);
            return this;
        }
    }
}
