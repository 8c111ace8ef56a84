// SHA-256 and Ed25519 from WebCrypto (globalThis.crypto.subtle): what a browser page uses, and what
// Node.js 20 also provides, so the page's path is tested with node too.
export const webCrypto = Object.freeze({
  sha256: async (bytes) => new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)),
  ed25519Verify: async (publicKey, message, signature) => {
    if (signature.length !== 64) return false;
    const key = await globalThis.crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  },
});
