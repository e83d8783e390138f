/**
 * bench/upload — memory of an import upload in the split topology (issue 13, point 1: "the upload reaches
 * whichever process runs the import with nothing shared but PostgreSQL and Redis, bounded in memory").
 *
 *   npm run build
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json bench/upload/run.ts [--sizes 20,200]
 *
 * The built API (PROCESS_ROLE=api) and the built worker (PROCESS_ROLE=worker), each its own process with its own
 * DATA_DIR, on a fresh PostgreSQL database and a fresh Redis prefix. For each size, a JSONL file of that many MB
 * (tickets padded with a field the import ignores, so the file is big and the run short) is generated on the fly
 * and streamed to POST /api/tickets/import: no copy of it exists on any disk. The API's RSS is sampled every 100 ms during the
 * upload, its peak (VmHWM) read after the 202; the worker's the same from the 202 until the run leaves its import
 * phase (it streams the upload out of PostgreSQL into its DATA_DIR and imports it). Writes "## Upload" of
 * bench/RESULTS.md.
 */
import { execSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Redis from 'ioredis';
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

const SIZES = (argValue('--sizes') ?? '20,200').split(',').map(Number);
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TICKET_BYTES = 100_000;

/** Bytes of the file sent so far. */
let uploadedBytes = 0;

/** The multipart body: the file's `tickets` lines generated as the request reads them. */
function multipart(boundary: string, tickets: number): Readable {
  uploadedBytes = 0;
  return Readable.from(
    (function* () {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      for (let i = 0; i < tickets; i++) {
        const line = JSON.stringify({
          id: 1_000_000 + i,
          subject: `Ticket ${i}: the CSV export times out`,
          body: `The CSV export times out for big reports (account ${i % 500}).`,
          created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
          raw_export: ''.padEnd(TICKET_BYTES - 200, `${i % 10}`),
        });
        const chunk = Buffer.from(`${line}\n`);
        uploadedBytes += chunk.length;
        yield chunk;
      }
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  );
}

/** The built worker (no HTTP): its own process and DATA_DIR, the same database and Redis prefix. */
function startBuiltWorker(database: string, dir: string, env: Record<string, string>) {
  const proc = spawn(process.execPath, [join(ROOT, 'dist/backend/worker.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl(database),
      JWT_SECRET: 'b'.repeat(40),
      PROCESS_ROLE: 'worker',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return {
    proc,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
    },
  };
}

const sampler = (pid: number) => {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(procStatusMb(pid, 'VmRSS')), 100);
  return {
    stop() {
      clearInterval(timer);
      return { peak: procStatusMb(pid, 'VmHWM'), median: [...samples].sort((a, b) => a - b)[samples.length >> 1] ?? 0 };
    },
  };
};

interface Row {
  mb: number;
  imported: number;
  uploadS: number;
  importS: number;
  apiIdle: number;
  apiMedian: number;
  apiPeak: number;
  workerIdle: number;
  workerMedian: number;
  workerPeak: number;
}

async function measure(mb: number): Promise<Row> {
  const tickets = Math.ceil((mb * 1e6) / TICKET_BYTES);
  const prefix = `pimbench${randomBytes(4).toString('hex')}`;
  const db = await createBenchDatabase();
  const apiDir = mkdtempSync(join(tmpdir(), 'pim-bench-upload-api-'));
  const workerDir = mkdtempSync(join(tmpdir(), 'pim-bench-upload-worker-'));
  const env = { REDIS_URL, REDIS_PREFIX: prefix };
  const api = await startBuiltApi({ database: db.name, dir: apiDir, env: { ...env, PROCESS_ROLE: 'api' } });
  const worker = startBuiltWorker(db.name, workerDir, env);
  try {
    await sleep(2000);
    const apiIdle = procStatusMb(api.proc.pid!, 'VmRSS');
    const workerIdle = procStatusMb(worker.proc.pid!, 'VmRSS');
    const boundary = `----pim${randomBytes(8).toString('hex')}`;
    const apiSampler = sampler(api.proc.pid!);
    const t0 = Date.now();
    const res = await fetch(`${api.base}/api/tickets/import`, {
      method: 'POST',
      headers: { ...api.auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Readable.toWeb(multipart(boundary, tickets)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const body = (await res.json()) as { runId?: string };
    const uploadMs = Date.now() - t0;
    const apiMb = apiSampler.stop();
    if (res.status !== 202 || !body.runId) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
    const workerSampler = sampler(worker.proc.pid!);
    let run: { status: string; phase: string; error: string | null; stats: Record<string, number> };
    for (;;) {
      run = await (await fetch(`${api.base}/api/sync/runs/${body.runId}`, { headers: api.auth })).json();
      if (['analyze', 'cluster'].includes(run.phase) || run.status === 'succeeded' || run.status === 'failed') break;
      await sleep(100);
    }
    const importMs = Date.now() - t0 - uploadMs;
    const workerMb = workerSampler.stop();
    if (run.status === 'failed') throw new Error(`import run failed: ${run.error}`);
    return {
      mb: uploadedBytes / 1e6,
      imported: run.stats['rowsImported'] ?? 0,
      uploadS: uploadMs / 1000,
      importS: importMs / 1000,
      apiIdle,
      apiMedian: apiMb.median,
      apiPeak: apiMb.peak,
      workerIdle,
      workerMedian: workerMb.median,
      workerPeak: workerMb.peak,
    };
  } finally {
    await worker.stop();
    await api.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
    rmSync(apiDir, { recursive: true, force: true });
    rmSync(workerDir, { recursive: true, force: true });
  }
}

async function main() {
  const rows: Row[] = [];
  for (const mb of SIZES) {
    rows.push(await measure(mb));
    console.log(rows.at(-1));
  }
  const commit = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
  const section = [
    '## Upload',
    '',
    `Generated by \`npx ts-node -T -P libs/testing/tsconfig.lib.json bench/upload/run.ts --sizes ${SIZES.join(',')}\` on ${new Date().toISOString().slice(0, 10)}, commit \`${commit}\`, Node ${process.version}, this 2-core machine (shared; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end).`,
    '',
    "The built API (`PROCESS_ROLE=api`) and worker (`PROCESS_ROLE=worker`) as two processes with their own `DATA_DIR`, one PostgreSQL database, one Redis prefix, fresh for each size. A JSONL file (tickets of ~100 KB, padded with a field the import ignores) generated as the request reads it and streamed to `POST /api/tickets/import`: the API stores it in PostgreSQL in 1 MB chunks as it arrives; the worker streams it back into its own `DATA_DIR` and imports it. RSS sampled every 100 ms: the API's during the upload (peak = VmHWM after the 202), the worker's from the 202 until the run leaves its import phase (peak = VmHWM then). Peaks include each process's own start. Bounded means the peak does not grow with the file.",
    '',
    '| file MB | tickets imported | upload s | import phase s | API RSS idle / median / peak MB | worker RSS idle / median / peak MB |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.mb.toFixed(0)} | ${r.imported.toLocaleString('en-US')} | ${r.uploadS.toFixed(1)} | ${r.importS.toFixed(1)} | ${r.apiIdle.toFixed(0)} / ${r.apiMedian.toFixed(0)} / ${r.apiPeak.toFixed(0)} | ${r.workerIdle.toFixed(0)} / ${r.workerMedian.toFixed(0)} / ${r.workerPeak.toFixed(0)} |`,
    ),
    '',
  ].join('\n');
  writeResultsSection('## Upload', section);
  console.log(section);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
