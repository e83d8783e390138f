/**
 * bench/api — the API under load with 100,000 tickets loaded through the product's own import and the local
 * analyzer (issue 6's targets: every p95 ≤ 50 ms at 50 connections; import + analysis + clustering ≥ 200
 * tickets/s; peak RSS ≤ 1 GiB).
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/run.ts [--tickets 100000] [--seconds 10] [--warmup 3]
 *
 * Generates the Zendesk simulator's dataset as a JSONL file, starts the built API (own process, fresh PostgreSQL
 * database, no Redis: in-memory cache), uploads the file to POST /api/tickets/import and times the run to its
 * end, then drives four endpoints with autocannon (50 connections, N seconds each, an admin's bearer token).
 * Writes the section "## API under load" of bench/RESULTS.md.
 */
import autocannon from 'autocannon';
import { execSync } from 'node:child_process';
import { mkdtempSync, openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';
import {
  argValue,
  createBenchDatabase,
  databaseUrl,
  procStatusMb,
  ROOT,
  sleep,
  startBuiltApi,
  writeResultsSection,
} from '../support';

const TICKETS = Number(argValue('--tickets') ?? 100_000);
const SECONDS = Number(argValue('--seconds') ?? 10);
const WARMUP = Number(argValue('--warmup') ?? 3);
/** Another build's entry (an A/B against an earlier commit's `dist/backend/main.js`); its figures are printed only. */
const ENTRY = argValue('--entry');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-api-'));
  const file = join(dir, 'tickets.jsonl');
  const ds = new ZendeskDataset({ tickets: TICKETS, seed: 42 });
  const exported = await exportDatasetToFile(ds, file, { format: 'jsonl' });
  console.log(`dataset: ${JSON.stringify(exported)}`);

  const db = await createBenchDatabase();
  const api = await startBuiltApi({ database: db.name, dir, entry: ENTRY });
  const { base, auth } = api;
  try {
    const form = new FormData();
    form.append('file', await openAsBlob(file), 'tickets.jsonl');
    const t0 = Date.now();
    const { runId } = await (
      await fetch(`${base}/api/tickets/import`, { method: 'POST', headers: auth, body: form })
    ).json();
    const uploadMs = Date.now() - t0;
    let run: { status: string; phase: string; error: string | null; stats: Record<string, number> };
    const phases: Record<string, number> = {};
    for (;;) {
      run = await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json();
      phases[run.phase] ??= Date.now() - t0;
      if (run.status === 'succeeded' || run.status === 'failed') break;
      await sleep(1000);
    }
    const pipelineMs = Date.now() - t0;
    if (run.status !== 'succeeded') throw new Error(`import run failed: ${run.error}`);
    const dbClient = new Client({ connectionString: databaseUrl(db.name) });
    await dbClient.connect();
    const counts = (
      await dbClient.query(
        `SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM issues)::int AS issues,
                (SELECT count(*) FROM clusters WHERE merged_into IS NULL)::int AS clusters`,
      )
    ).rows[0] as { tickets: number; issues: number; clusters: number };
    await dbClient.end();
    const rssAfterPipeline = procStatusMb(api.proc.pid!);
    console.log({ uploadMs, pipelineMs, phases, counts, rssAfterPipeline });

    const targets: [string, string][] = [
      ['cluster list (sort=issueCount:desc)', '/api/clusters?sort=issueCount:desc&perPage=25'],
      ['summary (days=30)', '/api/issues/summary?days=30'],
      ['issue list (severity + category filter)', '/api/issues?severity=critical,high&perPage=50'],
      ['trends (days=90, week)', '/api/issues/trends?days=90&interval=week'],
    ];
    const rows: string[] = [];
    for (const [label, path] of targets) {
      const opts = { url: `${base}${path}`, connections: 50, headers: auth };
      // Warm-up, not counted: the first request fills the cache and V8 compiles the hot path (the first second
      // of a fresh process answers at about half its steady rate), as on a server that has been up for a while.
      await autocannon({ ...opts, duration: WARMUP });
      // Every response's latency, for exact percentiles (autocannon's summary has p90/p97.5 but no p95).
      const times: number[] = [];
      const instance = autocannon({ ...opts, duration: SECONDS });
      instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => times.push(ms));
      const result = await instance;
      times.sort((a, b) => a - b);
      const pct = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
      rows.push(
        `| ${label} | ${result.requests.total} | ${result.non2xx} | ${pct(0.5)} | ${pct(0.95)} | ${pct(0.99)} | ${result.latency.max} | ${Math.round(result.requests.average)} |`,
      );
      console.log(rows.at(-1));
    }
    const rss = procStatusMb(api.proc.pid!);
    const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const rate = (counts.tickets / (pipelineMs / 1000)).toFixed(0);
    const section = [
      '## API under load',
      '',
      `Generated by \`npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/run.ts --tickets ${TICKETS} --seconds ${SECONDS} --warmup ${WARMUP}\` on ${new Date().toISOString().slice(0, 10)}, commit \`${commit}\`, Node ${process.version}, this 2-core machine (the load generator shares it with the API and PostgreSQL).`,
      '',
      `Data: the Zendesk simulator's generated dataset (seed 42) exported as JSONL (${exported.tickets.toLocaleString('en-US')} tickets, ${exported.comments.toLocaleString('en-US')} comments, ${(exported.bytes / 1e6).toFixed(0)} MB), uploaded to \`POST /api/tickets/import\` of the built API (PostgreSQL, no Redis: in-memory cache, local analyzer). The import run (import → analyze → cluster) took ${(pipelineMs / 1000).toFixed(0)} s: **${rate} tickets/s** end to end (phases reached at: ${Object.entries(
        phases,
      )
        .map(([p, ms]) => `${p} ${(ms / 1000).toFixed(0)} s`)
        .join(
          ', ',
        )}); ${counts.issues.toLocaleString('en-US')} issues in ${counts.clusters.toLocaleString('en-US')} clusters. Peak RSS of the API process: ${rssAfterPipeline.toFixed(0)} MB after the run, ${rss.toFixed(0)} MB after the load test.`,
      '',
      `Load: autocannon, 50 connections, ${SECONDS} s per endpoint after a ${WARMUP} s warm-up that is not counted, an admin's token; percentiles exact over every response's latency. The cache (summary, trends, first list pages) is warm after the first request, as it is for PMs between runs.`,
      '',
      '| endpoint | requests | non-2xx | p50 ms | p95 ms | p99 ms | max ms | req/s |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n');
    if (!ENTRY) writeResultsSection('## API under load', section);
    console.log(section);
  } finally {
    await api.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
