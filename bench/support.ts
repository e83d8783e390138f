/**
 * What the benchmarks that drive the built API share: a throw-away PostgreSQL database, a redis-server of their own,
 * the API and queue workers started as their own processes (`dist/backend/main.js` / `worker.js`, production mode,
 * no Redis unless given), an admin's token, /proc readings and the rewrite of one section of bench/RESULTS.md.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { once } from 'node:events';
import { createServer } from 'node:net';
// The queue's Redis client (a dependency of the backend already).
import Redis from 'ioredis';
import { basename, join } from 'node:path';
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

/** The pids of `pid`'s direct children (the API processes an API_PROCESSES supervisor forked). */
export const childPids = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        return ppid === pid ? [Number(d)] : [];
      } catch {
        return []; // exited meanwhile
      }
    });

/** `read` of a process and of each of its live children (0 for one that exited meanwhile). */
const perProcessOfTree = (pid: number, read: (pid: number) => number): number[] =>
  [pid, ...childPids(pid)].map((p) => {
    try {
      return read(p);
    } catch {
      return 0;
    }
  });

/** CPU time (user + system) of a process and its live children in ms (a child that exited is not counted). */
export const procTreeCpuMs = (pid: number) => perProcessOfTree(pid, procCpuMs).reduce((a, b) => a + b, 0);

/** The largest VmHWM (peak RSS, MB) among a process and its live children: the peak per process. */
export const procTreePeakMb = (pid: number) => Math.max(...perProcessOfTree(pid, (p) => procStatusMb(p)));

/** CPU time the whole machine spent busy (every process: user, nice, system, irq, softirq), in ms, from /proc/stat. */
export const machineBusyMs = () => {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user! + nice! + system! + irq! + softirq!) * 10;
};

/** The benchmark process's own peak RSS in MB (getrusage's ru_maxrss). */
export const selfPeakRssMb = () => process.resourceUsage().maxRSS / 1024;

export interface BenchRedis {
  url: string;
  proc: ChildProcess;
  /** Runs one command on the server (INFO, SCAN, …) over a short-lived connection. */
  command(...args: string[]): Promise<unknown>;
  /** Total calls of every command so far (INFO commandstats; the INFO calls themselves left out). */
  commandCalls(): Promise<number>;
  /** Every key but the Bull queue's and the login throttle's (cache entries, generations, …). */
  appKeys(): Promise<Set<string>>;
  stop(): Promise<void>;
}

/**
 * Starts a redis-server of the benchmark's own on a free port (no persistence: `--save "" --appendonly no`), in
 * `dir`, and waits until it answers PING. Killed by `stop()`.
 */
export async function startRedis(dir: string): Promise<BenchRedis> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `redis://127.0.0.1:${port}`;
  const command = async (...args: string[]) => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    client.on('error', () => undefined); // the call's own rejection reports it
    try {
      await client.connect();
      return await client.call(args[0]!, ...args.slice(1));
    } finally {
      client.disconnect();
    }
  };
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
  };
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    if (i >= 100) {
      await stop();
      throw new Error('redis-server did not answer in 10 s');
    }
    try {
      if ((await command('PING')) === 'PONG') break;
    } catch {
      /* starting */
    }
    await sleep(100);
  }
  const commandCalls = async () => {
    let calls = 0;
    for (const line of String(await command('INFO', 'commandstats')).split('\n')) {
      const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
      if (m && m[1] !== 'info') calls += Number(m[2]);
    }
    return calls;
  };
  const appKeys = async () => {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = (await command('SCAN', cursor, 'COUNT', '1000')) as [string, string[]];
      for (const key of batch) if (!/^bull:|:bull:|:pipeline:|:throttle:/.test(key)) keys.add(key);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  };
  return { url, proc, command, commandCalls, appKeys, stop };
}

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
  /** Where the process's stdout (its logs) goes: inherited, dropped, or a file descriptor. */
  stdout?: 'inherit' | 'ignore' | number;
}): Promise<BuiltApi> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), options.entry ?? join(ROOT, 'dist/backend/main.js')],
    {
      cwd: ROOT,
      env: builtEnv(options.database, options.dir, { PORT: String(port), ...options.env }),
      stdio: ['ignore', options.stdout ?? 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(proc);
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

const stopProcess = async (proc: ChildProcess) => {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
};

/** The environment the built API and its workers share (production mode, the benchmark's database and admin). */
export const builtEnv = (database: string, dir: string, env: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATA_DIR: dir,
  DEMO_DATA: 'false',
  DATABASE_URL: databaseUrl(database),
  JWT_SECRET: 'b'.repeat(40),
  ADMIN_EMAIL: BENCH_ADMIN.email,
  ADMIN_PASSWORD: BENCH_ADMIN.password,
  ...env,
});

export interface BuiltWorker {
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a queue worker of a build (`<distDir>/worker.js`: Bull consumer, no HTTP) and waits for its "ready" line.
 * `env` must carry REDIS_URL (the worker role needs it); its DATA_DIR is its own (`dir`).
 */
export async function startBuiltWorker(options: {
  database: string;
  dir: string;
  distDir: string;
  env: Record<string, string>;
  /** Where its logs go besides the ready line (a file descriptor), or dropped. */
  logFd?: number;
}): Promise<BuiltWorker> {
  mkdirSync(options.dir, { recursive: true });
  const proc = spawn(process.execPath, [join(options.distDir, 'worker.js')], {
    cwd: ROOT,
    env: builtEnv(options.database, options.dir, options.env),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Its output may still arrive after the exit: stopped means its stdout is closed too (the log file is closed next).
  const stdoutClosed = once(proc.stdout!, 'close');
  const stop = async () => {
    await stopProcess(proc);
    await stdoutClosed;
  };
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      if (options.logFd !== undefined) writeFileSync(options.logFd, chunk);
      if (seen !== 'ready') {
        const text = seen + chunk.toString();
        seen = /worker ready/.test(text) ? 'ready' : text.slice(-200);
        if (seen === 'ready') resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      ready.finally(() => clearTimeout(timer)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the worker was not ready in 2 minutes')), 120_000);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { proc, stop };
}

/**
 * POSTs a file as multipart form data (field `file`) with node:http, reading it from disk as the socket drains: the
 * benchmark's memory does not grow with the file (fetch with a file-backed Blob held a 1.1 GB body in memory).
 */
export function upload(url: string, headers: Record<string, string>, file: string): Promise<{ runId: string }> {
  const boundary = `pim-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(file)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: pathname,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + statSync(file).size + tail.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`upload failed: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as { runId: string });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.write(head);
    const body = createReadStream(file);
    body.on('error', reject);
    body.on('end', () => req.end(tail));
    body.pipe(req, { end: false });
  });
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
