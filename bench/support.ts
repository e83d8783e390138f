/**
 * What the benchmarks that drive the built API share: a throw-away PostgreSQL database, the API started as its own
 * process (`dist/backend/main.js`, production mode, no Redis unless given), an admin's token, /proc readings and
 * the rewrite of one section of bench/RESULTS.md.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';

export const ROOT = join(__dirname, '..');
export const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_ADMIN = { email: 'bench@example.com', password: 'bench-password' };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The value of `--name` on the command line, or undefined. */
export const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** The URL of `database` on the benchmark's PostgreSQL server. */
export const databaseUrl = (database: string) => PG.replace(/\/[^/]*$/, `/${database}`);

export async function sql(q: string, database?: string) {
  const c = new Client({ connectionString: database ? databaseUrl(database) : PG });
  await c.connect();
  try {
    return await c.query(q);
  } finally {
    await c.end();
  }
}

/** Creates a database of its own for one benchmark run. */
/** A new database, empty or a copy of `template` (which must have no other connection meanwhile). */
export async function createBenchDatabase(template?: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `pim_bench_${randomBytes(4).toString('hex')}`;
  if (template && !/^[a-z0-9_]+$/.test(template)) throw new Error(`TEMPLATE must be a database name`);
  await sql(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  return { name, drop: async () => void (await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A field of /proc/<pid>/status in MB (VmHWM: peak RSS; VmRSS: now). */
export const procStatusMb = (pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** CPU time (user + system) of a process in ms, from /proc/<pid>/stat. */
export const procCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

export interface BuiltApi {
  base: string;
  proc: ChildProcess;
  /** An admin's bearer header. */
  auth: { authorization: string };
  stop(): Promise<void>;
}

/**
 * Starts the built API on `database` (DATA_DIR `dir`) as its own process, waits for /health and signs the
 * benchmark's admin in. `env` adds to or overrides the defaults; `entry` picks another build.
 */
export async function startBuiltApi(options: {
  database: string;
  dir: string;
  env?: Record<string, string>;
  entry?: string;
  nodeArgs?: string[];
  stdout?: 'inherit' | 'ignore';
}): Promise<BuiltApi> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.entry ?? join(ROOT, 'dist/backend/main.js')],
    {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATA_DIR: options.dir,
        DEMO_DATA: 'false',
        DATABASE_URL: databaseUrl(options.database),
        JWT_SECRET: 'b'.repeat(40),
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        ...options.env,
      },
      stdio: ['ignore', options.stdout ?? 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
  };
  try {
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null) throw new Error(`the API exited with ${proc.exitCode}`);
      if (i >= 480) throw new Error('the API did not come up in 2 minutes');
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        /* starting */
      }
      await sleep(250);
    }
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_ADMIN),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    return { base, proc, auth: { authorization: `Bearer ${accessToken}` }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Hand-written notes of a RESULTS section start at this line and survive the section being generated again. */
export const RESULTS_NOTES_MARKER = '<!-- notes: kept when the section is generated again -->';

/**
 * Replaces the section that starts with `heading` (up to the next `## `) of bench/RESULTS.md, or appends it. The
 * section's notes (from RESULTS_NOTES_MARKER to its end) are kept after the new text.
 */
export function writeResultsSection(heading: string, section: string): void {
  const results = join(ROOT, 'bench', 'RESULTS.md');
  const current = readFileSync(results, 'utf8');
  const start = current.indexOf(`${heading}\n`);
  const body = `${section.trimEnd()}\n`;
  if (start < 0) {
    writeFileSync(results, `${current.trimEnd()}\n\n${body}`);
    return;
  }
  const next = current.indexOf('\n## ', start + heading.length);
  const old = current.slice(start, next < 0 ? undefined : next);
  const marker = old.indexOf(RESULTS_NOTES_MARKER);
  const notes = marker < 0 ? '' : `\n${old.slice(marker).trimEnd()}\n`;
  writeFileSync(results, current.slice(0, start) + body + notes + (next < 0 ? '' : current.slice(next)));
}
