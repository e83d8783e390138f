/**
 * bench/api/ab — A/B of the API's CPU time per request between builds, robust to a busy machine (latency is not:
 * it measures the machine's load as much as the code). One database is filled once (TICKETS, default 3,000, through
 * the import and the local analyzer); then each build's API is started on it in turn, ROUNDS times, and each
 * endpoint is driven for SECONDS with autocannon (50 connections, after a 2 s warm-up) while the API process's
 * utime + stime is read from /proc. Prints the median µs of CPU per request per build.
 *
 *   cp -r dist/backend dist/backend-base   # the build to compare against
 *   npm run build                          # the change
 *   DISTS=dist/backend-base/main.js,dist/backend/main.js ROUNDS=3 \
 *     npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/ab.ts
 *
 * Optional: REDIS_URL (cache and queue on Redis), PROF=dir (V8 CPU profiles of the API processes), TEMPLATE=db (a
 * copy of that filled database instead of an import; the template itself is never written).
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openAsBlob, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';
import { createBenchDatabase, median, procCpuMs, ROOT, sleep, startBuiltApi } from '../support';

const TICKETS = Number(process.env['TICKETS'] ?? 3000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const DISTS = (process.env['DISTS'] ?? join(ROOT, 'dist/backend/main.js')).split(',');
const TARGETS: [string, string][] = [
  ['clusters', '/api/clusters?sort=issueCount:desc&perPage=25'],
  ['summary', '/api/issues/summary?days=30'],
  ['issues', '/api/issues?severity=critical,high&perPage=50'],
  ['issues-p5', '/api/issues?severity=critical,high&page=5&perPage=50'],
  ['trends', '/api/issues/trends?days=90&interval=week'],
  ['health', '/health'],
];

/** CPU ms of a process and its children (forked API workers included). */
const treeCpuMs = (pid: number): number => {
  let total = procCpuMs(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
      total += treeCpuMs(Number(child));
  } catch {
    /* gone */
  }
  return total;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-bench-ab-'));
  const file = join(dir, 'tickets.jsonl');
  await exportDatasetToFile(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), file, { format: 'jsonl' });
  const template = process.env['TEMPLATE'];
  const db = await createBenchDatabase(template);
  const env = process.env['REDIS_URL']
    ? { REDIS_URL: process.env['REDIS_URL'], REDIS_PREFIX: `ab${randomBytes(3).toString('hex')}` }
    : undefined;
  const start = (entry: string) =>
    startBuiltApi({
      database: db.name,
      dir,
      entry,
      env,
      stdout: 'ignore',
      nodeArgs: process.env['PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['PROF']}`] : [],
    });
  try {
    if (!template) {
      const api = await start(DISTS[0]!);
      const form = new FormData();
      form.append('file', await openAsBlob(file), 'tickets.jsonl');
      const { runId } = await (
        await fetch(`${api.base}/api/tickets/import`, { method: 'POST', headers: api.auth, body: form })
      ).json();
      for (;;) {
        const run = await (await fetch(`${api.base}/api/sync/runs/${runId}`, { headers: api.auth })).json();
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await sleep(500);
      }
      await api.stop();
    }
    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [d, entry] of DISTS.entries()) {
        const api = await start(entry);
        const line: string[] = [];
        try {
          for (const [label, path] of TARGETS) {
            const opts = { url: `${api.base}${path}`, connections: 50, headers: api.auth };
            await fetch(opts.url, { headers: api.auth }); // the first answer (a miss) before the load
            await autocannon({ ...opts, duration: 2 });
            const before = treeCpuMs(api.proc.pid!);
            const times: number[] = [];
            const instance = autocannon({ ...opts, duration: SECONDS });
            instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
            const result = await instance;
            const us = ((treeCpuMs(api.proc.pid!) - before) * 1000) / result.requests.total;
            times.sort((a, b) => a - b);
            const key = `${d}:${label}`;
            results.set(key, [...(results.get(key) ?? []), us]);
            line.push(
              `${label} ${Math.round(result.requests.average)}/s p95 ${times[Math.floor(0.95 * times.length)]?.toFixed(0) ?? '-'} ms ${us.toFixed(0)} µs` +
                (result.non2xx ? ` NON-2XX ${result.non2xx}` : '') +
                (result.errors ? ` ERRORS ${result.errors} (timeouts ${result.timeouts})` : ''),
            );
          }
        } finally {
          await api.stop(); // also when a target fails: no API is left running on a dropped database
        }
        console.log(`round ${round} build ${d} load ${loadavg()[0]!.toFixed(1)}: ${line.join(' | ')}`);
      }
    }
    for (const [label] of TARGETS)
      console.log(
        `${label.padEnd(9)} ${DISTS.map((_, d) => `build ${d}: ${median(results.get(`${d}:${label}`)!).toFixed(0)} µs`).join('  ')}`,
      );
  } finally {
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
