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
 * Optional: REDIS_URL (cache and queue on Redis), PROF=dir (V8 CPU profiles of the API processes).
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openAsBlob, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { exportDatasetToFile, ZendeskDataset } from '../../libs/testing/src/zendesk';

const ROOT = join(__dirname, '..', '..');
const PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const TICKETS = Number(process.env['TICKETS'] ?? 3000);
const SECONDS = Number(process.env['SECONDS'] ?? 5);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const DISTS = (process.env['DISTS'] ?? join(ROOT, 'dist/backend/main.js')).split(',');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function sql(q: string) {
  const c = new Client({ connectionString: PG });
  await c.connect();
  try {
    return await c.query(q);
  } finally {
    await c.end();
  }
}
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const childrenCpu = (pid: number): number => {
  let t = cpuMs(pid);
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
      t += childrenCpu(Number(c));
  } catch {
    /* */
  }
  return t;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pim-cpu-'));
  const file = join(dir, 't.jsonl');
  await exportDatasetToFile(new ZendeskDataset({ tickets: TICKETS, seed: 42 }), file, { format: 'jsonl' });
  const db = `pim_cpu_${randomBytes(4).toString('hex')}`;
  await sql(`CREATE DATABASE ${db}`);
  const port = 31000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  const start = async (dist: string) => {
    const api = spawn(
      process.execPath,
      [...(process.env['PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['PROF']}`] : []), dist],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'],
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          PORT: String(port),
          DATA_DIR: dir,
          DEMO_DATA: 'false',
          DATABASE_URL: PG.replace(/\/[^/]*$/, `/${db}`),
          JWT_SECRET: 'b'.repeat(40),
          ADMIN_EMAIL: 'bench@example.com',
          ADMIN_PASSWORD: 'bench-password',
          ...(process.env['REDIS_URL']
            ? { REDIS_URL: process.env['REDIS_URL'], REDIS_PREFIX: `cpu${randomBytes(3).toString('hex')}` }
            : {}),
          ...(process.env['API_WORKERS'] ? { API_WORKERS: process.env['API_WORKERS'] } : {}),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* */
      }
      await sleep(250);
    }
    const login = await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }),
      })
    ).json();
    return { api, auth: { authorization: `Bearer ${login.accessToken}` } };
  };
  const stop = async (api: ChildProcess) => {
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
  };
  try {
    {
      const { api, auth } = await start(DISTS[0]!);
      const form = new FormData();
      form.append('file', await openAsBlob(file), 't.jsonl');
      const { runId } = await (
        await fetch(`${base}/api/tickets/import`, { method: 'POST', headers: auth, body: form })
      ).json();
      for (;;) {
        const run = await (await fetch(`${base}/api/sync/runs/${runId}`, { headers: auth })).json();
        if (run.status === 'succeeded' || run.status === 'failed') break;
        await sleep(500);
      }
      await stop(api);
    }
    const targets: [string, string][] = [
      ['clusters', '/api/clusters?sort=issueCount:desc&perPage=25'],
      ['summary', '/api/issues/summary?days=30'],
      ['issues', '/api/issues?severity=critical,high&perPage=50'],
      ['trends', '/api/issues/trends?days=90&interval=week'],
      ['health', '/health'],
    ];
    const results = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [d, dist] of DISTS.entries()) {
        const { api, auth } = await start(dist);
        const line: string[] = [];
        for (const [label, path] of targets) {
          const opts = { url: `${base}${path}`, connections: 50, headers: auth };
          await autocannon({ ...opts, duration: 2 });
          const c0 = childrenCpu(api.pid!);
          const times: number[] = [];
          const inst = autocannon({ ...opts, duration: SECONDS });
          inst.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
          const r = await inst;
          const us = ((childrenCpu(api.pid!) - c0) * 1000) / r.requests.total;
          times.sort((a, b) => a - b);
          const key = `${d}:${label}`;
          results.set(key, [...(results.get(key) ?? []), us]);
          line.push(
            `${label} ${Math.round(r.requests.average)}/s p95 ${times[Math.floor(0.95 * times.length)]} ${us.toFixed(0)}us${r.non2xx ? ` NON2XX ${r.non2xx}` : ''}`,
          );
        }
        console.log(
          `round ${round} build ${d} load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}: ${line.join(' | ')}`,
        );
        await stop(api);
      }
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
    for (const [label] of targets)
      console.log(
        `${label.padEnd(9)} ${DISTS.map((_, d) => `build ${d}: ${median(results.get(`${d}:${label}`)!).toFixed(0)} us`).join('  ')}`,
      );
  } finally {
    await sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
