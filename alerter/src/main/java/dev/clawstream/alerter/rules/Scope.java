package dev.clawstream.alerter.rules;

/** Whom a counting rule counts over: each agent on its own, or the whole fleet together. */
public enum Scope {
    AGENT, FLEET
}
