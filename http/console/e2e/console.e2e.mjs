// Drives the web console in headless Chromium (Debian's, through playwright-core) against a running
// node holding the data ConsoleBrowserTest loaded, and reports what the page showed as JSON on
// stdout: the legend and stroke colour of each series drawn, screenshots of the graphs (which the
// test checks for those colours), the cluster table, and the log viewer's range view and live
// tail. It asserts nothing itself: the Java test does, from the report.
//
//   node e2e/console.e2e.mjs <base-url> <screenshot-dir> <plan.json>
//
// plan.json: {"chromium": path, "credential": secret or null, "promql": {"expr", "project"},
//             "opentsdb": {"expr"}, "logs": {"from", "to", "tailEntry": {…an entry, no timestamp…}}}
//
// With a credential, the node is expected to enforce credentials: the page's first calls are
// answered 401, which must open the credential box, where the script pastes it.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, outDir, planFile] = process.argv.slice(2);
if (!baseUrl || !outDir || !planFile) {
  console.error('usage: node e2e/console.e2e.mjs <base-url> <screenshot-dir> <plan.json>');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
mkdirSync(outDir, { recursive: true });

/** How long the page may take to show something; the test's own deadline bounds the whole run. */
const WAIT = 60_000;

const browser = await chromium.launch({
  executablePath: plan.chromium,
  // The closed network makes Chromium's background services misbehave: keep them off.
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const report = { pageErrors: [], consoleErrors: [], failedResponses: [], refusedBefore: [] };
/** Whether the credential has been given: answers failing before it are expected 401s. */
let credentialGiven = !plan.credential;
try {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1100 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => report.pageErrors.push(String(e)));
  context.on('response', (response) => {
    if (response.status() >= 400) {
      const line = `${response.status()} ${response.url()}`;
      (credentialGiven ? report.failedResponses : report.refusedBefore).push(line);
    }
  });
  page.on('console', (message) => {
    // Chromium logs every failed load as an error; those are in failedResponses.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      report.consoleErrors.push(message.text());
    }
  });

  await page.goto(`${baseUrl}/`);
  report.title = await page.title();
  if (plan.credential) {
    report.credentialBox = await giveCredential(page, plan.credential);
  }

  report.promql = await runQuery(page, 'promql', plan.promql.expr, plan.promql.project ?? '');
  report.promql.hash = new URL(page.url()).hash;
  report.opentsdb = await runQuery(page, 'opentsdb', plan.opentsdb.expr, '');

  // A link with the hash reproduces the query in a fresh page.
  const linked = await context.newPage();
  linked.on('pageerror', (e) => report.pageErrors.push(String(e)));
  await linked.goto(`${baseUrl}/${report.promql.hash}`);
  report.link = await graphResult(linked, 'promql-link');
  await linked.close();

  report.cluster = await cluster(page);
  // The panel's first answer, with the credential: the rate, or why there is none.
  await page.waitForFunction(
    () => /^(No data yet|now )/.test(document.getElementById('ingest-status').textContent),
    null,
    { timeout: WAIT },
  );
  report.ingest = await page.textContent('#ingest-status');
  report.logs = await logs(page, plan.logs);
  await page.screenshot({ path: join(outDir, 'console.png'), fullPage: true });
  report.screenshots = outDir;
} catch (e) {
  report.failure = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

/** Waits for the credential box a 401 opens, reports why it says it opened, and fills it in. */
async function giveCredential(page, secret) {
  await page.waitForSelector('#credential[open]', { timeout: WAIT });
  const reason = await page.textContent('#credential-reason');
  await page.screenshot({ path: join(outDir, 'credential.png') });
  await page.fill('#credential-secret', secret);
  credentialGiven = true;
  await page.click('#credential-save');
  await page.waitForSelector('#credential', { state: 'hidden', timeout: WAIT });
  return { reason, button: await page.textContent('#credential-open') };
}

/** Runs one query through the form and returns what the graph shows. */
async function runQuery(page, mode, expr, project) {
  await page.check(`#query-form input[name="mode"][value="${mode}"]`);
  if (mode === 'promql') {
    await page.fill('#query-form input[name="project"]', project);
  }
  await page.selectOption('#query-form select[name="range"]', '1h');
  await page.fill('#query-form textarea[name="expr"]', expr);
  await page.click('#query-run');
  return graphResult(page, mode);
}

/**
 * Waits for the query graph to settle, then reports its state, status line, legend labels and the
 * stroke colour of each, the legend's values with the cursor on the graph, and screenshots.
 */
async function graphResult(page, name) {
  const graph = page.locator('#query-graph');
  await page.waitForSelector('#query-graph:is([data-state="ready"], [data-state="error"], [data-state="empty"])', {
    timeout: WAIT,
  });
  const result = {
    state: await graph.getAttribute('data-state'),
    status: await page.textContent('#query-status'),
  };
  if (result.state !== 'ready') {
    return result;
  }
  const series = page.locator('#query-graph .u-legend .u-series');
  result.legend = [];
  result.colors = [];
  const count = await series.count();
  // The first legend row is the x (time) column.
  for (let i = 1; i < count; i++) {
    const row = series.nth(i);
    result.legend.push((await row.locator('.u-label').textContent()).trim());
    result.colors.push(
      await row.locator('.u-marker').evaluate((marker) => getComputedStyle(marker).borderTopColor),
    );
  }
  const canvas = page.locator('#query-graph canvas');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
  result.hoverValues = [];
  for (let i = 1; i < count; i++) {
    result.hoverValues.push((await series.nth(i).locator('.u-value').textContent()).trim());
  }
  await page.mouse.move(0, 0);
  result.canvasPng = join(outDir, `${name}-graph.png`);
  await canvas.screenshot({ path: result.canvasPng });
  await page.locator('#query').screenshot({ path: join(outDir, `${name}-panel.png`) });
  return result;
}

/** Waits for the cluster panel's first answer and reports its rows and health line. */
async function cluster(page) {
  await page.waitForSelector('#cluster:is([data-state="ready"], [data-state="error"])', {
    timeout: WAIT,
  });
  const rows = await page.$$eval('#cluster-members tbody tr', (trs) =>
    trs.map((tr) => ({
      address: tr.dataset.address,
      status: tr.querySelector('.status').textContent,
      reachable: tr.querySelector('.reachable').textContent,
      shards: tr.querySelector('.shards').textContent,
    })),
  );
  await page.locator('#cluster').screenshot({ path: join(outDir, 'cluster.png') });
  return {
    state: await page.getAttribute('#cluster', 'data-state'),
    status: await page.textContent('#cluster-status'),
    rows,
  };
}

/**
 * Shows the range `(from, to]`, then starts the live tail, posts an entry once the tail waits for
 * one, and reports the messages each showed; the tail is stopped at the end.
 */
async function logs(page, { from, to, tailEntry }) {
  const local = (millis) => {
    const d = new Date(millis);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  };
  const result = {};
  // datetime-local holds whole seconds: widen the range to them.
  await page.fill('#logs-form input[name="from"]', local(Math.floor(from / 1000) * 1000 - 1000));
  await page.fill('#logs-form input[name="to"]', local(Math.ceil(to / 1000) * 1000 + 1000));
  await page.click('#logs-show');
  await page.waitForFunction(
    () => /entr(y|ies) in|\d{3}:/.test(document.getElementById('logs-status').textContent),
    null,
    { timeout: WAIT },
  );
  result.rangeStatus = await page.textContent('#logs-status');
  result.range = await messages(page);

  await page.click('#logs-tail');
  await page.waitForSelector('#logs[data-state="tailing"]', { timeout: WAIT });
  result.beforePost = await messages(page);
  const entry = { ...tailEntry, timestamp: Date.now() };
  const posted = await fetch(`${baseUrl}/v1/log_excerpts`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(plan.credential ? { Authorization: `Bearer ${plan.credential}` } : {}),
    },
    body: JSON.stringify(entry),
  });
  result.postStatus = posted.status;
  await page
    .waitForFunction(
      (msg) =>
        [...document.querySelectorAll('#log-entries .msg')].some((el) => el.textContent === msg),
      tailEntry.msg,
      { timeout: WAIT },
    )
    .catch((e) => {
      result.tailWait = String(e);
    });
  result.tail = await messages(page);
  result.tailState = await page.getAttribute('#logs', 'data-state');
  await page.locator('#logs').screenshot({ path: join(outDir, 'logs-tail.png') });
  await page.click('#logs-stop');
  result.afterStop = await page.getAttribute('#logs', 'data-state');
  return result;
}

async function messages(page) {
  return page.$$eval('#log-entries .msg', (els) => els.map((el) => el.textContent));
}
