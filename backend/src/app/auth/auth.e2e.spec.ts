import { JwtService } from '@nestjs/jwt';
import { ADMIN, api, login, startTestApp, TestApp } from '../../testing/test-app';

describe('auth, users and the global guard (real PostgreSQL, real HTTP)', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    adminToken = await login(t.url);
  });
  afterAll(() => t?.close());

  /** `POST /api/auth/password` as the holder of `token`: the status. */
  const changePassword = async (token: string, currentPassword: string, newPassword: string) =>
    (await api(t.url, 'POST', '/api/auth/password', { token, body: { currentPassword, newPassword } })).status;
  const createUser = async (email: string, role: 'admin' | 'editor' | 'viewer', password = 'password-123') => {
    const res = await api(t.url, 'POST', '/api/users', {
      token: adminToken,
      body: { email, role, password, name: email },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; email: string; role: string };
  };

  it('logs the first admin in and answers /api/auth/me without secrets', async () => {
    const res = await api(t.url, 'POST', '/api/auth/login', {
      body: { email: ADMIN.email.toUpperCase(), password: ADMIN.password },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expiresIn: 43200, user: { email: ADMIN.email, role: 'admin', disabled: false } });
    expect(typeof res.body.accessToken).toBe('string');
    const me = await api(t.url, 'GET', '/api/auth/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN.email);
    expect(me.body.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(me.body)).not.toMatch(/password|hash|tokenVersion/i);
  });

  it('refuses a wrong password and an unknown account with the same 401', async () => {
    const wrong = await api(t.url, 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'nope-nope' } });
    const unknown = await api(t.url, 'POST', '/api/auth/login', {
      body: { email: 'ghost@test.local', password: 'nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  describe('every /api operation but login is closed without a valid token', () => {
    const expiredOrTampered = (): Record<string, string> => {
      const secret = t.running.config.jwt.secret;
      const sign = (payload: object, key: string) => new JwtService({ secret: key }).sign(payload);
      const valid = adminToken;
      const [h, p] = valid.split('.');
      return {
        none: '',
        garbage: 'not-a-jwt',
        tampered: `${h}.${p}.${'A'.repeat(43)}`,
        'wrong secret': sign({ sub: 'x', tv: 0 }, 'another-secret-another-secret-another-secret'),
        expired: sign({ sub: 'x', tv: 0, exp: Math.floor(Date.now() / 1000) - 60 }, secret),
        'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`,
      };
    };

    it('answers 401 for each operation in the OpenAPI document', async () => {
      const doc = (await api(t.url, 'GET', '/api/docs-json')).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ path, method: method.toUpperCase() })),
      );
      // Public by design: password login, and single sign-on's discovery, start, callback and cookie refresh.
      const open = ['/api/auth/login', '/api/auth/providers', '/api/auth/oidc/login', '/api/auth/oidc/callback'];
      const publicPaths = new Set([...open, '/api/auth/oidc/logout', '/api/auth/refresh']);
      const guarded = operations.filter((op) => op.path.startsWith('/api/') && !publicPaths.has(op.path));
      expect(guarded.length).toBeGreaterThanOrEqual(8);
      for (const op of guarded) {
        const path = op.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        for (const [kind, token] of Object.entries(expiredOrTampered())) {
          const res = await api(t.url, op.method, path, {
            token: token || undefined,
            body: op.method === 'GET' ? undefined : {},
          });
          if (res.status !== 401) throw new Error(`${op.method} ${path} with ${kind} token answered ${res.status}`);
        }
      }
    });

    it('keeps health public', async () => {
      expect((await api(t.url, 'GET', '/health')).status).toBe(200);
    });
  });

  it('gives viewers and editors 403 on admin operations, and viewers can still read their profile', async () => {
    await createUser('viewer@test.local', 'viewer');
    await createUser('editor@test.local', 'editor');
    for (const email of ['viewer@test.local', 'editor@test.local']) {
      const token = await login(t.url, email, 'password-123');
      expect((await api(t.url, 'GET', '/api/users', { token })).status).toBe(403);
      expect(
        (
          await api(t.url, 'POST', '/api/users', {
            token,
            body: { email: 'x@test.local', role: 'admin', password: 'password-123' },
          })
        ).status,
      ).toBe(403);
      expect((await api(t.url, 'GET', '/api/audit', { token })).status).toBe(403);
      expect((await api(t.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
    }
  });

  describe('validation: 400 naming the field, never 500', () => {
    it.each([
      ['malformed JSON', { rawBody: '{"email": "a@b.c", ' }, /JSON|Unexpected|Expected/i],
      ['unknown field', { body: { email: 'a@test.local', password: 'x', admin: true } }, /admin should not exist/],
      ['wrong type', { body: { email: 'a@test.local', password: 12345 } }, /password must be a string/],
      ['missing field', { body: { password: 'x' } }, /email must be an email/],
      ['array body', { rawBody: '[1,2]' }, /email/],
    ])('login with %s', async (_label, options, message) => {
      const res = await api(t.url, 'POST', '/api/auth/login', options);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('rejects bad user input and bad paging', async () => {
      const bad = await api(t.url, 'POST', '/api/users', {
        token: adminToken,
        body: { email: 'nope', role: 'boss', password: 'short' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^email/),
          expect.stringMatching(/^role/),
          expect.stringMatching(/^password/),
        ]),
      );
      for (const q of ['perPage=0', 'perPage=201', 'page=0', 'page=abc', 'perPage=1.5']) {
        const res = await api(t.url, 'GET', `/api/users?${q}`, { token: adminToken });
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body.message)).toMatch(q.startsWith('page') ? /page/ : /perPage/);
      }
      const badId = await api(t.url, 'GET', '/api/users/not-a-uuid', { token: adminToken });
      expect(badId.status).toBe(400);
      expect(badId.body.message).toMatch(/id/);
      const unknown = await api(t.url, 'GET', '/api/users/00000000-0000-4000-8000-000000000000', { token: adminToken });
      expect(unknown.status).toBe(404);
    });
  });

  describe('users CRUD', () => {
    it('creates, lists with paging and search, updates and deletes, auditing each change', async () => {
      const created = await createUser('crud@test.local', 'viewer');
      expect(
        (
          await api(t.url, 'POST', '/api/users', {
            token: adminToken,
            body: { email: 'CRUD@test.local', role: 'viewer', password: 'password-123' },
          })
        ).status,
      ).toBe(409);
      const page = await api(t.url, 'GET', '/api/users?search=crud&perPage=1', { token: adminToken });
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 1, page: 1, perPage: 1, items: [{ email: 'crud@test.local' }] });
      const updated = await api(t.url, 'PATCH', `/api/users/${created.id}`, {
        token: adminToken,
        body: { role: 'editor', name: 'Crud' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ role: 'editor', name: 'Crud' });
      expect((await api(t.url, 'DELETE', `/api/users/${created.id}`, { token: adminToken })).status).toBe(204);
      expect((await api(t.url, 'GET', `/api/users/${created.id}`, { token: adminToken })).status).toBe(404);

      const audit = await api(t.url, 'GET', `/api/audit?entityType=user&entityId=${created.id}`, { token: adminToken });
      expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
        'user.delete',
        'user.update',
        'user.create',
      ]);
      const update = audit.body.items[1];
      expect(update).toMatchObject({
        actorEmail: ADMIN.email,
        before: { role: 'viewer' },
        after: { role: 'editor', name: 'Crud' },
      });
      expect(JSON.stringify(audit.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
    });

    it('never removes, demotes or disables the last active admin, nor lets one delete themselves', async () => {
      const me = (await api(t.url, 'GET', '/api/auth/me', { token: adminToken })).body;
      expect((await api(t.url, 'DELETE', `/api/users/${me.id}`, { token: adminToken })).status).toBe(400);
      expect(
        (await api(t.url, 'PATCH', `/api/users/${me.id}`, { token: adminToken, body: { role: 'viewer' } })).status,
      ).toBe(409);
      expect(
        (await api(t.url, 'PATCH', `/api/users/${me.id}`, { token: adminToken, body: { disabled: true } })).status,
      ).toBe(409);

      // With a second admin, the first may be demoted; the second then is the last one.
      const second = await createUser('admin2@test.local', 'admin');
      const secondToken = await login(t.url, 'admin2@test.local', 'password-123');
      expect(
        (await api(t.url, 'PATCH', `/api/users/${me.id}`, { token: secondToken, body: { role: 'editor' } })).status,
      ).toBe(200);
      expect((await api(t.url, 'DELETE', `/api/users/${second.id}`, { token: secondToken })).status).toBe(400);
      expect(
        (await api(t.url, 'PATCH', `/api/users/${second.id}`, { token: secondToken, body: { role: 'viewer' } })).status,
      ).toBe(409);
      // Restore for the other tests: demotion revoked the first admin's tokens.
      expect((await api(t.url, 'GET', '/api/auth/me', { token: adminToken })).status).toBe(401);
      expect(
        (await api(t.url, 'PATCH', `/api/users/${me.id}`, { token: secondToken, body: { role: 'admin' } })).status,
      ).toBe(200);
      adminToken = await login(t.url);
    });

    it('cuts off a disabled user and tokens issued before a password change', async () => {
      const user = await createUser('cut@test.local', 'editor');
      const token = await login(t.url, 'cut@test.local', 'password-123');
      // Used first, so the process has the user in its session cache: changes must still cut it off at once.
      expect((await api(t.url, 'GET', '/api/auth/me', { token })).status).toBe(200);
      expect(
        (await api(t.url, 'PATCH', `/api/users/${user.id}`, { token: adminToken, body: { disabled: true } })).status,
      ).toBe(200);
      expect((await api(t.url, 'GET', '/api/auth/me', { token })).status).toBe(401);
      expect(
        (await api(t.url, 'POST', '/api/auth/login', { body: { email: 'cut@test.local', password: 'password-123' } }))
          .status,
      ).toBe(401);

      const own = await createUser('own@test.local', 'viewer');
      const ownToken = await login(t.url, own.email, 'password-123');
      expect((await api(t.url, 'GET', '/api/auth/me', { token: ownToken })).status).toBe(200);
      expect(await changePassword(ownToken, 'wrong-one', 'new-password-1')).toBe(401);
      expect(await changePassword(ownToken, 'password-123', 'new-password-1')).toBe(204);
      expect((await api(t.url, 'GET', '/api/auth/me', { token: ownToken })).status).toBe(401);
      await login(t.url, own.email, 'new-password-1');
    });
  });

  it('keeps a password change visible in the audit log, without the password or its hash', async () => {
    const user = await createUser('audited@test.local', 'viewer');
    expect(
      (
        await api(t.url, 'PATCH', `/api/users/${user.id}`, {
          token: adminToken,
          body: { password: 'reset-password-1' },
        })
      ).status,
    ).toBe(200);
    const token = await login(t.url, user.email, 'reset-password-1');
    expect(await changePassword(token, 'reset-password-1', 'own-password-2')).toBe(204);
    const audit = await api(t.url, 'GET', `/api/audit?entityType=user&entityId=${user.id}`, { token: adminToken });
    const byAction = Object.fromEntries(
      audit.body.items.map((e: { action: string; after: unknown }) => [e.action, e.after]),
    );
    expect(byAction['user.update']).toEqual({ ...byAction['user.create'], passwordChanged: true });
    expect(byAction['user.password']).toEqual({ passwordChanged: true });
    expect(JSON.stringify(audit.body)).not.toMatch(/reset-password-1|own-password-2|passwordHash|\$2[aby]\$/);
  });

  it('throttles login: 21 bad logins in a row for one account → 429 by the 21st', async () => {
    await createUser('brute@test.local', 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push(
        (await api(t.url, 'POST', '/api/auth/login', { body: { email: 'brute@test.local', password: `guess-${i}` } }))
          .status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Even the right password is refused while throttled; other accounts are unaffected.
    expect(
      (await api(t.url, 'POST', '/api/auth/login', { body: { email: 'brute@test.local', password: 'password-123' } }))
        .status,
    ).toBe(429);
    expect(
      (await api(t.url, 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } })).status,
    ).toBe(200);
  });
});
