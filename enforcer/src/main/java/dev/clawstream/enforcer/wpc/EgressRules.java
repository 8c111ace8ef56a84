package dev.clawstream.enforcer.wpc;

import java.util.List;

/** The network part of a WPC. Deny rules win over allow rules wherever both match (docs/wpc.md). */
public record EgressRules(
        List<DomainRule> allowDomains,
        List<DomainRule> denyDomains,
        List<CidrRule> allowCidrs,
        List<CidrRule> denyCidrs) {

    public static final EgressRules NONE = new EgressRules(List.of(), List.of(), List.of(), List.of());

    public EgressRules {
        allowDomains = List.copyOf(allowDomains);
        denyDomains = List.copyOf(denyDomains);
        allowCidrs = List.copyOf(allowCidrs);
        denyCidrs = List.copyOf(denyCidrs);
    }
}
