import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login, startTestApp } from '../../testing/test-app';

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
  });
});
