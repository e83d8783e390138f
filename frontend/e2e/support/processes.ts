import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { Client } from 'pg';
import { ROOT } from './server';

/**
 * Spawning, killing and restarting the built processes of a split deployment (`node dist/backend/worker.js`
 * beside `main.js` with PROCESS_ROLE=api), each with its own DATA_DIR as on separate machines.
 */
export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface E2eWorker {
  process: ChildProcess;
  pid: number;
  dataDir: string;
  logFile: string;
  /** Everything the worker wrote to stdout and stderr so far. */
  log(): string;
}

/** Starts `node dist/backend/worker.js` with `env` (DATABASE_URL and REDIS_URL at least); resolves once it is ready. */
export function startWorker(env: Record<string, string>): Promise<E2eWorker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pim-e2e-worker-'));
  const logFile = join(dataDir, 'worker.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'backend', 'worker.js')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker ready')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        resolve({ process: child, pid: child.pid!, dataDir, logFile, log: () => readFileSync(logFile, 'utf8') });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${output}`));
    });
  });
}

/** Sends `signal` (SIGKILL by default: no shutdown hook runs) and resolves when the process is gone. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** The pid in a run owner id ("host:pid:boot"). */
export function ownerPid(owner: string | null | undefined): number | null {
  const parts = (owner ?? '').split(':');
  const pid = Number(parts[parts.length - 2]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Polls `probe` until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Removes a test's Redis keys (its REDIS_PREFIX). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Logs in as `credentials` on a running API; the Authorization header to send. */
export async function authHeader(url: string, credentials: { email: string; password: string }) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return { authorization: `Bearer ${((await res.json()) as { accessToken: string }).accessToken}` };
}

/** What the tests read of a run's row: its state and the lease of the execution holding it. */
export interface RunRow {
  id: string;
  status: string;
  phase: string;
  owner: string | null;
  claim_token: string | null;
  attempts: number;
  error: string | null;
}

export async function runRow(pg: Client, id: string): Promise<RunRow> {
  const { rows } = await pg.query(
    `SELECT id, status, phase, owner, claim_token, attempts, error FROM runs WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** The run's row once it has ended (succeeded or failed). */
export function runEnded(pg: Client, id: string, timeoutMs = 5 * 60_000): Promise<RunRow> {
  return waitFor(
    `run ${id} to end`,
    async () => {
      const row = await runRow(pg, id);
      return row.status === 'succeeded' || row.status === 'failed' ? row : null;
    },
    timeoutMs,
    500,
  );
}

/**
 * SIGKILLs the worker executing `attempt` of the run (once it holds it and has worked for `settleMs`), removes it
 * from `workers` and starts a new one in its place with `env`.
 */
export async function killRunOwner(
  pg: Client,
  runId: string,
  attempt: number,
  workers: E2eWorker[],
  env: Record<string, string>,
  settleMs: number,
): Promise<void> {
  const held = await waitFor(
    `attempt ${attempt} of run ${runId} to be executing`,
    async () => {
      const row = await runRow(pg, runId);
      if (row.status !== 'running' && row.status !== 'queued') throw new Error(`run ended early: ${row.status}`);
      return row.claim_token && row.attempts === attempt ? row : null;
    },
    5 * 60_000,
    100,
  );
  await new Promise((r) => setTimeout(r, settleMs));
  const victim = workers.find((w) => w.pid === ownerPid(held.owner));
  if (!victim) throw new Error(`run ${runId} is held by ${held.owner}, not one of the workers`);
  await kill(victim.process);
  workers.splice(workers.indexOf(victim), 1);
  workers.push(await startWorker(env));
}
