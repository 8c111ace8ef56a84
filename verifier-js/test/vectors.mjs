// node verifier-js/test/vectors.mjs docs/proof-bundle/vectors.json
// Recomputes every intermediate value of the spec's worked example from the spec's formulas, with both
// crypto providers; exit 0 when all agree, 1 with every disagreement listed.
import { readFileSync } from 'node:fs';
import {
  bytesToHex, canonicalize, commitment, concat, cstSignedBytes, frontierRoot, genesis, hexToBytes, utf8,
} from '../bundle-verifier.mjs';
import { nodeCrypto } from '../node-crypto.mjs';
import { webCrypto } from '../webcrypto.mjs';

const vectors = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const problems = [];
const expect = (what, got, want) => { if (got !== want) problems.push(`${what}: got ${got}, want ${want}`); };

for (const [name, c] of [['node:crypto', nodeCrypto], ['webcrypto', webCrypto]]) {
  const sha = async (...parts) => new Uint8Array(await c.sha256(concat(...parts)));
  expect(`${name} genesis`, bytesToHex(await genesis(c, vectors.job_id)), vectors.genesis);
  let previous = hexToBytes(vectors.genesis);
  const leaves = [];
  for (const [i, e] of vectors.entries.entries()) {
    expect(`${name} entry ${i} is canonical`, canonicalize(JSON.parse(e.canonical)), e.canonical);
    expect(`${name} entry ${i} previous`, bytesToHex(previous), e.previous);
    const leaf = concat(previous, utf8(e.canonical));
    previous = await sha(leaf);
    expect(`${name} entry ${i} hash`, bytesToHex(previous), e.hash);
    const leafHash = await sha(new Uint8Array([0]), leaf);
    expect(`${name} entry ${i} leaf hash`, bytesToHex(leafHash), e.leaf_hash);
    leaves.push(leafHash);
  }
  // The root by RFC 9162's recursive definition, independently of the frontier code.
  const mth = async (l) => {
    if (l.length === 1) return l[0];
    let k = 1;
    while (k * 2 < l.length) k *= 2;
    return sha(new Uint8Array([1]), await mth(l.slice(0, k)), await mth(l.slice(k)));
  };
  expect(`${name} root`, bytesToHex(await mth(leaves)), vectors.root);
  expect(`${name} checkpoint root`, bytesToHex(await mth(leaves.slice(0, vectors.checkpoint_size))), vectors.checkpoint_root);
  expect(`${name} empty root`, bytesToHex(await frontierRoot(c, [])), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  // The token entry 1 carries: its signed bytes rebuilt from the entry, and the issuer's signature over them.
  const cst = JSON.parse(vectors.entries[vectors.token.entry].canonical).decision.cst;
  for (const v of vectors.commitments) {
    if (v.index === vectors.token.entry && v.pointer.startsWith('/decision/cst/')) cst[v.pointer.slice('/decision/cst/'.length)] = v.value;
  }
  const signed = cstSignedBytes(cst);
  expect(`${name} token signed bytes`, new TextDecoder().decode(signed), vectors.token.signed_bytes);
  expect(`${name} token signature verifies`, await c.ed25519Verify(hexToBytes(vectors.token.issuer_public_key), signed,
    hexToBytes(vectors.token.signature)), true);
  for (const v of vectors.commitments) {
    expect(`${name} commitment ${v.index} ${v.pointer}`, 'sha256:' + bytesToHex(await commitment(c, hexToBytes(v.salt), v.value)), v.commitment);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`vectors: ${vectors.entries.length} entries, ${vectors.commitments.length} commitments, 1 token agree with both providers`);
