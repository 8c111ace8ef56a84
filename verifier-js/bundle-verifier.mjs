// Clawstream proof-bundle verifier, written from docs/proof-bundle.md alone.
//
// Plain ECMAScript: no Node-only API, so the same module runs in Node.js and in a browser page. The
// two primitives it needs, SHA-256 and Ed25519, come from a provider the caller passes in
// (./node-crypto.mjs for Node's built-in crypto, ./webcrypto.mjs for WebCrypto); every function that
// hashes is async because WebCrypto is.
//
// Verifiers throw a VerificationError naming the first failed check (the same names as the Java
// verifier's VerificationException.Check), the entry index and the values compared.

export const FORMAT = 'clawstream-bundle/v1';
const GENESIS_LABEL = 'clawstream-bundle/v1 genesis';
const COMMITMENT_LABEL = 'clawstream-commitment/v1';
const SPKI_ED25519_PREFIX = hexToBytes('302a300506032b6570032100');
const HASH = /^sha256:[0-9a-f]{64}$/;

// Caps on what a document may claim, checked before any work is done for it (docs/proof-bundle.md).
export const LIMITS = Object.freeze({
  entries: 4_000_000, checkpoints: 100_000, frontier: 64, consistency: 128, inclusion: 64,
  openings: 256, noteLength: 64 * 1024, noteSignatures: 100,
});

export class VerificationError extends Error {
  constructor(check, what, { index, expected, actual } = {}) {
    let message = check + (index !== undefined ? ` at entry ${index}` : '') + ': ' + what;
    if (expected !== undefined || actual !== undefined) message += `: got ${actual}, want ${expected}`;
    super(message);
    this.name = 'VerificationError';
    this.check = check;
    this.index = index;
    this.expected = expected;
    this.actual = actual;
  }
}

const fail = (check, what, details) => { throw new VerificationError(check, what, details); };

// ---- bytes ----------------------------------------------------------------------------------------

const encoder = new TextEncoder();
export const utf8 = (s) => encoder.encode(s);

export function hexToBytes(hex) {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function uint32be(n) {
  return new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

export function base64Encode(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

// Standard padded base64, accepted only when it is the one encoding of its bytes.
export function base64Decode(text) {
  let raw;
  try { raw = atob(text); } catch { return null; }
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  return base64Encode(bytes) === text ? bytes : null;
}

const hashBytes = (text) => hexToBytes(text.slice('sha256:'.length));

// ---- RFC 8785 canonical JSON ----------------------------------------------------------------------

export function canonicalize(value) {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('JSON numbers are finite');
    return JSON.stringify(value); // ECMAScript Number::toString, as RFC 8785 section 3.2.2.3 requires
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalize).join(',') + ']';
  // Default sort compares UTF-16 code units, the order RFC 8785 section 3.2.3 requires.
  const keys = Object.keys(value).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalize(value[k])).join(',') + '}';
}

// ---- hashing ----------------------------------------------------------------------------------------

const sha256 = async (c, ...parts) => new Uint8Array(await c.sha256(concat(...parts)));
const leafHash = (c, leaf) => sha256(c, new Uint8Array([0]), leaf);
const nodeHash = (c, l, r) => sha256(c, new Uint8Array([1]), l, r);

export const genesis = (c, jobId) => sha256(c, utf8(GENESIS_LABEL), new Uint8Array([10]), utf8(jobId));

export function commitment(c, salt, value) {
  const v = utf8(canonicalize(value));
  return sha256(c, utf8(COMMITMENT_LABEL), new Uint8Array([0]), uint32be(salt.length), salt, uint32be(v.length), v);
}

// ---- Merkle tree (RFC 9162) -------------------------------------------------------------------------

// Appends a leaf hash to a frontier of `size` leaves: merge once per trailing 1 bit of size.
async function appendLeaf(c, frontier, size, hash) {
  const next = frontier.slice();
  let carry = hash;
  for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) carry = await nodeHash(c, next.pop(), carry);
  next.push(carry);
  return next;
}

export async function frontierRoot(c, frontier) {
  if (frontier.length === 0) return sha256(c);
  let root = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) root = await nodeHash(c, frontier[i], root);
  return root;
}

const popcount = (n) => { let k = 0; for (; n > 0; n = Math.floor(n / 2)) k += n % 2; return k; };
const isPowerOfTwo = (n) => n > 0 && popcount(n) === 1;
// Right shift for integers up to 2^53 (bit operators would cut them to 32 bits).
const shr = (n) => Math.floor(n / 2);

// RFC 9162 section 2.1.3.2.
export async function rootFromInclusionProof(c, index, size, leaf, path) {
  if (!(index >= 0 && index < size)) fail('INCLUSION_PROOF', 'leaf index', { expected: `< tree size ${size}`, actual: index });
  if (path.length > LIMITS.inclusion) fail('INCLUSION_PROOF', 'proof length', { expected: `at most ${LIMITS.inclusion}`, actual: path.length });
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) fail('INCLUSION_PROOF', 'proof length', { expected: 'fewer hashes', actual: path.length });
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(c, p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = shr(fn); sn = shr(sn); }
    } else {
      r = await nodeHash(c, r, p);
    }
    fn = shr(fn); sn = shr(sn);
  }
  if (sn !== 0) fail('INCLUSION_PROOF', 'proof length', { expected: 'more hashes', actual: path.length });
  return r;
}

// RFC 9162 section 2.1.4.2; returns the newer root, having checked the older one.
export async function rootFromConsistencyProof(c, size1, size2, root1, proof) {
  if (!(size1 >= 1 && size2 >= size1)) fail('CONSISTENCY_PROOF', 'tree sizes', { expected: '0 < size1 <= size2', actual: `${size1} -> ${size2}` });
  if (proof.length > LIMITS.consistency) fail('CONSISTENCY_PROOF', 'proof length', { expected: `at most ${LIMITS.consistency}`, actual: proof.length });
  if (size1 === size2) {
    if (proof.length !== 0) fail('CONSISTENCY_PROOF', 'proof between equal sizes', { expected: 'no hashes', actual: proof.length });
    return root1;
  }
  if (proof.length === 0) fail('CONSISTENCY_PROOF', `empty proof between sizes ${size1} and ${size2}`);
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof.slice();
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) { fn = shr(fn); sn = shr(sn); }
  let fr = path[0];
  let sr = path[0];
  for (const h of path.slice(1)) {
    if (sn === 0) fail('CONSISTENCY_PROOF', 'proof length', { expected: 'fewer hashes', actual: proof.length });
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, h, fr);
      sr = await nodeHash(c, h, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = shr(fn); sn = shr(sn); }
    } else {
      sr = await nodeHash(c, sr, h);
    }
    fn = shr(fn); sn = shr(sn);
  }
  if (sn !== 0) fail('CONSISTENCY_PROOF', 'proof length', { expected: 'more hashes', actual: proof.length });
  if (!equalBytes(fr, root1)) fail('CONSISTENCY_PROOF', `older root reconstructed from proof ${size1} -> ${size2}`, { expected: bytesToHex(root1), actual: bytesToHex(fr) });
  return sr;
}

// ---- keys, signed notes, checkpoints ----------------------------------------------------------------

// The 32 raw bytes of an Ed25519 public key given as PEM (X.509 SubjectPublicKeyInfo) or 64 hex digits.
export function rawPublicKey(key) {
  if (key instanceof Uint8Array && key.length === 32) return key;
  const text = String(key).trim();
  if (/^[0-9a-f]{64}$/.test(text)) return hexToBytes(text);
  const m = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(text);
  if (!m) throw new Error('expected an Ed25519 public key as PEM (BEGIN PUBLIC KEY) or 64 hex digits');
  const der = base64Decode(m[1].replace(/\s+/g, ''));
  if (!der || der.length !== 44 || !equalBytes(der.subarray(0, 12), SPKI_ED25519_PREFIX)) {
    throw new Error('not an Ed25519 SubjectPublicKeyInfo');
  }
  return der.subarray(12);
}

export async function keyId(c, publicKey) {
  return 'sha256:' + bytesToHex(await sha256(c, publicKey));
}

// c2sp.org/signed-note: key ID = SHA-256(name || 0x0A || 0x01 || public key)[0:4].
export async function noteKeyId(c, keyName, publicKey) {
  return (await sha256(c, utf8(keyName), new Uint8Array([10, 1]), publicKey)).subarray(0, 4);
}

const validKeyName = (name) => name.length > 0 && !/[\s+\u0000-\u001f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);

export function parseNote(note) {
  if (typeof note !== 'string') fail('FORMAT', 'a signed note is a string');
  if (note.length > LIMITS.noteLength) fail('FORMAT', 'signed note length', { expected: `at most ${LIMITS.noteLength}`, actual: note.length });
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) fail('FORMAT', 'signed note contains a control character');
  if (!wellFormed(note)) fail('FORMAT', 'signed note is not valid Unicode');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('FORMAT', 'signed note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2);
  if (lines.length === 0 || !lines.endsWith('\n')) fail('FORMAT', 'signed note has no signature lines ending in a newline');
  const signatures = [];
  for (const line of lines.slice(0, -1).split('\n')) {
    if (signatures.length === LIMITS.noteSignatures) fail('FORMAT', 'too many signatures in note');
    if (!line.startsWith('\u2014 ')) fail('FORMAT', 'signature line does not start with an em dash and a space');
    const rest = line.slice(2);
    const space = rest.indexOf(' ');
    if (space < 0) fail('FORMAT', 'signature line has no space between key name and signature');
    const name = rest.slice(0, space);
    if (!validKeyName(name)) fail('FORMAT', 'key name is empty or contains a space or "+"');
    const blob = base64Decode(rest.slice(space + 1));
    if (!blob || blob.length < 5) fail('FORMAT', `signature of key ${name} is not canonical base64 of at least 5 bytes`);
    signatures.push({ name, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return { text, signatures };
}

// No lone surrogates: the note's UTF-8 bytes are then well defined.
function wellFormed(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

// Signatures of other keys are ignored; the bundler's must be there and must verify.
export async function verifyNote(c, note, keyName, publicKey, check) {
  const id = await noteKeyId(c, keyName, publicKey);
  let verified = false;
  for (const s of note.signatures) {
    if (s.name !== keyName || !equalBytes(s.keyId, id)) continue;
    if (!(await c.ed25519Verify(publicKey, utf8(note.text), s.signature))) {
      fail(check, `signature of ${keyName} (key ID ${bytesToHex(id)}) does not verify`);
    }
    verified = true;
  }
  if (!verified) fail(check, `no signature by ${keyName} with key ID ${bytesToHex(id)} among ${note.signatures.length} signature(s)`);
}

export function parseCheckpoint(text) {
  if (!text.endsWith('\n')) fail('FORMAT', 'checkpoint text does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 3) fail('FORMAT', 'checkpoint lines', { expected: '3 (origin, size, root; no extensions)', actual: lines.length });
  const [origin, size, root] = lines;
  if (origin.length === 0) fail('FORMAT', 'checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size) || Number(size) > Number.MAX_SAFE_INTEGER) fail('FORMAT', `checkpoint size '${size}' is not a decimal without leading zeros`);
  const rootHash = base64Decode(root);
  if (!rootHash || rootHash.length !== 32) fail('FORMAT', 'checkpoint root is not the base64 of 32 bytes');
  return { origin, size: Number(size), root: rootHash };
}

async function signedCheckpoint(c, noteText, origin, publicKey, check, what) {
  const note = parseNote(noteText);
  await verifyNote(c, note, origin, publicKey, check);
  const checkpoint = parseCheckpoint(note.text);
  if (checkpoint.origin !== origin) fail('ORIGIN', `${what} origin`, { expected: origin, actual: checkpoint.origin });
  return checkpoint;
}

// Every UTF-8 byte but A-Z a-z 0-9 - . _ ~ as %XX.
export function percentEncode(s) {
  let out = '';
  for (const b of utf8(s)) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// ---- the bundle document ----------------------------------------------------------------------------

const DOCUMENT_FIELDS = ['format', 'job_id', 'origin', 'segment_index', 'final_segment', 'redacted', 'bundler_key_id',
  'first_index', 'previous_head', 'frontier', 'entries', 'entry_count', 'chain_head', 'merkle_root', 'checkpoints', 'seal'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function only(obj, allowed, where) {
  if (!isObject(obj)) fail('FORMAT', `${where} is not a JSON object`);
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail('FORMAT', `${where} has unknown field '${k}'`);
}

function need(obj, field, type, where) {
  const v = obj[field];
  const ok = type === 'hash' ? typeof v === 'string' && HASH.test(v)
    : type === 'count' ? Number.isSafeInteger(v) && v >= 0
      : type === 'array' ? Array.isArray(v)
        : typeof v === type;
  if (!ok) fail('FORMAT', `${where}.${field} is missing or not ${type === 'hash' ? 'sha256:<64 hex>' : type}`);
  return v;
}

function checkFormat(doc) {
  only(doc, DOCUMENT_FIELDS, 'bundle');
  if (need(doc, 'format', 'string', 'bundle') !== FORMAT) fail('FORMAT', 'bundle format', { expected: FORMAT, actual: doc.format });
  for (const f of ['job_id', 'origin', 'seal']) need(doc, f, 'string', 'bundle');
  for (const f of ['segment_index', 'first_index', 'entry_count']) need(doc, f, 'count', 'bundle');
  for (const f of ['final_segment', 'redacted']) need(doc, f, 'boolean', 'bundle');
  for (const f of ['bundler_key_id', 'previous_head', 'chain_head', 'merkle_root']) need(doc, f, 'hash', 'bundle');
  const frontier = need(doc, 'frontier', 'array', 'bundle');
  if (frontier.length > LIMITS.frontier || !frontier.every((h) => typeof h === 'string' && HASH.test(h))) fail('FORMAT', 'bundle.frontier is not an array of hashes');
  const entries = need(doc, 'entries', 'array', 'bundle');
  if (entries.length === 0 || entries.length > LIMITS.entries) fail('FORMAT', `bundle.entries is not an array of 1 to ${LIMITS.entries} entries`);
  entries.forEach((e, i) => {
    const where = `entries[${i}]`;
    only(e, ['index', 'hash', 'entry', 'openings'], where);
    need(e, 'index', 'count', where);
    need(e, 'hash', 'hash', where);
    if (!isObject(e.entry)) fail('FORMAT', `${where}.entry is not a JSON object`);
    if (e.openings !== undefined) {
      if (!isObject(e.openings) || Object.keys(e.openings).length > LIMITS.openings) fail('FORMAT', `${where}.openings is not an object of at most ${LIMITS.openings}`);
      for (const [pointer, o] of Object.entries(e.openings)) {
        only(o, ['salt', 'value'], `${where}.openings[${pointer}]`);
        const salt = typeof o.salt === 'string' ? base64Decode(o.salt) : null;
        if (!salt || salt.length !== 32) fail('FORMAT', `${where}.openings[${pointer}].salt is not the base64 of 32 bytes`);
        if (!('value' in o)) fail('FORMAT', `${where}.openings[${pointer}] has no value`);
      }
    }
  });
  const checkpoints = need(doc, 'checkpoints', 'array', 'bundle');
  if (checkpoints.length > LIMITS.checkpoints) fail('FORMAT', `bundle.checkpoints holds more than ${LIMITS.checkpoints}`);
  checkpoints.forEach((cp, i) => {
    const where = `bundle.checkpoints[${i}]`;
    only(cp, ['checkpoint', 'consistency'], where);
    need(cp, 'checkpoint', 'string', where);
    const proof = need(cp, 'consistency', 'array', where);
    if (proof.length > LIMITS.consistency || !proof.every((h) => typeof h === 'string' && HASH.test(h))) fail('FORMAT', `${where}.consistency is not an array of hashes`);
  });
}

// RFC 6901: the value at a pointer, or undefined.
export function at(root, pointer) {
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return undefined;
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= node.length) return undefined;
      node = node[Number(key)];
    } else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, key)) {
      node = node[key];
    } else {
      return undefined;
    }
  }
  return node;
}

const KINDS = ['header', 'decision', 'receipt', 'close', 'segment_end'];
const TERMINAL = ['close', 'segment_end'];

function checkContent(doc, entry, index, last) {
  const kind = entry.kind;
  if (!KINDS.includes(kind)) fail('ENTRY_CONTENT', `unknown kind '${kind}'`, { index });
  if ((index === 0) !== (kind === 'header')) fail('ENTRY_CONTENT', 'kind', { index, expected: index === 0 ? 'header (the first entry of a job)' : 'not a header', actual: kind });
  if (last !== TERMINAL.includes(kind)) fail('ENTRY_CONTENT', 'kind', { index, expected: last ? 'close or segment_end (the last entry of a segment)' : 'not close or segment_end', actual: kind });
  const same = (what, expected, actual) => { if (expected !== actual) fail('ENTRY_CONTENT', what, { index, expected, actual }); };
  if (kind === 'header') {
    same('header format', FORMAT, entry.format);
    same('header job_id', doc.job_id, entry.job_id);
  } else if (kind === 'decision' || kind === 'receipt') {
    same(`${kind} job_id`, doc.job_id, entry[kind]?.job_id);
  } else {
    same(`${kind} segment`, doc.segment_index, entry.segment);
    same(`final_segment of a segment ending in ${kind}`, kind === 'close', doc.final_segment);
    const reasons = kind === 'close' ? ['JOB_CLOSED', 'IDLE_TIMEOUT'] : ['SEGMENT_FULL'];
    if (!reasons.includes(entry.reason)) fail('ENTRY_CONTENT', `${kind} reason '${entry.reason}' is not one a ${kind} entry has`, { index });
  }
}

async function checkCommitments(c, doc, e, index) {
  const entry = e.entry;
  const record = entry.kind === 'decision' || entry.kind === 'receipt';
  if (!record) {
    if (entry.committed !== undefined || e.openings !== undefined) fail('ENTRY_CONTENT', 'only decisions and receipts carry commitments', { index });
    return;
  }
  if (!Array.isArray(entry.committed) || entry.committed.length > LIMITS.openings) fail('ENTRY_CONTENT', `committed is not an array of at most ${LIMITS.openings} pointers`, { index });
  const pointers = new Set();
  for (const p of entry.committed) {
    if (typeof p !== 'string' || pointers.has(p)) fail('ENTRY_CONTENT', `committed pointer ${JSON.stringify(p)} is not a string, or repeated`, { index });
    pointers.add(p);
    const v = at(entry, p);
    if (typeof v !== 'string' || !HASH.test(v)) fail('ENTRY_CONTENT', `committed pointer ${p} does not hold a sha256:<hex> commitment`, { index });
  }
  const openings = e.openings ?? {};
  if (doc.redacted) {
    if (Object.keys(openings).length > 0) fail('COMMITMENT', 'a redacted bundle carries openings', { index });
    return;
  }
  const opened = Object.keys(openings).sort();
  const wanted = [...pointers].sort();
  if (opened.join('\n') !== wanted.join('\n')) fail('COMMITMENT', 'opened pointers (a full bundle opens every commitment)', { index, expected: wanted.join(','), actual: opened.join(',') });
  for (const p of opened) {
    const got = 'sha256:' + bytesToHex(await commitment(c, base64Decode(openings[p].salt), openings[p].value));
    if (got !== at(entry, p)) fail('COMMITMENT', `commitment at ${p} of its opening`, { index, expected: at(entry, p), actual: got });
  }
}

/**
 * Verifies one bundle document (one segment): steps 1-8 of docs/proof-bundle.md, "Verifying a
 * bundle". Resolves to a summary; rejects with a VerificationError naming the first failed check.
 *
 * @param input     the document, as JSON text or parsed
 * @param publicKey the bundler's Ed25519 public key (PEM, 64 hex digits, or 32 bytes)
 * @param c         a crypto provider: {sha256(bytes), ed25519Verify(publicKey, message, signature)}
 */
export async function verifyBundle(input, publicKey, c) {
  let doc = input;
  if (typeof input === 'string') {
    try { doc = JSON.parse(input); } catch (e) { fail('FORMAT', 'bundle document is not JSON: ' + e.message); }
  }
  checkFormat(doc);
  const key = rawPublicKey(publicKey);

  const suffix = '/' + percentEncode(doc.job_id);
  if (!doc.origin.endsWith(suffix) || doc.origin.length === suffix.length) fail('ORIGIN', "origin of the job's log", { expected: '<prefix>' + suffix, actual: doc.origin });
  const id = await keyId(c, key);
  if (doc.bundler_key_id !== id) fail('SEAL_SIGNATURE', 'bundler_key_id against the key given', { expected: id, actual: doc.bundler_key_id });
  const seal = await signedCheckpoint(c, doc.seal, doc.origin, key, 'SEAL_SIGNATURE', 'seal');

  let previous = hashBytes(doc.previous_head);
  const leafHashes = [];
  for (let i = 0; i < doc.entries.length; i++) {
    const e = doc.entries[i];
    const index = doc.first_index + i;
    if (e.index !== index) fail('ENTRY_INDEX', 'index', { index, expected: index, actual: e.index });
    const leaf = concat(previous, utf8(canonicalize(e.entry)));
    const hash = await sha256(c, leaf);
    if ('sha256:' + bytesToHex(hash) !== e.hash) fail('CHAIN_LINK', 'hash = SHA-256(previous hash || canonical entry)', { index, expected: 'sha256:' + bytesToHex(hash), actual: e.hash });
    checkContent(doc, e.entry, index, i === doc.entries.length - 1);
    await checkCommitments(c, doc, e, index);
    leafHashes.push(await leafHash(c, leaf));
    previous = hash;
  }

  if (popcount(doc.first_index) !== doc.frontier.length) fail('FORMAT', `a frontier of ${doc.first_index} leaves has ${popcount(doc.first_index)} hashes, got ${doc.frontier.length}`);
  const base = doc.frontier.map(hashBytes);
  let frontier = base;
  let size = doc.first_index;
  for (const h of leafHashes) { frontier = await appendLeaf(c, frontier, size, h); size++; }
  if (size !== doc.entry_count) fail('TREE_SIZE', 'entry_count against first_index + entries', { expected: size, actual: doc.entry_count });
  if (seal.size !== doc.entry_count) fail('TREE_SIZE', "entry_count against the seal's tree size", { expected: seal.size, actual: doc.entry_count });
  const root = await frontierRoot(c, frontier);
  if (!equalBytes(root, seal.root)) fail('MERKLE_ROOT', 'Merkle root of the entries against the seal', { expected: bytesToHex(seal.root), actual: bytesToHex(root) });
  if (doc.merkle_root !== 'sha256:' + bytesToHex(root)) fail('MERKLE_ROOT', "merkle_root against the entries' root", { expected: 'sha256:' + bytesToHex(root), actual: doc.merkle_root });
  const head = doc.entries[doc.entries.length - 1].hash;
  if (doc.chain_head !== head) fail('CHAIN_HEAD', "chain_head against the last entry's hash", { expected: head, actual: doc.chain_head });

  if (doc.segment_index === 0) {
    if (doc.first_index !== 0) fail('SEGMENT', 'first_index of segment 0', { expected: 0, actual: doc.first_index });
    const g = 'sha256:' + bytesToHex(await genesis(c, doc.job_id));
    if (doc.previous_head !== g) fail('SEGMENT', "previous_head of segment 0 (the job's genesis hash)", { expected: g, actual: doc.previous_head });
  } else {
    if (doc.first_index === 0 || doc.checkpoints.length === 0) fail('SEGMENT', `segment ${doc.segment_index} must start after entry 0 and carry the previous segment's seal as its first checkpoint`);
    const prev = await signedCheckpoint(c, doc.checkpoints[0].checkpoint, doc.origin, key, 'SEGMENT', 'previous seal');
    if (prev.size !== doc.first_index) fail('SEGMENT', 'size of the previous seal against first_index', { expected: doc.first_index, actual: prev.size });
    const baseRoot = await frontierRoot(c, base);
    if (!equalBytes(prev.root, baseRoot)) fail('SEGMENT', 'root of the frontier against the previous seal', { expected: bytesToHex(prev.root), actual: bytesToHex(baseRoot) });
  }

  let previousSize = 0;
  for (let i = 0; i < doc.checkpoints.length; i++) {
    const cp = doc.checkpoints[i];
    let checkpoint;
    try {
      checkpoint = await signedCheckpoint(c, cp.checkpoint, doc.origin, key, 'CHECKPOINT', `checkpoint ${i}`);
    } catch (e) {
      if (e instanceof VerificationError) fail('CHECKPOINT', `checkpoint ${i}: ${e.message}`);
      throw e;
    }
    if (checkpoint.size <= previousSize || checkpoint.size >= seal.size) fail('CHECKPOINT', `size of checkpoint ${i}`, { expected: `above ${previousSize} and below the seal's ${seal.size}`, actual: checkpoint.size });
    previousSize = checkpoint.size;
    const newer = await rootFromConsistencyProof(c, checkpoint.size, seal.size, checkpoint.root, cp.consistency.map(hashBytes));
    if (!equalBytes(newer, seal.root)) fail('CONSISTENCY_PROOF', `newer root from consistency proof ${checkpoint.size} -> ${seal.size}`, { expected: bytesToHex(seal.root), actual: bytesToHex(newer) });
  }
  return { jobId: doc.job_id, segment: doc.segment_index, final: doc.final_segment, redacted: doc.redacted, entries: doc.entries.length, treeSize: seal.size, checkpoints: doc.checkpoints.length };
}

/**
 * Verifies every segment of one job, in order, and that each follows the one before (docs/proof-bundle.md,
 * "Segments"): index, first entry, the head it chains from, the previous seal as its first checkpoint.
 */
export async function verifySegments(inputs, publicKey, c) {
  if (inputs.length === 0) fail('SEGMENT', 'no segments');
  const docs = inputs.map((d) => (typeof d === 'string' ? JSON.parse(d) : d));
  const summaries = [];
  for (let k = 0; k < docs.length; k++) {
    summaries.push(await verifyBundle(docs[k], publicKey, c));
    const same = (what, expected, actual) => { if (expected !== actual) fail('SEGMENT', what, { expected, actual }); };
    same(`segment_index of segment ${k}`, k, docs[k].segment_index);
    if (k === 0) continue;
    const prev = docs[k - 1];
    same(`job_id of segment ${k}`, prev.job_id, docs[k].job_id);
    same(`first_index of segment ${k} against the entry_count of segment ${k - 1}`, prev.entry_count, docs[k].first_index);
    same(`previous_head of segment ${k} against the chain_head of segment ${k - 1}`, prev.chain_head, docs[k].previous_head);
    same(`first checkpoint of segment ${k} against the seal of segment ${k - 1}`, prev.seal, docs[k].checkpoints[0].checkpoint);
  }
  return summaries;
}

/**
 * Verifies a C2SP tlog-proof of one entry: the seal's signature, the leaf's form, the inclusion path.
 * Resolves to {index, treeSize, entry}.
 */
export async function verifyProof(text, publicKey, c, { jobId } = {}) {
  const key = rawPublicKey(publicKey);
  const blank = text.indexOf('\n\n');
  if (blank < 0) fail('FORMAT', 'proof has no blank line before its checkpoint');
  const lines = text.slice(0, blank).split('\n');
  const note = text.slice(blank + 2);
  if (lines[0] !== 'c2sp.org/tlog-proof@v1') fail('FORMAT', 'first line of proof', { expected: 'c2sp.org/tlog-proof@v1', actual: lines[0] });
  let at = 1;
  let extra = null;
  if (lines[at]?.startsWith('extra ')) {
    extra = base64Decode(lines[at++].slice(6));
    if (!extra) fail('FORMAT', 'proof extra data is not canonical base64');
  }
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(lines[at++] ?? '');
  if (!m) fail('FORMAT', "proof has no line 'index <decimal without leading zeros>'");
  const index = Number(m[1]);
  const hashLines = lines.slice(at);
  if (hashLines.length > LIMITS.inclusion) fail('FORMAT', 'proof hashes', { expected: `at most ${LIMITS.inclusion}`, actual: hashLines.length });
  const path = hashLines.map((l) => {
    const h = base64Decode(l);
    if (!h || h.length !== 32) fail('FORMAT', 'proof hash line is not the base64 of 32 bytes');
    return h;
  });
  const parsed = parseNote(note);
  const checkpoint = parseCheckpoint(parsed.text);
  await verifyNote(c, parsed, checkpoint.origin, key, 'SEAL_SIGNATURE');
  if (jobId !== undefined && !checkpoint.origin.endsWith('/' + percentEncode(jobId))) fail('ORIGIN', "origin of the proof's checkpoint", { expected: '<prefix>/' + percentEncode(jobId), actual: checkpoint.origin });
  if (!extra) fail('FORMAT', 'proof carries no entry (no extra line)');
  if (extra.length <= 32) fail('FORMAT', 'proof leaf length', { expected: 'more than 32 bytes', actual: extra.length });
  const json = new TextDecoder('utf-8', { fatal: true }).decode(extra.subarray(32));
  let entry;
  try { entry = JSON.parse(json); } catch { fail('FORMAT', 'proof entry is not JSON'); }
  if (!isObject(entry) || canonicalize(entry) !== json) fail('FORMAT', 'proof entry is not a JSON object in RFC 8785 canonical form');
  const root = await rootFromInclusionProof(c, index, checkpoint.size, await leafHash(c, extra), path);
  if (!equalBytes(root, checkpoint.root)) fail('INCLUSION_PROOF', `root from inclusion proof of leaf ${index}`, { expected: bytesToHex(checkpoint.root), actual: bytesToHex(root) });
  return { index, treeSize: checkpoint.size, origin: checkpoint.origin, entry };
}

// ---- tokens (docs/proof-bundle.md, "Tokens"; docs/cst.md, "Signed bytes") -------------------------------

// Reasons the enforcer gives before it asks the token: they stand whatever the token's signature.
const DECIDED_BEFORE_THE_TOKEN = ['RECEIPT_SIGNATURE_INVALID', 'RECEIPT_KEY_UNKNOWN', 'JOB_CLOSED', 'WPC_UNKNOWN', 'RECEIPT_SCOPE_MISMATCH'];

// The bytes a token's issuer signed, rebuilt from the token as a decision carries it (natural JSON).
export function cstSignedBytes(cst) {
  const time = (t) => (t === null ? null : new Date(t).toISOString());
  return utf8(canonicalize({
    type: 'clawstream-cst/v1', token_id: cst.token_id, job_id: cst.job_id, agent_id: cst.agent_id,
    scope: cst.scope === null ? null : JSON.parse(cst.scope), scope_hash: cst.scope_hash,
    pinned_wpc_hashes: cst.pinned_wpc_hashes, wpc_name: cst.wpc_name, attestations: cst.attestations,
    issued_at: time(cst.issued_at), expires_at: time(cst.expires_at), revoked: cst.revoked,
    revoked_at: time(cst.revoked_at), issuer_key_id: cst.issuer_key_id,
  }));
}

/**
 * Checks the signature of every token the decisions of a full bundle carry against the issuers' public
 * keys, and that every decision made under a token that does not verify denies it (CST_SIGNATURE_INVALID,
 * or CST_REVOKED: a revocation counts even unsigned). Run after verifyBundle. Expiry, agent and pin are
 * the Java verifier's (clawstream verify --issuers). Resolves to {tokens, decisions}: tokens checked,
 * and decisions whose token was at hand.
 *
 * @param issuerKeys the trusted issuers' Ed25519 public keys (PEM, hex or bytes)
 */
export async function verifyTokens(input, issuerKeys, c) {
  const doc = typeof input === 'string' ? JSON.parse(input) : input;
  if (doc.redacted) throw new Error('checking tokens needs the full bundle: this copy is redacted');
  const issuers = new Map();
  for (const k of issuerKeys) {
    const raw = rawPublicKey(k);
    issuers.set(await keyId(c, raw), raw);
  }
  let inForce = null;
  let tokens = 0;
  let decisions = 0;
  for (const e of doc.entries) {
    if (e.entry.kind !== 'decision') continue;
    const opened = structuredClone(e.entry);
    for (const [p, o] of Object.entries(e.openings ?? {})) setAt(opened, p, o.value);
    const d = opened.decision;
    const index = e.index;
    if (d.cst !== null && d.cst !== undefined) {
      const key = issuers.get(d.cst.issuer_key_id);
      const signature = base64Decode(d.cst.signature ?? '');
      let signed = false;
      try {
        signed = key !== undefined && signature !== null && await c.ed25519Verify(key, cstSignedBytes(d.cst), signature);
      } catch {
        signed = false;
      }
      inForce = { cst: d.cst, signed };
      tokens++;
    }
    if (d.token_id === null || inForce === null) continue;
    decisions++;
    if (d.token_id !== inForce.cst.token_id) fail('DECISION', `decision ${d.decision_id} token_id against the token in force`, { index, expected: inForce.cst.token_id, actual: d.token_id });
    if (!inForce.signed && !DECIDED_BEFORE_THE_TOKEN.includes(d.reason) && d.reason !== 'CST_SIGNATURE_INVALID' && !(d.reason === 'CST_REVOKED' && inForce.cst.revoked)) {
      fail('DECISION', `decision ${d.decision_id} reason (token ${inForce.cst.token_id} is not signed by an issuer key given)`, { index, expected: 'CST_SIGNATURE_INVALID', actual: d.reason });
    }
  }
  return { tokens, decisions };
}

function setAt(root, pointer, value) {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root;
  for (const p of parts.slice(0, -1)) node = node[p];
  node[parts[parts.length - 1]] = value;
}
