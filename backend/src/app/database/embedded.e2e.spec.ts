import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { api, login, startTestApp } from '../../testing/test-app';

/** TCP ports this process listens on (Linux: its socket inodes matched against /proc/net/tcp{,6}). */
function listeningTcpPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) inodes.add(inode);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && inodes.has(cols[9]!)) ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Zero-config: no DATABASE_URL → PGlite in DATA_DIR over the wire protocol, same migrations, same `pg` driver. */
describe('embedded PostgreSQL (PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pim-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('migrates, creates the first admin, serves the API, and keeps data across restarts', async () => {
    const first = await startTestApp({ embedded: true, dataDir });
    let userId: string;
    try {
      expect(first.running.embedded).toBe(true);
      expect((await api(first.url, 'GET', '/health')).body).toEqual({ status: 'ok', db: 'up', redis: 'disabled' });
      // Issue 13: PGlite has no authentication, so it opens no TCP port (any local process could connect): the
      // only TCP port of this process is the HTTP one; a plain pg client on any other is refused.
      const httpPort = (first.running.app.getHttpServer().address() as AddressInfo).port;
      const others = listeningTcpPorts().filter((p) => p !== httpPort);
      for (const port of others) {
        const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
        await expect(client.connect().then(() => client.query('SELECT 1'))).rejects.toThrow();
        await client.end().catch(() => undefined);
      }
      expect(others).toEqual([]);
      // It listens on a Unix socket in DATA_DIR, in a directory only this user can enter.
      const socketDir = join(dataDir, 'pgsocket');
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      expect(readdirSync(socketDir)).toEqual(['.s.PGSQL.5432']);
      const token = await login(first.url);
      const created = await api(first.url, 'POST', '/api/users', {
        token,
        body: { email: 'kept@test.local', role: 'viewer', password: 'password-123' },
      });
      expect(created.status).toBe(201);
      userId = created.body.id;
      // Concurrent requests share the single PGlite session without interleaving transactions.
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          api(first.url, 'POST', '/api/users', {
            token,
            body: { email: `c${i}@test.local`, role: 'viewer', password: 'password-123' },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    } finally {
      await first.close();
    }

    const second = await startTestApp({ embedded: true, dataDir });
    try {
      const token = await login(second.url);
      const users = await api(second.url, 'GET', '/api/users?perPage=200', { token });
      expect(users.body.total).toBe(10);
      expect(users.body.items.map((u: { id: string }) => u.id)).toContain(userId!);
    } finally {
      await second.close();
    }
  }, 180_000); // two PGlite boots (~800 MB, WASM start): 58 s measured under CI's parallel load
});
