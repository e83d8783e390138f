import { JwtService } from '@nestjs/jwt';
import { ADMIN, api, login, ReplicaPair, startReplicaPair, TestApp } from '../../testing/test-app';
import { SESSION_CACHE_TTL_MS } from './session-cache';

const JWT_SECRET = 'logout-secret-logout-secret-logout-secret';

/** Two replicas on one database: a token logged out on one is refused by both. */
describe('POST /api/auth/logout revokes the token server-side', () => {
  let replicas: ReplicaPair;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    replicas = await startReplicaPair({ JWT_SECRET });
    ({ a, b } = replicas);
  });
  afterAll(() => replicas?.close());

  const me = (app: TestApp, token: string) => api(app.url, 'GET', '/api/auth/me', { token });

  it('refuses the logged-out token on every replica; the same user’s other sessions go on', async () => {
    const token = await login(a.url);
    const untouched = await login(a.url);
    const neverSeenByB = await login(a.url);
    // Used on both first, so both have it in their few-second caches.
    expect((await me(a, token)).status).toBe(200);
    expect((await me(b, token)).status).toBe(200);

    expect((await api(a.url, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await me(a, token)).status).toBe(401);
    expect((await api(a.url, 'POST', '/api/auth/logout', { token })).status).toBe(401);
    // B's cached copy lasts at most SESSION_CACHE_TTL_MS.
    let status = 200;
    for (const deadline = Date.now() + SESSION_CACHE_TTL_MS + 10_000; status === 200 && Date.now() < deadline;) {
      status = (await me(b, token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(401);

    expect((await api(b.url, 'POST', '/api/auth/logout', { token: neverSeenByB })).status).toBe(204);
    expect((await me(a, neverSeenByB)).status).toBe(401);
    expect((await me(b, neverSeenByB)).status).toBe(401);

    expect((await me(a, untouched)).status).toBe(200);
    expect((await me(b, untouched)).status).toBe(200);
  });

  it('ends every session of the user for a token without an id (issued before revocation existed)', async () => {
    const current = await login(a.url);
    const { id } = (await me(a, current)).body as { id: string };
    const legacy = new JwtService({ secret: JWT_SECRET }).sign({ sub: id, tv: 0 }, { expiresIn: 600 });
    expect((await me(a, legacy)).status).toBe(200);
    expect((await api(a.url, 'POST', '/api/auth/logout', { token: legacy })).status).toBe(204);
    expect((await me(a, legacy)).status).toBe(401);
    expect((await me(a, current)).status).toBe(401);
    expect((await me(a, await login(a.url))).status).toBe(200);
  });

  it('records the logout in the audit log', async () => {
    const token = await login(a.url, ADMIN.email, ADMIN.password);
    expect((await api(a.url, 'POST', '/api/auth/logout', { token })).status).toBe(204);
    const audit = await api(a.url, 'GET', '/api/audit?entityType=user', { token: await login(a.url) });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('auth.logout');
  });
});
