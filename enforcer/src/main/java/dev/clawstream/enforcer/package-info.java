/**
 * The enforcer: Work Policy Contracts and job-scoped tokens, the policy engine that decides every
 * egress event and gateway receipt, and the topology that writes those decisions. It fails closed.
 */
package dev.clawstream.enforcer;
