// Trust Pulse and the live view. Plain ES modules, no framework: every value shown comes from the
// API as data and is inserted as text (never as HTML), because destinations are attacker-controlled.
import { verifyBundle, verifySegments, VerificationError } from './verifier/bundle-verifier.mjs';
import { webCrypto } from './verifier/webcrypto.mjs';

const view = document.getElementById('view');
let leaveView = () => {};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return res.json();
}

async function text(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(path + ': ' + res.status + ' ' + res.statusText);
  return res.text();
}

const short = (hash) => (hash ? hash.replace(/^sha256:/, '').slice(0, 12) + '…' : '—');
const when = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
const num = (n) => Number(n || 0).toLocaleString('en-US');

function span(a, b) {
  if (!a || !b) return '—';
  const seconds = Math.max(0, (new Date(b) - new Date(a)) / 1000);
  const dur = seconds < 90 ? `${seconds.toFixed(0)} s` : seconds < 5400 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
  return `${when(a)} → ${when(b)} (${dur})`;
}

function show(...children) {
  leaveView();
  leaveView = () => {};
  view.replaceChildren(...children);
}

function failure(e) {
  show(h('h1', {}, 'Something went wrong'), h('p', { class: 'DENY' }, e.message));
}

// ---- jobs -------------------------------------------------------------------------------------

async function jobsView() {
  const res = await fetch('/api/jobs?limit=500', { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`/api/jobs: ${res.status} ${res.statusText}`);
  const jobs = await res.json();
  const total = Number(res.headers.get('X-Total-Count') || jobs.length);
  const rows = jobs.map((j) => h('tr', { 'data-job': j.jobId },
    h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(j.jobId)}` }, j.jobId)),
    h('td', {}, j.agentId || '—'),
    h('td', {}, j.wpcHash ? h('a', { class: 'hash', href: `#/wpcs/${j.wpcHash}`, title: j.wpcHash }, short(j.wpcHash)) : '—'),
    h('td', { class: 'hash', title: j.cstScopeHash || '' }, short(j.cstScopeHash)),
    h('td', { class: 'num' }, num(j.entryCount)),
    h('td', { class: 'num ALLOW' }, num(j.allowed)),
    h('td', { class: 'num DENY' }, num(j.denied)),
    h('td', { class: 'num' }, num(j.receipts)),
    h('td', {}, span(j.firstTime, j.lastTime)),
    h('td', {}, (j.closed ? 'sealed' : 'open') + ' · ' + (j.sealReason || '') + (j.segments.length > 1 ? ` · ${j.segments.length} segments` : ''))));
  show(
    h('h1', {}, 'Jobs with sealed proof bundles'),
    total > jobs.length ? h('p', { class: 'muted' }, `The ${jobs.length} most recently active of ${num(total)} jobs.`) : null,
    jobs.length === 0
      ? h('p', { class: 'muted', 'data-testid': 'no-jobs' }, 'No sealed bundles yet. Bundles appear here when a job closes (or goes idle).')
      : h('table', { 'data-testid': 'jobs' },
        h('thead', {}, h('tr', {}, ['Job', 'Agent', 'WPC', 'CST scope', 'Entries', 'Allowed', 'Denied', 'Receipts', 'Time span', 'State']
          .map((t, i) => h('th', { class: i >= 4 && i <= 7 ? 'num' : '' }, t)))),
        h('tbody', {}, rows)));
}

// ---- one job's bundle -------------------------------------------------------------------------

function destinationCell(entry) {
  const committed = new Set(entry.committed || []);
  if (entry.kind === 'receipt') return `model call ${entry.receipt.provider} / ${entry.receipt.model_id}`;
  if (entry.kind !== 'decision') return '';
  const input = entry.decision.input || {};
  if ('receipt_id' in input) return `model call ${input.provider} / ${input.model_id}`;
  const parts = [];
  for (const field of ['url', 'host', 'resolved_ip']) {
    if (input[field] === null || input[field] === undefined) continue;
    if (committed.has(`/decision/input/${field}`)) parts.push(h('span', { class: 'redacted', title: input[field] }, `${field} redacted`));
    else parts.push(h('span', {}, String(input[field])));
  }
  if (input.port !== null && input.port !== undefined) parts.push(h('span', {}, `port ${input.port}`));
  return parts.length ? parts.flatMap((p, i) => (i ? [' · ', p] : [p])) : '—';
}

function timelineRow(e) {
  const entry = e.entry;
  let time = '';
  let verdict = '';
  let reason = '';
  if (entry.kind === 'header') time = entry.started_at;
  if (entry.kind === 'close') { time = entry.time; reason = entry.reason; }
  if (entry.kind === 'receipt') time = entry.receipt.time;
  if (entry.kind === 'decision') {
    time = entry.decision.input && entry.decision.input.time;
    verdict = entry.decision.verdict;
    reason = entry.decision.reason + (entry.decision.would_be_verdict ? ` (would ${entry.decision.would_be_verdict})` : '');
  }
  return h('tr', { 'data-index': e.index },
    h('td', { class: 'num' }, e.index),
    h('td', {}, entry.kind),
    h('td', {}, when(time)),
    h('td', { class: verdict }, verdict),
    h('td', {}, reason),
    h('td', {}, entry.kind === 'header' ? `agent ${entry.agent_id}, token ${entry.token_id}` : destinationCell(entry)));
}

async function bundlerKey() {
  const pinned = localStorage.getItem('clawstream.bundlerKey');
  if (pinned) return { pem: pinned, source: 'the key you pinned in this browser' };
  const res = await fetch('/api/keys/bundler');
  if (!res.ok) return null;
  return { pem: await res.text(), source: 'the key this server publishes (pin your own copy to check it independently)' };
}

async function verifyInBrowser(texts, badge, table) {
  const key = await bundlerKey();
  if (!key) {
    badge.className = 'badge pending';
    badge.textContent = 'Not verified: no bundler public key (pin one below).';
    return;
  }
  try {
    const summaries = texts.length === 1 ? [await verifyBundle(texts[0], key.pem, webCrypto)] : await verifySegments(texts, key.pem, webCrypto);
    const entries = summaries.reduce((n, s) => n + s.entries, 0);
    badge.className = 'badge verified';
    badge.dataset.state = 'verified';
    badge.textContent = `✔ Verified in your browser: ${entries} entries in ${summaries.length} segment(s), every chain link, the Merkle root and the Ed25519 seal, against ${key.source}.`;
  } catch (e) {
    badge.className = 'badge invalid';
    badge.dataset.state = 'invalid';
    if (e instanceof VerificationError) {
      badge.dataset.check = e.check;
      if (e.index !== undefined) {
        badge.dataset.index = e.index;
        const row = table.querySelector(`tr[data-index="${e.index}"]`);
        if (row) { row.classList.add('fault'); row.scrollIntoView({ block: 'center' }); }
      }
      badge.textContent = `✘ INVALID — ${e.message}`;
    } else {
      badge.textContent = `✘ INVALID — ${e.message}`;
    }
  }
}

async function jobView(jobId) {
  const job = await api(`/api/jobs/${encodeURIComponent(jobId)}`);
  const paths = job.segments.map((s) => `/api/jobs/${encodeURIComponent(jobId)}/bundles/${s.segmentIndex}`);
  const texts = await Promise.all(paths.map(text));
  const docs = texts.map((t) => JSON.parse(t));
  const entries = docs.flatMap((d) => d.entries);
  const header = entries.length && entries[0].entry.kind === 'header' ? entries[0].entry : {};
  const badge = h('div', { class: 'badge pending', 'data-testid': 'verification', 'data-state': 'pending', 'data-job': jobId }, 'Verifying in your browser…');
  const table = h('table', { 'data-testid': 'timeline' },
    h('thead', {}, h('tr', {}, ['#', 'Entry', 'Time', 'Verdict', 'Reason', 'Destination / detail'].map((t) => h('th', {}, t)))),
    h('tbody', {}, entries.map(timelineRow)));
  const files = job.segments.map((s) => `${jobId}-segment-${s.segmentIndex}.redacted.json`.replace(/[^A-Za-z0-9._-]/g, '_'));
  const pinInput = h('textarea', { rows: 3, cols: 70, placeholder: '-----BEGIN PUBLIC KEY-----…' });
  show(
    h('p', {}, h('a', { href: '#/' }, '← all jobs')),
    h('h1', {}, `Job ${jobId}`),
    badge,
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Header'), h('dl', { class: 'kv' },
        h('dt', {}, 'Agent'), h('dd', {}, header.agent_id || job.agentId || '—'),
        h('dt', {}, 'WPC'), h('dd', { class: 'hash' }, header.wpc_hash ? h('a', { href: `#/wpcs/${header.wpc_hash}` }, header.wpc_hash) : '—'),
        h('dt', {}, 'CST scope'), h('dd', { class: 'hash' }, header.cst_scope_hash || '—'),
        h('dt', {}, 'Token'), h('dd', {}, header.token_id || '—'),
        h('dt', {}, 'Started'), h('dd', {}, when(header.started_at)),
        h('dt', {}, 'Bundler key'), h('dd', { class: 'hash' }, docs[0] ? docs[0].bundler_key_id : '—'))),
      h('div', { class: 'card' }, h('h2', {}, 'Counts'), h('dl', { class: 'kv' },
        h('dt', {}, 'Entries'), h('dd', {}, num(job.entryCount)),
        h('dt', {}, 'Decisions'), h('dd', {}, `${num(job.decisions)} (${num(job.allowed)} allowed, ${num(job.denied)} denied)`),
        h('dt', {}, 'Gateway receipts'), h('dd', {}, num(job.receipts)),
        h('dt', {}, 'Time span'), h('dd', {}, span(job.firstTime, job.lastTime)),
        h('dt', {}, 'Sealed'), h('dd', {}, `${job.closed ? 'final' : 'interim'} · ${job.sealReason}`))),
      h('div', { class: 'card' }, h('h2', {}, 'Check it yourself'),
        h('p', {}, ...paths.map((p, i) => h('span', {}, h('a', { href: p + '?download=1', download: files[i], 'data-testid': 'download' }, `Download ${files[i]}`), h('br')))),
        h('p', {}, 'Verify offline with the bundler\'s public key:'),
        h('pre', {}, `clawstream verify ${files.join(' ')} --key bundler.pub.pem\nnode verifier-js/cli.mjs ${files.join(' ')} --key bundler.pub.pem`),
        h('details', {}, h('summary', {}, 'Pin the bundler key in this browser'), pinInput, h('br'),
          h('button', { onclick: () => { localStorage.setItem('clawstream.bundlerKey', pinInput.value.trim()); route(); } }, 'Pin and re-verify'), ' ',
          h('button', { onclick: () => { localStorage.removeItem('clawstream.bundlerKey'); route(); } }, 'Forget pinned key')))),
    h('h2', {}, 'Timeline'),
    table);
  await verifyInBrowser(texts, badge, table);
}

// ---- policies ---------------------------------------------------------------------------------

async function wpcsView() {
  const wpcs = await api('/api/wpcs');
  const byName = new Map();
  for (const w of wpcs) (byName.get(w.name) || byName.set(w.name, []).get(w.name)).push(w);
  const sections = [];
  for (const [name, versions] of byName) {
    const from = h('select', {}, versions.map((v) => h('option', { value: v.hash }, `v${v.version} ${short(v.hash)}`)));
    const to = h('select', {}, versions.map((v, i) => h('option', { value: v.hash, selected: i === versions.length - 1 }, `v${v.version} ${short(v.hash)}`)));
    sections.push(h('div', { class: 'card' }, h('h2', {}, name),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Hash'), h('th', {}, 'Publisher key'))),
        h('tbody', {}, versions.map((v) => h('tr', {}, h('td', {}, `v${v.version}`),
          h('td', { class: 'hash' }, h('a', { href: `#/wpcs/${v.hash}` }, v.hash)), h('td', { class: 'hash' }, short(v.publisher_key_id)))))),
      versions.length > 1 ? h('p', {}, 'Diff ', from, ' → ', to, ' ',
        h('button', { onclick: () => { location.hash = `#/wpcs/diff/${from.value}/${to.value}`; } }, 'Show')) : null));
  }
  show(h('h1', {}, 'Work Policy Contracts'),
    sections.length ? h('div', { class: 'grid' }, sections) : h('p', { class: 'muted' }, 'No trusted WPC published yet.'));
}

async function wpcView(hash) {
  const w = await api(`/api/wpcs/${encodeURIComponent(hash)}`);
  let pretty = w.document;
  try { pretty = JSON.stringify(JSON.parse(w.document), null, 2); } catch (e) { /* shown as stored */ }
  show(h('p', {}, h('a', { href: '#/wpcs' }, '← all policies')),
    h('h1', {}, `${w.name} v${w.version}`),
    h('dl', { class: 'kv' }, h('dt', {}, 'Hash'), h('dd', { class: 'hash' }, w.hash),
      h('dt', {}, 'Publisher key'), h('dd', { class: 'hash' }, w.publisher_key_id)),
    h('h2', {}, 'Document (as signed)'), h('pre', {}, pretty));
}

async function diffView(from, to) {
  const d = await api(`/api/wpcs/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  show(h('p', {}, h('a', { href: '#/wpcs' }, '← all policies')),
    h('h1', {}, `${d.from.name}: v${d.from.version} → v${d.to.version}`),
    h('p', { class: 'hash' }, `${d.from.hash} → ${d.to.hash}`),
    d.changes.length === 0 ? h('p', {}, 'No change in what is allowed or denied.')
      : h('ul', { 'data-testid': 'diff' }, d.changes.map((c) => h('li', { class: c.direction.toLowerCase() }, `${c.direction === 'WIDENS' ? 'widens' : 'narrows'}: ${c.description}`))));
}

// ---- live view --------------------------------------------------------------------------------

function alertRow(a) {
  const sample = (a.evidence || []).map((e) => e.destination).filter(Boolean).slice(0, 3).join(', ');
  return h('tr', { 'data-alert': a.alert_id, 'data-severity': a.severity },
    h('td', {}, when(a.time)),
    h('td', {}, h('span', { class: `sev-${a.severity}` }, a.severity)),
    h('td', {}, a.kind),
    h('td', {}, a.agent_id),
    h('td', {}, a.job_id || '—'),
    h('td', { class: 'num' }, num(a.count) + (a.suppressed ? ` (+${num(a.suppressed)} folded)` : '')),
    h('td', {}, (a.detail || '') + (sample ? ` — ${sample}` : '')));
}

function destinationTable(list, which, testid) {
  return h('table', { 'data-testid': testid },
    h('thead', {}, h('tr', {}, h('th', {}, 'Destination'), h('th', { class: 'num' }, which), h('th', {}, 'Agents'))),
    h('tbody', {}, list.map((d) => h('tr', {}, h('td', { class: 'hash' }, d.destination),
      h('td', { class: 'num' }, num(which === 'Allowed' ? d.allowed : d.denied)), h('td', {}, (d.agents || []).join(', '))))));
}

async function liveView() {
  const alertsBody = h('tbody', {});
  const seen = new Set();
  const addAlert = (a, top) => {
    if (seen.has(a.alert_id)) return;
    seen.add(a.alert_id);
    const row = alertRow(a);
    if (top) alertsBody.prepend(row); else alertsBody.append(row);
  };
  const chart = h('div', { 'data-testid': 'chart' });
  const topAllowed = h('div', {});
  const topDenied = h('div', {});
  const deadletters = h('span', { class: 'stat', 'data-testid': 'deadletters' }, '…');
  const streamState = h('span', { class: 'muted', 'data-testid': 'stream-state' }, 'connecting…');
  const alertsTable = h('table', { 'data-testid': 'alerts', class: localStorage.getItem('clawstream.showLow') === '1' ? '' : 'hide-low' },
    h('thead', {}, h('tr', {}, ['Time', 'Severity', 'Kind', 'Agent', 'Job', 'Count', 'Detail / evidence'].map((t) => h('th', {}, t)))),
    alertsBody);
  const showLow = h('input', { type: 'checkbox', checked: !alertsTable.classList.contains('hide-low'),
    onchange: (e) => { alertsTable.classList.toggle('hide-low', !e.target.checked); localStorage.setItem('clawstream.showLow', e.target.checked ? '1' : '0'); } });
  show(h('h1', {}, 'Live view'),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Blocked requests per agent per minute (last hour)'), chart),
      h('div', { class: 'card' }, h('h2', {}, 'Dead letters'), deadletters,
        h('p', { class: 'muted' }, 'Records no stage could read or process, kept with the reason on the deadletter topic.'))),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Top destinations allowed (last hour)'), topAllowed),
      h('div', { class: 'card' }, h('h2', {}, 'Top destinations denied (last hour)'), topDenied)),
    h('h2', {}, 'Alerts ', streamState),
    h('p', {}, h('label', {}, showLow, ' show low-severity alerts (first contacts with a destination)')),
    alertsTable);

  const recent = await api('/api/alerts?limit=100');
  recent.alerts.forEach((a) => addAlert(a, false));
  const source = new EventSource('/api/alerts/stream');
  source.addEventListener('open', () => { streamState.textContent = '· live'; streamState.dataset.state = 'open'; });
  source.addEventListener('error', () => { streamState.textContent = '· reconnecting…'; streamState.dataset.state = 'error'; });
  source.addEventListener('alert', (ev) => addAlert(JSON.parse(ev.data), true));

  let plot = null;
  const refresh = async () => {
    const [traffic, dead] = await Promise.all([api('/api/live/traffic?minutes=60'), api('/api/live/deadletters')]);
    deadletters.textContent = num(dead.total);
    topAllowed.replaceChildren(destinationTable(traffic.destinations.topAllowed, 'Allowed', 'top-allowed'));
    topDenied.replaceChildren(destinationTable(traffic.destinations.topDenied, 'Denied', 'top-denied'));
    const start = Math.floor(new Date(traffic.from).getTime() / 60000);
    const end = Math.floor(new Date(traffic.to).getTime() / 60000);
    const xs = [];
    for (let m = start; m < end; m++) xs.push(m * 60);
    const agents = Object.keys(traffic.agents);
    const series = agents.map((agent) => {
      const byMinute = new Map(traffic.agents[agent].map((p) => [Math.floor(new Date(p.minute).getTime() / 60000) * 60, p.denied]));
      return xs.map((x) => byMinute.get(x) || 0);
    });
    const palette = ['#b42318', '#175cd3', '#b54708', '#067647', '#6941c6', '#c11574', '#344054'];
    const opts = { width: Math.max(320, chart.clientWidth || 600), height: 220, scales: { x: { time: true } },
      series: [{}, ...agents.map((a, i) => ({ label: a, stroke: palette[i % palette.length], width: 2 }))],
      axes: [{}, { label: 'blocked / min' }] };
    if (plot) plot.destroy();
    plot = new uPlot(opts, [xs, ...series], chart);
    chart.dataset.agents = agents.join(',');
  };
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), 5000);
  leaveView = () => { clearInterval(timer); source.close(); if (plot) plot.destroy(); };
}

// ---- routing ----------------------------------------------------------------------------------

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active',
    a.dataset.nav === (parts[0] === 'live' ? 'live' : parts[0] === 'wpcs' ? 'wpcs' : 'jobs')));
  try {
    if (parts[0] === 'jobs' && parts[1]) await jobView(parts[1]);
    else if (parts[0] === 'wpcs' && parts[1] === 'diff') await diffView(parts[2], parts[3]);
    else if (parts[0] === 'wpcs' && parts[1]) await wpcView(parts[1]);
    else if (parts[0] === 'wpcs') await wpcsView();
    else if (parts[0] === 'live') await liveView();
    else await jobsView();
  } catch (e) {
    failure(e);
  }
}

window.addEventListener('hashchange', route);
route();
