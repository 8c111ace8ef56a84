#!/usr/bin/env node
// node verifier-js/cli.mjs BUNDLE.json [SEGMENT-1.json ...] --key PUB.pem [--issuers DIR|PUB.pem] [--webcrypto]
//   (several files: every segment of one job, in order, each verified and linked to the one before;
//    --issuers: also the signature of every token the decisions carry, full bundles only)
// node verifier-js/cli.mjs --proof ENTRY.tlog-proof --key PUB.pem [--job JOB] [--webcrypto]
// Exit 0: valid. Exit 2: invalid, the first failed check on stderr. Exit 1: usage or I/O error.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { verifyBundle, verifyProof, verifySegments, verifyTokens, VerificationError } from './bundle-verifier.mjs';
import { nodeCrypto } from './node-crypto.mjs';
import { webCrypto } from './webcrypto.mjs';

function usage(message) {
  if (message) console.error(message);
  console.error('usage: cli.mjs BUNDLE [SEGMENT...] --key PUB [--issuers DIR] [--webcrypto]\n       cli.mjs --proof PROOF --key PUB [--job JOB] [--webcrypto]');
  process.exit(1);
}

const args = process.argv.slice(2);
const options = { webcrypto: false };
const positional = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--key' || a === '--proof' || a === '--job' || a === '--issuers') {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    options[a.slice(2)] = args[++i];
  } else if (a === '--webcrypto') {
    options.webcrypto = true;
  } else if (a.startsWith('--')) {
    usage(`unknown option ${a}`);
  } else {
    positional.push(a);
  }
}
if (!options.key) usage('--key is required');
if (options.proof ? positional.length !== 0 : positional.length === 0) usage();

const provider = options.webcrypto ? webCrypto : nodeCrypto;
let key;
let inputs;
let issuers;
try {
  key = readFileSync(options.key, 'utf8');
  if (options.issuers) {
    // A directory of *.pub.pem (as clawstream verify --issuers), or one key file.
    const files = statSync(options.issuers).isDirectory()
      ? readdirSync(options.issuers).filter((f) => f.endsWith('.pub.pem')).map((f) => join(options.issuers, f))
      : [options.issuers];
    issuers = files.map((f) => readFileSync(f, 'utf8'));
  }
  inputs = (options.proof ? [options.proof] : positional).map((f) => readFileSync(f, 'utf8'));
} catch (e) {
  usage(e.message);
}

try {
  if (options.proof) {
    const r = await verifyProof(inputs[0], key, provider, { jobId: options.job });
    console.log(`OK entry ${r.index} is in the tree of ${r.treeSize} entries sealed as ${r.origin}`);
    console.log(JSON.stringify(r.entry));
  } else {
    let documents;
    try {
      documents = inputs.map((text) => JSON.parse(text));
    } catch (e) {
      throw new VerificationError('FORMAT', 'bundle document is not JSON: ' + e.message);
    }
    // One file is a segment on its own (any index); several are a job's segments from the first, in order.
    const results = documents.length === 1 ? [await verifyBundle(documents[0], key, provider)]
      : await verifySegments(documents, key, provider);
    for (const r of results) {
      console.log(`OK job ${r.jobId} segment ${r.segment}${r.final ? ' (final)' : ''}${r.redacted ? ' redacted' : ''}: `
        + `${r.entries} entries, tree of ${r.treeSize}, ${r.checkpoints} checkpoint(s) consistent with the seal`);
    }
    if (issuers && documents.every((d) => !d.redacted)) {
      let tokens = 0;
      let decisions = 0;
      for (const d of documents) {
        const t = await verifyTokens(d, issuers, provider);
        tokens += t.tokens;
        decisions += t.decisions;
      }
      console.log(`OK tokens: ${tokens} token(s) signed by an issuer given, or denied as forged; ${decisions} decision(s) under them`);
    } else {
      console.log('NOT CHECKED tokens' + (issuers ? ' (a redacted copy hides them)' : ' (give --issuers DIR)'));
    }
  }
} catch (e) {
  if (e instanceof VerificationError) {
    console.error('INVALID ' + e.message);
    process.exit(2);
  }
  console.error('ERROR ' + (e?.message ?? e));
  process.exit(1);
}
