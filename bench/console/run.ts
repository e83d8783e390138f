/**
 * bench/console — the console in headless Chromium against the built API with N tickets loaded through the
 * product's own import and the local analyzer (issue 7's targets: ≤ 500 KB initial JavaScript, compressed;
 * ≤ 2 s from navigating to /dashboard until the trend chart is drawn).
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/console/run.ts [--tickets 20000] [--navigations 7]
 *       [--keep-db | --load-only] [--db pim_bench_console_xxxx]
 *   --load-only: import and keep the database, measure nothing; --db: measure on a database loaded before
 *   (skips the import); --keep-db: keep the database after measuring.
 *
 * Loads data like bench/api: the Zendesk simulator's dataset (seed 42) as JSONL, uploaded to
 * POST /api/tickets/import of the built API (own process, fresh PostgreSQL database, no Redis: in-memory cache),
 * then restarts the API (so the first navigation meets a cold server cache) and measures with Debian's Chromium:
 *
 * - initial JavaScript: every script response the page fetched between the navigation to /dashboard and the
 *   chart being drawn plus network idle, in a fresh browser context (empty HTTP cache). "Transferred" is the
 *   encoded body size Chromium reports (what went over the wire, compressed if the server compressed); the raw
 *   size and what gzip -6 would make of each file are reported beside it.
 * - time to chart: performance.now() (ms since navigation start) when the first <rect> appears inside
 *   svg[data-testid=trend-chart], recorded by a MutationObserver installed before any page script. The first
 *   navigation after the API start is the cold one (server cache empty, browser cache empty); then N more
 *   navigations each in a fresh context (warm server, empty browser cache), and N reloads in one context
 *   (warm server, warm browser cache).
 *
 * Writes the section "## bench/console" of bench/RESULTS.md.
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openAsBlob, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Browser, BrowserContext, chromium } from 'playwright-core';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';
import { argValue, BENCH_ADMIN, BuiltApi, median, ROOT, sleep, sql, startBuiltApi } from '../support';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TICKETS = Number(argValue('--tickets') ?? 20_000);
const NAVIGATIONS = Number(argValue('--navigations') ?? 7);
const REUSE_DB = argValue('--db');
const LOAD_ONLY = process.argv.includes('--load-only');
const KEEP_DB = process.argv.includes('--keep-db') || LOAD_ONLY || !!REUSE_DB;
const ADMIN = BENCH_ADMIN;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Imports the generated dataset through the API and waits for the run (import → analyze → cluster) to end. */
/**
 * Waits for a run (or every active run) to end, reading the runs table: polling over HTTP raced the API's
 * keep-alive timeout while clustering kept its event loop busy (ECONNRESET).
 */
async function waitForRun(db: string, runId?: string): Promise<{ status: string; error: string | null }> {
  for (;;) {
    const rows = (
      await sql(
        runId
          ? `SELECT status, error FROM runs WHERE id = '${runId}'`
          : `SELECT status, error FROM runs WHERE status NOT IN ('succeeded', 'failed', 'cancelled')`,
        db,
      )
    ).rows as { status: string; error: string | null }[];
    if (!runId && rows.length === 0) {
      return (await sql(`SELECT status, error FROM runs ORDER BY created_at DESC LIMIT 1`, db)).rows[0];
    }
    if (runId && rows[0] && ['succeeded', 'failed', 'cancelled'].includes(rows[0].status)) return rows[0];
    await sleep(3000);
  }
}

async function load(api: BuiltApi, dir: string, db: string) {
  const { base, auth } = api;
  const file = join(dir, 'tickets.jsonl');
  const exported = await exportDatasetToFile(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), file, {
    format: 'jsonl',
  });
  console.log(`dataset: ${JSON.stringify(exported)}`);
  const form = new FormData();
  form.append('file', await openAsBlob(file), 'tickets.jsonl');
  const t0 = Date.now();
  const { runId } = await (
    await fetch(`${base}/api/tickets/import`, { method: 'POST', headers: auth, body: form })
  ).json();
  const run = await waitForRun(db, runId);
  if (run.status !== 'succeeded') throw new Error(`import run failed: ${run.error}`);
  const pipelineS = (Date.now() - t0) / 1000;
  console.log(`import run done in ${pipelineS.toFixed(0)} s`);
  return { exported, pipelineS };
}

interface ScriptResponse {
  url: string;
  encoding: string;
  transferred: number;
  raw: number;
  gzip: number;
}

/** Records when the first bar of the trend chart exists, in ms since navigation start. */
const CHART_OBSERVER = `
  (() => {
    const done = () => {
      if (window.__chartAt === undefined && document.querySelector('svg[data-testid="trend-chart"] rect')) {
        window.__chartAt = performance.now();
        return true;
      }
      return window.__chartAt !== undefined;
    };
    new MutationObserver((_, observer) => { if (done()) observer.disconnect(); })
      .observe(document, { childList: true, subtree: true });
  })();
`;

/** One navigation to /dashboard: ms to the chart, and the scripts fetched until then (plus network idle). */
async function navigate(context: BrowserContext, collectScripts: boolean) {
  const page = context.pages()[0] ?? (await context.newPage());
  const scripts: Promise<ScriptResponse | null>[] = [];
  const onResponse = (response: import('playwright-core').Response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.push(
      (async () => {
        const body = await response.body().catch(() => null);
        const sizes = await response.request().sizes();
        if (!body) return null;
        return {
          url: new URL(response.url()).pathname,
          encoding: (await response.headerValue('content-encoding')) ?? 'none',
          transferred: sizes.responseBodySize,
          raw: body.length,
          gzip: gzipSync(body, { level: 6 }).length,
        };
      })(),
    );
  };
  if (collectScripts) page.on('response', onResponse);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/dashboard', { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __chartAt?: number }).__chartAt !== undefined, null, {
    timeout: 60_000,
    polling: 100,
  });
  const chartMs = await page.evaluate(() => (window as unknown as { __chartAt: number }).__chartAt);
  // Where the time went: the HTML parsed, the last script loaded, the trends answer arrived (ms since navigation).
  const phases = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const end = (match: (name: string) => boolean) =>
      Math.max(0, ...resources.filter((r) => match(new URL(r.name).pathname)).map((r) => r.responseEnd));
    return {
      domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
      scriptsEnd: end((path) => path.endsWith('.js')),
      trendsEnd: end((path) => path.startsWith('/api/issues/trends')),
    };
  });
  if (!page.url().endsWith('/dashboard')) throw new Error(`ended on ${page.url()}: not signed in?`);
  let fetched: ScriptResponse[] = [];
  if (collectScripts) {
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    fetched = (await Promise.all(scripts)).filter((s): s is ScriptResponse => s !== null);
  }
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
  return { chartMs, phases, scripts: fetched };
}

async function measure(base: string) {
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const viewport = { width: 1366, height: 800 };
    // Sign in through the login page once (landing on the profile, which does not touch the dashboard's API).
    const loginContext = await browser.newContext({ baseURL: base, viewport });
    const loginPage = await loginContext.newPage();
    await loginPage.goto('/login?returnUrl=%2Fprofile');
    await loginPage.getByLabel(/email/i).fill(ADMIN.email);
    await loginPage.getByLabel(/password/i).fill(ADMIN.password);
    await loginPage.getByRole('button', { name: /sign in/i }).click();
    await loginPage.waitForURL(/\/profile/);
    await loginPage.getByText(ADMIN.email).first().waitFor();
    const storageState = await loginContext.storageState();
    await loginContext.close();

    const fresh = async () => {
      const context = await browser.newContext({ baseURL: base, viewport, storageState });
      await context.addInitScript(CHART_OBSERVER);
      return context;
    };

    // 1. Cold: first dashboard after the API start, empty browser cache.
    let context = await fresh();
    const cold = await navigate(context, true);
    await context.close();
    console.log(`cold: ${cold.chartMs.toFixed(0)} ms to chart`);

    // 2. Warm server, empty browser cache: a fresh context each time.
    const warmFresh: number[] = [];
    const warmPhases: { domContentLoaded: number; scriptsEnd: number; trendsEnd: number }[] = [];
    let warmScripts: ScriptResponse[] = [];
    for (let i = 0; i < NAVIGATIONS; i++) {
      context = await fresh();
      const r = await navigate(context, i === 0);
      if (i === 0) warmScripts = r.scripts;
      warmFresh.push(r.chartMs);
      warmPhases.push(r.phases);
      await context.close();
      console.log(`warm server, fresh context #${i + 1}: ${r.chartMs.toFixed(0)} ms`);
    }

    // 3. Warm server, warm browser cache: navigations in one context.
    const warmCached: number[] = [];
    context = await fresh();
    await navigate(context, false);
    for (let i = 0; i < NAVIGATIONS; i++) {
      const r = await navigate(context, false);
      warmCached.push(r.chartMs);
      console.log(`warm server, cached context #${i + 1}: ${r.chartMs.toFixed(0)} ms`);
    }
    await context.close();
    return { cold, warmFresh, warmPhases, warmScripts, warmCached, chromium: browser.version() };
  } finally {
    await browser.close();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-console-'));
  const db = REUSE_DB ?? `pim_bench_console_${randomBytes(4).toString('hex')}`;
  let loaded: Awaited<ReturnType<typeof load>> | null = null;
  let api: BuiltApi | null = null;
  try {
    if (!REUSE_DB) {
      await sql(`CREATE DATABASE ${db}`);
      api = await startBuiltApi({ database: db, dir });
      loaded = await load(api, dir, db);
      await api.stop();
    } else if ((await sql(`SELECT 1 FROM runs WHERE status IN ('queued', 'running')`, db)).rowCount) {
      // A load interrupted before its run ended: the API picks the run up again on start; let it finish.
      console.log('an interrupted run is active: letting the API finish it');
      api = await startBuiltApi({ database: db, dir });
      const run = await waitForRun(db);
      await api.stop();
      if (run.status !== 'succeeded') throw new Error(`run failed: ${run.error}`);
    }
    const counts = (
      await sql(
        `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM ticket_comments)::int AS comments,
                (SELECT count(*) FROM issues)::int AS issues,
                (SELECT count(*) FROM clusters WHERE merged_into IS NULL)::int AS clusters`,
        db,
      )
    ).rows[0] as { tickets: number; comments: number; issues: number; clusters: number };
    console.log({ db, counts });
    if (LOAD_ONLY) return;

    // A fresh API process: its cache is empty for the cold navigation.
    api = await startBuiltApi({ database: db, dir });
    const loadBefore = loadavg()[0];
    const m = await measure(api.base);
    const loadAfter = loadavg()[0];

    const scripts = m.cold.scripts;
    const sum = (key: 'transferred' | 'raw' | 'gzip') => scripts.reduce((s, x) => s + x[key], 0);
    const encoded = scripts.filter((s) => s.encoding !== 'none');
    const encodings = [...new Set(encoded.map((s) => s.encoding))].join(', ');
    const compression = encoded.length
      ? `compressed by the server (${encodings}) for ${encoded.length} of ${scripts.length} files; ${scripts.length - encoded.length} small ones (${kb(scripts.filter((s) => s.encoding === 'none').reduce((t, s) => t + s.raw, 0))}) sent as is`
      : '**not compressed**: the server sends JS uncompressed';
    const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const dirty = execSync('git status --porcelain -- frontend/src backend/src libs', { cwd: ROOT }).toString().trim();
    const warmMedian = median(m.warmFresh);
    const cachedMedian = median(m.warmCached);
    const jsOk = sum('transferred') <= 500 * 1024;
    const chartOk = warmMedian <= 2000;
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const heading = `### ${counts.tickets.toLocaleString('en-US')} tickets`;
    const section = [
      heading,
      '',
      `Generated by \`npx ts-node -T -P libs/testing/tsconfig.lib.json bench/console/run.ts ${argValue('--db') ? `--db ${argValue('--db')}` : `--tickets ${TICKETS}`} --navigations ${NAVIGATIONS}\` on ${new Date().toISOString().slice(0, 10)}, commit \`${commit}\`${dirty ? ' (plus working-tree changes in app code)' : ''} (HEAD when measured; the measured \`dist/\` was built ${statSync(join(ROOT, 'dist/frontend/browser/index.html')).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC), Node ${process.version}, Chromium ${m.chromium} (headless, Debian's), this 2-core machine (browser, API and PostgreSQL share it, and other work ran beside them: 1-minute load average ${loadBefore.toFixed(1)} before the measurements, ${loadAfter.toFixed(1)} after).`,
      '',
      `Data: ${counts.tickets.toLocaleString('en-US')} tickets (${counts.comments.toLocaleString('en-US')} comments) of the Zendesk simulator's dataset (seed 42), loaded as bench/api loads them: JSONL uploaded to \`POST /api/tickets/import\` of the built API (\`NODE_ENV=production\`, PostgreSQL, no Redis: in-memory cache, local analyzer)${loaded ? `; the import run took ${loaded.pipelineS.toFixed(0)} s` : ' (database loaded by an earlier run of this script)'}; ${counts.issues.toLocaleString('en-US')} issues in ${counts.clusters.toLocaleString('en-US')} clusters. Then the API was restarted so the first navigation meets an empty server cache. Signed in once through the login page; each measured navigation is \`page.goto('/dashboard')\` with that session.`,
      '',
      '| measure | result | target |',
      '|---|---|---|',
      `| initial JavaScript transferred (cold navigation, empty browser cache; ${scripts.length} files) | **${kb(sum('transferred'))}** (${compression}; raw ${kb(sum('raw'))}, gzip -6 would be ${kb(sum('gzip'))}) | ≤ 500 KB ${jsOk ? '✅' : '❌'} |`,
      `| navigation → chart drawn, warm server, empty browser cache (median of ${NAVIGATIONS}) | **${warmMedian.toFixed(0)} ms** (${fmt(m.warmFresh)}) | ≤ 2 s ${chartOk ? '✅' : '❌'} |`,
      `| navigation → chart drawn, cold (first after the API start, empty browser cache) | ${m.cold.chartMs.toFixed(0)} ms | – |`,
      `| of which (medians, warm server, empty cache): HTML parsed (DOMContentLoaded) / last script loaded / trends API answered | ${median(m.warmPhases.map((p) => p.domContentLoaded)).toFixed(0)} / ${median(m.warmPhases.map((p) => p.scriptsEnd)).toFixed(0)} / ${median(m.warmPhases.map((p) => p.trendsEnd)).toFixed(0)} ms (cold: ${m.cold.phases.domContentLoaded.toFixed(0)} / ${m.cold.phases.scriptsEnd.toFixed(0)} / ${m.cold.phases.trendsEnd.toFixed(0)} ms) | – |`,
      `| navigation → chart drawn, warm server, warm browser cache (median of ${NAVIGATIONS}) | ${cachedMedian.toFixed(0)} ms (${fmt(m.warmCached)}) | – |`,
      '',
      'Scripts of the cold navigation (from the start of navigation until the chart is drawn and the network is idle; "transferred" is the encoded body size Chromium reports):',
      '',
      '| script | content-encoding | transferred | raw | gzip -6 |',
      '|---|---|---|---|---|',
      ...scripts.map((s) => `| \`${s.url}\` | ${s.encoding} | ${kb(s.transferred)} | ${kb(s.raw)} | ${kb(s.gzip)} |`),
      '',
      'How: `performance.now()` (ms since navigation start) when the first `<rect>` appears inside `svg[data-testid=trend-chart]`, recorded by a MutationObserver added with `addInitScript` before any page script. Script sizes from Playwright `request.sizes().responseBodySize` (encoded bytes on the wire) and the response `content-encoding`.',
      '',
    ].join('\n');
    // "## bench/console" holds one "### N tickets" subsection per data size; a rerun replaces its own.
    const results = join(ROOT, 'bench', 'RESULTS.md');
    let current = readFileSync(results, 'utf8');
    if (!current.includes('\n## bench/console\n')) current = `${current.trimEnd()}\n\n## bench/console\n`;
    const top = current.indexOf('\n## bench/console\n');
    let end = current.indexOf('\n## ', top + 1);
    if (end < 0) end = current.length;
    let block = current.slice(top, end);
    const at = block.indexOf(`\n${heading}\n`);
    if (at >= 0) {
      let after = block.indexOf('\n### ', at + 1);
      if (after < 0) after = block.length;
      block = `${block.slice(0, at)}\n${section}${block.slice(after)}`;
    } else {
      block = `${block.trimEnd()}\n\n${section}`;
    }
    writeFileSync(results, `${current.slice(0, top)}${block.trimEnd()}\n${current.slice(end)}`);
    console.log(section);
  } finally {
    if (api) await api.stop();
    if (!KEEP_DB) await sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    else console.log(`kept database ${db} (reuse with --db ${db})`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
