package dev.clawstream.enforcer.policy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.AssociativeAddressTrie;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;

import java.util.ArrayList;
import java.util.List;

/**
 * CIDR rules compiled into IPAddress's binary address tries (one for IPv4, one for IPv6), so a lookup
 * walks at most 32 or 128 bits however many blocks the WPC lists.
 */
public final class CidrRuleSet {

    private final IPv4AddressAssociativeTrie<List<EgressRule>> v4;
    private final IPv6AddressAssociativeTrie<List<EgressRule>> v6;

    private CidrRuleSet(IPv4AddressAssociativeTrie<List<EgressRule>> v4,
                        IPv6AddressAssociativeTrie<List<EgressRule>> v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every rule whose block contains {@code address}, most specific block first. */
    public List<EgressRule> matching(IPAddress address) {
        AssociativeAddressTrie.AssociativeTrieNode<? extends IPAddress, List<EgressRule>> node = address.isIPv4()
                ? v4.longestPrefixMatchNode(address.toIPv4())
                : v6.longestPrefixMatchNode(address.toIPv6());
        if (node == null) {
            return List.of();
        }
        List<EgressRule> result = new ArrayList<>(node.getValue());
        // Walk towards the root: every added ancestor is a wider block that also contains the address.
        for (var parent = node.getParent(); parent != null; parent = parent.getParent()) {
            if (parent.isAdded()) {
                result.addAll(parent.getValue());
            }
        }
        return result;
    }

    public boolean isEmpty() {
        return v4.isEmpty() && v6.isEmpty();
    }

    public static final class Builder {
        private final IPv4AddressAssociativeTrie<List<EgressRule>> v4 = new IPv4AddressAssociativeTrie<>();
        private final IPv6AddressAssociativeTrie<List<EgressRule>> v6 = new IPv6AddressAssociativeTrie<>();

        private Builder() {
        }

        /** Adds a block ({@code 203.0.113.0/24}; a single address is a /32 or /128 block). */
        public Builder add(IPAddress block, EgressRule rule) {
            // The trie keys on prefix blocks; host bits of "10.1.2.3/8" are zeroed as the block 10.0.0.0/8.
            IPAddress prefixBlock = block.getNetworkPrefixLength() == null ? block : block.toPrefixBlock();
            if (prefixBlock.isIPv4()) {
                append(v4, prefixBlock.toIPv4(), rule);
            } else {
                append(v6, prefixBlock.toIPv6(), rule);
            }
            return this;
        }

        private static <A extends IPAddress> void append(AssociativeAddressTrie<A, List<EgressRule>> trie, A block,
                                                         EgressRule rule) {
            List<EgressRule> existing = trie.get(block);
            List<EgressRule> rules = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
            rules.add(rule);
            trie.put(block, List.copyOf(rules));
        }

        public CidrRuleSet build() {
            return new CidrRuleSet(v4.clone(), v6.clone());
        }
    }
}
