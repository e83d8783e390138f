import { TcpProxy } from '../../testing/tcp-proxy';
import { createTestDatabase, TestDatabase } from '../../testing/test-database';
import { api, startTestApp, TestApp } from '../../testing/test-app';
import { REDIS_URL } from '../../testing/test-redis';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** `GET /health` of an app started with `env` (and closed again). */
async function healthWith(env: Record<string, string>) {
  const t = await startTestApp({ env });
  try {
    return await api(t.url, 'GET', '/health');
  } finally {
    await t.close();
  }
}

describe('GET /health', () => {
  it('reports the database and a real Redis as up', async () => {
    const res = await healthWith({ REDIS_URL });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up', redis: 'up' });
  });

  it('reports Redis down (degraded, still 200) when REDIS_URL points nowhere', async () => {
    const res = await healthWith({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'degraded', db: 'up', redis: 'down' });
  });

  describe('when the database goes away', () => {
    let db: TestDatabase;
    let proxy: TcpProxy;
    let t: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      const target = new URL(db.url);
      proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      const port = await proxy.start();
      target.host = `127.0.0.1:${port}`;
      t = await startTestApp({ env: { DATABASE_URL: target.toString() } });
    });
    afterAll(async () => {
      await t?.close();
      await proxy?.cut();
      await db?.drop();
    });

    it('answers 503 within 10 s, then recovers when it returns', async () => {
      expect((await api(t.url, 'GET', '/health')).status).toBe(200);
      await proxy.cut();
      const downAfter = await waitFor(async () => (await api(t.url, 'GET', '/health')).status === 503, 10_000);
      const down = await api(t.url, 'GET', '/health');
      expect(down.body).toMatchObject({ status: 'down', db: 'down' });
      expect(downAfter).toBeLessThan(10_000);

      await proxy.restore();
      await waitFor(async () => (await api(t.url, 'GET', '/health')).status === 200, 15_000);
      // And the API works again, not only the probe.
      const login = await api(t.url, 'POST', '/api/auth/login', {
        body: { email: 'admin@test.local', password: 'admin-password-1' },
      });
      expect(login.status).toBe(200);
    });
  });
});
