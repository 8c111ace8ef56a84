/**
 * The bundler: the per-job hash chain, Merkle tree and Ed25519 seal of a proof bundle, its redacted
 * Trust Pulse copy, and the offline verifier.
 */
package dev.clawstream.bundler;
