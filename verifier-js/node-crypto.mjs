// SHA-256 and Ed25519 from Node.js's built-in crypto module (node:crypto), for ./bundle-verifier.mjs.
import { createHash, createPublicKey, verify } from 'node:crypto';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const nodeCrypto = Object.freeze({
  sha256: (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest()),
  ed25519Verify: (publicKey, message, signature) => {
    if (signature.length !== 64) return false;
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  },
});
