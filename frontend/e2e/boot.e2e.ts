import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, ROOT } from './support/server';

/** Runs a built entry point with only the given environment; resolves with its exit code and output. */
function run(entry: string, env: Record<string, string>, untilLine?: RegExp, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'backend', entry)], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'pim-boot-')), ...env },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish in ${timeoutMs} ms: ${stdout} ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!signalled && untilLine?.test(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('built entry points', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  beforeAll(async () => (db = await createDatabase()));
  afterAll(() => db?.drop());

  it.each([
    [{ PORT: 'eighty' }, /^Invalid environment: PORT must be an integer number\n$/],
    [{ NODE_ENV: 'production' }, /^Invalid environment: JWT_SECRET is required when NODE_ENV=production\n$/],
    [{ REDIS_URL: 'not-a-url' }, /^Invalid environment: REDIS_URL must be a redis:\/\/ URL\n$/],
  ])('main.js refuses to boot on %p with one line naming the variable', async (env, message) => {
    const result = await run('main.js', env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('worker.js boots against PostgreSQL and Redis and stops cleanly on SIGTERM', async () => {
    const result = await run(
      'worker.js',
      {
        DATABASE_URL: db.url,
        REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
        JWT_SECRET: 'j'.repeat(40),
        LOG_LEVEL: 'warn',
      },
      /worker ready/,
    );
    expect(result.stdout).toContain('Product Issue Miner worker ready');
    expect(result.code).toBe(0);
  });

  it('migrate.js reports an up-to-date database the second time', async () => {
    const env = { DATABASE_URL: db.url, JWT_SECRET: 'j'.repeat(40) };
    await run('migrate.js', env);
    const second = await run('migrate.js', env);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Database is up to date\n');
  });
});
