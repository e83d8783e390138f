import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { superviseApiProcesses, Supervisor } from './api-processes';

/**
 * The supervisor with real processes (Node's cluster module): each forked process runs a small server on the
 * shared port that answers with its pid — what an API process does, without the application's start-up time.
 */
const dir = mkdtempSync(join(tmpdir(), 'pim-api-processes-'));
const script = join(dir, 'server.js');
writeFileSync(
  script,
  `const http = require('node:http');
   if (process.env.FAIL_START === '1') process.exit(3);
   const server = http.createServer((req, res) => res.end(String(process.pid)));
   server.keepAliveTimeout = 1;
   server.listen(Number(process.env.PORT));
   process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(ask: () => T | Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await ask();
    if (ok(value) || Date.now() - started > ms) return value;
    await sleep(50);
  }
}

/** Pids that answered `requests` new connections on the port. */
async function answering(port: number, requests: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < requests; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
      pids.add(Number(await response.text()));
    } catch {
      // a process starting or stopping: the next connection goes elsewhere
    }
  }
  return pids;
}

function start(env: Record<string, string>): { supervisor: Supervisor; exited: Promise<number>; lines: string[] } {
  const lines: string[] = [];
  let done!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (done = resolve));
  const supervisor = superviseApiProcesses(2, { exec: script, env, log: (l) => lines.push(l), exit: done });
  return { supervisor, exited, lines };
}

jest.setTimeout(60_000);

it('serves one port from two processes, replaces one that dies, and stops them all on SIGTERM', async () => {
  const port = await freePort();
  const { supervisor, exited, lines } = start({ PORT: String(port) });
  const both = await until(
    () => answering(port, 20),
    (p) => p.size === 2,
  );
  expect(both.size).toBe(2);
  const before = supervisor.workers().map((w) => w.process.pid);
  expect([...both].sort()).toEqual([...before].sort());

  // One dies (as a crash would): another process takes its place and the port keeps answering from two.
  process.kill(before[0]!, 'SIGKILL');
  const replaced = await until(
    () => supervisor.workers().map((w) => w.process.pid),
    (pids) => pids.length === 2 && !pids.includes(before[0]),
  );
  expect(replaced).toContain(before[1]);
  expect(replaced).not.toContain(before[0]);
  const after = await until(
    () => answering(port, 20),
    (p) => p.size === 2 && !p.has(before[0]!),
  );
  expect(after.has(before[0]!)).toBe(false);
  expect(after.size).toBe(2);
  expect(lines.join('\n')).toMatch(new RegExp(`API process ${before[0]} exited \\(SIGKILL\\): starting another`));

  supervisor.stop('SIGTERM');
  expect(await exited).toBe(0);
  expect(supervisor.workers()).toEqual([]);
  expect(await answering(port, 1)).toEqual(new Set());
});

it('ends with code 1, stopping the others, when a process fails before it ever listened', async () => {
  const port = await freePort();
  const { supervisor, exited, lines } = start({ PORT: String(port), FAIL_START: '1' });
  expect(await exited).toBe(1);
  expect(supervisor.workers()).toEqual([]);
  expect(lines[0]).toMatch(/API process \d+ failed to start \(exit code 3\): stopping/);
});
