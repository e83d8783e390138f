/**
 * bench/api/ab — A/B of the API's CPU time per request between builds, robust to a busy machine (latency is not:
 * it measures the machine's load as much as the code). One database is filled once (TICKETS, default 3,000, through
 * the import and the local analyzer); then each build's API is started on it in turn, ROUNDS times, and each
 * endpoint is driven for SECONDS with autocannon (50 connections, after a 2 s warm-up; the builds' order rotates per
 * round) while the API process's utime + stime is read from /proc. Prints the median µs of CPU per request per build.
 *
 * Redis is on, as in production: a redis-server of the benchmark's own (`--save "" --appendonly no`), emptied
 * before each API start so no build reads the cache another build wrote. The requests are bench/api's
 * (bench/api/targets.ts) plus /health.
 *
 *   cp -r dist/backend dist/backend-base   # the build to compare against
 *   npm run build                          # the change
 *   DISTS=dist/backend-base/main.js,dist/backend/main.js ROUNDS=3 \
 *     npx ts-node -T -P libs/testing/tsconfig.lib.json bench/api/ab.ts
 *
 * Optional: REDIS=off (no Redis: in-process cache and queue), API_CACHE=off (passed to the API: the response cache
 * off), PROF=dir (V8 CPU profiles of the API processes), TEMPLATE=db (a copy of that filled database instead of an
 * import; the template itself is never written).
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';
import {
  BenchRedis,
  createBenchDatabase,
  median,
  procCpuMs,
  ROOT,
  sleep,
  startBuiltApi,
  startRedis,
  upload,
} from '../support';
import { apiTargets, targetData } from './targets';

const TICKETS = Number(process.env['TICKETS'] ?? 3000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const DISTS = (process.env['DISTS'] ?? join(ROOT, 'dist/backend/main.js')).split(',');

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
  const template = process.env['TEMPLATE'];
  if (!template)
    await exportDatasetToFile(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), file, { format: 'jsonl' });
  const db = await createBenchDatabase(template);
  const redis: BenchRedis | undefined =
    process.env['REDIS'] === 'off' ? undefined : await startRedis(join(dir, 'redis'));
  const env: Record<string, string> = {
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ...(process.env['API_CACHE'] ? { API_CACHE: process.env['API_CACHE'] } : {}),
  };
  const start = async (entry: string) => {
    await redis?.command('FLUSHALL');
    return startBuiltApi({
      database: db.name,
      dir,
      entry,
      env,
      stdout: 'ignore',
      nodeArgs: process.env['PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['PROF']}`] : [],
    });
  };
  try {
    if (!template) {
      const api = await start(DISTS[0]!);
      const { runId } = await upload(`${api.base}/api/tickets/import`, api.auth, file);
      for (;;) {
        const run = await (await fetch(`${api.base}/api/sync/runs/${runId}`, { headers: api.auth })).json();
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await sleep(500);
      }
      await api.stop();
    }
    const TARGETS: [string, string][] = [
      ...apiTargets(await targetData(db.name)).map(({ key, path }): [string, string] => [key, path]),
      ['health', '/health'],
    ];
    const width = Math.max(...TARGETS.map(([label]) => label.length));
    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      // The order rotates per round: the build measured later in a round ran slower in every round of one run.
      const order = DISTS.map((_, i) => (i + round) % DISTS.length);
      for (const d of order) {
        const api = await start(DISTS[d]!);
        const line: string[] = [];
        for (const [label, path] of TARGETS) {
          const opts = { url: `${api.base}${path}`, connections: 50, headers: api.auth };
          await autocannon({ ...opts, duration: 2 });
          const before = treeCpuMs(api.proc.pid!);
          const times: number[] = [];
          const instance = autocannon({ ...opts, duration: SECONDS });
          instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
          const result = await instance;
          // No answer in the measured seconds (a saturated machine): NaN, left out of the median.
          const us = ((treeCpuMs(api.proc.pid!) - before) * 1000) / (result.requests.total || NaN);
          times.sort((a, b) => a - b);
          const key = `${d}:${label}`;
          if (Number.isFinite(us)) results.set(key, [...(results.get(key) ?? []), us]);
          line.push(
            `${label} ${Math.round(result.requests.average)}/s p95 ${times.length ? times[Math.floor(0.95 * times.length)]!.toFixed(0) : '–'} ms ${us.toFixed(0)} µs` +
              (result.non2xx ? ` NON-2XX ${result.non2xx}` : ''),
          );
        }
        console.log(`round ${round} build ${d} load ${loadavg()[0]!.toFixed(1)}: ${line.join(' | ')}`);
        await api.stop();
      }
    }
    for (const [label] of TARGETS)
      console.log(
        `${label.padEnd(width)} ${DISTS.map((_, d) => `build ${d}: ${results.has(`${d}:${label}`) ? median(results.get(`${d}:${label}`)!).toFixed(0) : '–'} µs`).join('  ')}`,
      );
  } finally {
    await db.drop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
