package dev.clawstream.enforcer.wpc;

/**
 * What happens to a destination no rule matches. Deny is the only value: a WPC is an allowlist, and a
 * document that could say "allow" by default would turn every forgotten rule into open egress.
 */
public enum DefaultAction {
    DENY
}
