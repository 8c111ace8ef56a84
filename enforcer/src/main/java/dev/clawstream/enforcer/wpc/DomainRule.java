package dev.clawstream.enforcer.wpc;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code allow.domains} or {@code deny.domains} entry.
 *
 * @param pointer RFC 6901 pointer of the entry in the document, e.g. {@code /allow/domains/2}: what a
 *                decision names as its matched rule
 * @param requiresAttestation an allow rule that exists only for jobs whose token carries this attestation
 */
public record DomainRule(DomainPattern pattern, Ports ports, String pointer, Optional<String> requiresAttestation) {

    public DomainRule {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(requiresAttestation, "requiresAttestation");
    }

    public DomainRule(DomainPattern pattern, Ports ports, String pointer) {
        this(pattern, ports, pointer, Optional.empty());
    }
}
