// End-to-end check of Trust Pulse and the live view in real headless Chromium, driven by
// playwright-core (no browser download: Debian's chromium, given by CHROMIUM). Run by
// TrustPulseBrowserIT, which starts the pipeline, plays the demo story, tampers one bundle and
// publishes an alert when this script says READY_FOR_ALERT. Exit 0 when every check passed.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};
const base = env('BASE_URL');
const shots = env('SCREENSHOTS');
const validJob = env('VALID_JOB');
const tamperedJob = env('TAMPERED_JOB');
const tamperedIndex = env('TAMPERED_INDEX');
const alertId = env('ALERT_ID');
mkdirSync(shots, { recursive: true });

const step = (what) => console.log(`STEP ${what}`);
const browser = await chromium.launch({
  executablePath: env('CHROMIUM'),
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => errors.push(e.message));

  step('the job list loads');
  await page.goto(base);
  await page.waitForSelector('[data-testid=jobs] tbody tr');
  const jobs = await page.$$eval('[data-testid=jobs] tbody tr', (rows) => rows.map((r) => r.dataset.job));
  assert.ok(jobs.includes(validJob), `job list ${jobs} has ${validJob}`);
  assert.ok(jobs.includes(tamperedJob), `job list ${jobs} has ${tamperedJob}`);
  await page.screenshot({ path: join(shots, '1-jobs.png'), fullPage: true });

  step('a sealed bundle shows verified, computed in the browser');
  await page.click(`tr[data-job="${validJob}"] a`);
  const badge = page.locator(`[data-testid=verification][data-job="${validJob}"]:not([data-state=pending])`);
  await badge.waitFor({ timeout: 30000 });
  assert.equal(await badge.getAttribute('data-state'), 'verified', await badge.textContent());
  assert.match(await badge.textContent(), /Verified in your browser/);
  const redacted = await page.locator('[data-testid=timeline] .redacted').count();
  assert.ok(redacted > 0, 'redacted destinations are shown as redacted');
  const timeline = await page.textContent('[data-testid=timeline]');
  assert.ok(!timeline.includes('attacker.com'), 'the redacted copy shows no destination in clear');
  await page.screenshot({ path: join(shots, '2-bundle-verified.png') });

  step('a tampered bundle shows invalid, with the entry at fault');
  await page.goto(`${base}#/jobs/${encodeURIComponent(tamperedJob)}`);
  const bad = page.locator(`[data-testid=verification][data-job="${tamperedJob}"]:not([data-state=pending])`);
  await bad.waitFor({ timeout: 30000 });
  assert.equal(await bad.getAttribute('data-state'), 'invalid', await bad.textContent());
  assert.equal(await bad.getAttribute('data-index'), tamperedIndex, await bad.textContent());
  assert.equal(await page.locator(`tr.fault[data-index="${tamperedIndex}"]`).count(), 1, 'the faulty entry is highlighted');
  await page.screenshot({ path: join(shots, '3-bundle-tampered-row.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, '3-bundle-tampered.png') });

  step('the policies page lists the WPC');
  await page.goto(`${base}#/wpcs`);
  await page.waitForSelector('.card h2');
  await page.screenshot({ path: join(shots, '4-policies.png') });

  step('an alert pushed to the topic appears in the live view');
  await page.goto(`${base}#/live`);
  await page.waitForSelector('[data-testid=stream-state][data-state=open]', { timeout: 30000 });
  await page.waitForSelector('[data-testid=chart] canvas');
  const lines = createInterface({ input: process.stdin });
  const published = new Promise((resolve) => lines.on('line', (l) => { if (l.trim() === 'ALERT_PUBLISHED') resolve(); }));
  console.log('READY_FOR_ALERT');
  await published;
  await page.waitForSelector(`[data-testid=alerts] tr[data-alert="${alertId}"]`, { timeout: 30000 });
  await page.screenshot({ path: join(shots, '5-live.png'), fullPage: true });
  lines.close();

  assert.deepEqual(errors, [], 'no script errors in the page');
  console.log('E2E OK');
} finally {
  await browser.close();
}
