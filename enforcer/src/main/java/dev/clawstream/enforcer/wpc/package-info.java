/**
 * The Work Policy Contract: its immutable model ({@link dev.clawstream.enforcer.wpc.Wpc}), the strict
 * parser that reports every fault with line, column and JSON path ({@link dev.clawstream.enforcer.wpc.WpcParser}),
 * and the canonical document a WPC hash and signature are computed over
 * ({@link dev.clawstream.enforcer.wpc.WpcDocument}). The format is specified in docs/wpc.md.
 */
package dev.clawstream.enforcer.wpc;
