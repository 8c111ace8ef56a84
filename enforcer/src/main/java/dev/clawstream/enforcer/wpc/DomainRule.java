package dev.clawstream.enforcer.wpc;

import java.util.Objects;

/**
 * One {@code allow.domains} or {@code deny.domains} entry.
 *
 * @param pointer RFC 6901 pointer of the entry in the document, e.g. {@code /allow/domains/2}: what a
 *                decision names as its matched rule
 */
public record DomainRule(DomainPattern pattern, Ports ports, String pointer) {

    public DomainRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(pointer, "pointer");
    }
}
