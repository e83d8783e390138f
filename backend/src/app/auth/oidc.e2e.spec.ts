import { TestOidcProvider } from '@pim/testing';
import { Client } from 'pg';
import { ADMIN, api, closeSession, connectClient, login, startTestApp, TestApp } from '../../testing/test-app';

const CLIENT = { clientId: 'pim-console', clientSecret: 'pim-console-secret-0123456789' };
const oidcEnv = (provider: TestOidcProvider, extra: Record<string, string> = {}) => ({
  OIDC_ISSUER: provider.issuer,
  OIDC_CLIENT_ID: CLIENT.clientId,
  OIDC_CLIENT_SECRET: CLIENT.clientSecret,
  OIDC_ROLE_CLAIM: 'groups',
  OIDC_ALLOWED_DOMAINS: 'acme.test, example.com',
  OIDC_ACCESS_TOKEN_TTL: '60',
  ...extra,
});

/** The value of cookie `name` set by a response, or undefined. */
function setCookie(headers: Headers, name: string): string | undefined {
  const cookie = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return cookie?.split(';')[0].slice(name.length + 1) || undefined;
}

/** Signs `login` in through SSO the way a browser does; returns where the app sends it back and its session. */
async function ssoSignIn(
  app: TestApp,
  provider: TestOidcProvider,
  user: string,
  password = `${user}-password`,
): Promise<{ location: string; session?: string }> {
  const start = await fetch(`${app.url}/api/auth/oidc/login`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(provider.issuer);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  const flow = setCookie(start.headers, 'pim_oidc_flow');
  expect(flow).toBeTruthy();
  const callback = await provider.signIn(authorize.href, user, password);
  expect(callback.startsWith(`${app.url}/api/auth/oidc/callback?`)).toBe(true);
  const back = await fetch(callback, { redirect: 'manual', headers: { cookie: `pim_oidc_flow=${flow}` } });
  expect(back.status).toBe(302);
  return { location: back.headers.get('location')!, session: setCookie(back.headers, 'pim_sso') };
}

const refresh = (app: TestApp, session: string | undefined) =>
  api(app.url, 'POST', '/api/auth/refresh', { headers: session ? { cookie: `pim_sso=${session}` } : {} });

describe('OIDC single sign-on against a real OpenID Connect provider', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    provider = await TestOidcProvider.start();
    t = await startTestApp({ env: oidcEnv(provider) });
    await provider.setClient({ ...CLIENT, redirectUris: [`${t.url}/api/auth/oidc/callback`] });
    const users: [string, string, string[] | undefined, boolean?][] = [
      ['alice', 'alice@acme.test', ['staff', 'pim-editor']],
      ['bob', 'bob@acme.test', ['admin']],
      ['dave', 'dave@acme.test', undefined],
      ['carol', 'carol@other.test', ['pim-admin']],
      ['erin', 'erin@acme.test', ['pim-editor'], false],
      ['frank', 'frank@acme.test', ['pim-viewer']],
      ['grace', 'grace@acme.test', ['pim-editor']],
    ];
    for (const [login, email, groups, emailVerified] of users) {
      await provider.setUser(login, { password: `${login}-password`, email, groups, emailVerified });
    }
    db = await connectClient(t.database!.url);
  });
  afterAll(() => closeSession(t, db, provider));

  it('says which sign-in methods are enabled (public)', async () => {
    const res = await api(t.url, 'GET', '/api/auth/providers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ password: true, oidc: { name: 'SSO' } });
  });

  it('signs a user in just in time with the role mapped from the groups claim, on a short token', async () => {
    const { location, session } = await ssoSignIn(t, provider, 'alice');
    expect(location).toBe('/login?sso=1');
    expect(session).toBeTruthy();
    const res = await refresh(t, session);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expiresIn: 60, user: { email: 'alice@acme.test', role: 'editor' } });
    const me = await api(t.url, 'GET', '/api/auth/me', { token: res.body.accessToken });
    expect(me.body).toMatchObject({ email: 'alice@acme.test', role: 'editor' });
    // Editors may triage; viewers may not: the mapped role is the one enforced.
    expect((await api(t.url, 'GET', '/api/users', { token: res.body.accessToken })).status).toBe(403);
    const row = await db.query(
      `SELECT refresh_token FROM sso_session s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
      ['alice@acme.test'],
    );
    expect(row.rows).toHaveLength(1);
    // The provider's refresh token is stored sealed, and never sent to the browser.
    expect(row.rows[0].refresh_token).toBeTruthy();
    expect(JSON.stringify(res.body)).not.toContain(row.rows[0].refresh_token);
  });

  it('maps admin, defaults to viewer without a role claim, and the second sign-in reuses the user', async () => {
    const bob = await refresh(t, (await ssoSignIn(t, provider, 'bob')).session);
    expect(bob.body.user.role).toBe('admin');
    expect((await api(t.url, 'GET', '/api/users', { token: bob.body.accessToken })).status).toBe(200);
    const dave = await refresh(t, (await ssoSignIn(t, provider, 'dave')).session);
    expect(dave.body.user.role).toBe('viewer');
    await ssoSignIn(t, provider, 'dave');
    const count = await db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'dave@acme.test'`);
    expect(count.rows[0].n).toBe(1);
  });

  it.each(['audience', 'expired', 'tamper'] as const)('refuses a spoiled ID token (%s)', async (fault) => {
    await provider.spoilNextIdToken(fault);
    const { location, session } = await ssoSignIn(t, provider, 'grace');
    expect(location).toMatch(/^\/login\?ssoError=/);
    expect(session).toBeUndefined();
    const created = await db.query(
      `SELECT count(*)::int AS n FROM users WHERE email LIKE '%evil%' OR email = 'grace@acme.test'`,
    );
    expect(created.rows[0].n).toBe(0);
  });

  it('refuses a domain that is not allowed, and an unverified e-mail', async () => {
    const carol = await ssoSignIn(t, provider, 'carol');
    expect(decodeURIComponent(carol.location)).toContain('The domain other.test may not sign in here');
    expect(carol.session).toBeUndefined();
    const erin = await ssoSignIn(t, provider, 'erin');
    expect(decodeURIComponent(erin.location)).toContain('not verified');
    expect(erin.session).toBeUndefined();
    const rows = await db.query(
      `SELECT count(*)::int AS n FROM users WHERE email IN ('carol@other.test', 'erin@acme.test')`,
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('refuses a callback without its flow cookie (state kept by the browser that started it)', async () => {
    const start = await fetch(`${t.url}/api/auth/oidc/login`, { redirect: 'manual' });
    const callback = await provider.signIn(start.headers.get('location')!, 'grace', 'grace-password');
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.headers.get('location')).toMatch(/^\/login\?ssoError=/);
    expect(setCookie(back.headers, 'pim_sso')).toBeUndefined();
  });

  it('de-provisioning: a user removed at the provider is refused at the next refresh', async () => {
    const { session } = await ssoSignIn(t, provider, 'frank');
    const first = await refresh(t, session);
    expect(first.status).toBe(200);
    expect(first.body.user.role).toBe('viewer');
    await provider.removeUser('frank');
    const refused = await refresh(t, session);
    expect(refused.status).toBe(401);
    expect(refused.headers.getSetCookie().join()).toMatch(/pim_sso=;/);
    // The session is gone: a later refresh is refused too, without asking the provider.
    expect((await refresh(t, session)).status).toBe(401);
    const left = await db.query(
      `SELECT count(*)::int AS n FROM sso_session s JOIN users u ON u.id = s.user_id WHERE u.email = 'frank@acme.test'`,
    );
    expect(left.rows[0].n).toBe(0);
  });

  it('a role changed at the provider applies at the next refresh; logout ends the SSO session', async () => {
    await provider.setUser('grace', { password: 'grace-password', email: 'grace@acme.test', groups: ['pim-editor'] });
    const { session } = await ssoSignIn(t, provider, 'grace');
    const editor = await refresh(t, session);
    expect(editor.body.user.role).toBe('editor');
    await provider.setUser('grace', { password: 'grace-password', email: 'grace@acme.test', groups: ['pim-viewer'] });
    const viewer = await refresh(t, session);
    expect(viewer.status).toBe(200);
    expect(viewer.body.user.role).toBe('viewer');
    // The editor token from before the role change stops working (token version bumped).
    expect((await api(t.url, 'GET', '/api/auth/me', { token: editor.body.accessToken })).status).toBe(401);
    expect((await api(t.url, 'POST', '/api/auth/logout', { token: viewer.body.accessToken })).status).toBe(204);
    expect((await refresh(t, session)).status).toBe(401);
  });

  it('ends the SSO session by its cookie alone (sign-out after the console token expired)', async () => {
    const { session } = await ssoSignIn(t, provider, 'dave');
    expect((await refresh(t, session)).status).toBe(200);
    const [id] = session!.split('.');
    const forged = await api(t.url, 'POST', '/api/auth/oidc/logout', { headers: { cookie: `pim_sso=${id}.forged` } });
    expect(forged.status).toBe(204);
    expect((await refresh(t, session)).status).toBe(200);
    const out = await api(t.url, 'POST', '/api/auth/oidc/logout', { headers: { cookie: `pim_sso=${session}` } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/pim_sso=;/);
    expect((await refresh(t, session)).status).toBe(401);
  });

  it('refuses a refresh without a session cookie or with a forged one', async () => {
    expect((await refresh(t, undefined)).status).toBe(401);
    const { session } = await ssoSignIn(t, provider, 'dave');
    const [id] = session!.split('.');
    expect((await refresh(t, `${id}.forged-secret`)).status).toBe(401);
    expect((await refresh(t, session)).status).toBe(200);
  });

  describe('SSO_ONLY', () => {
    let only: TestApp;

    beforeAll(async () => {
      only = await startTestApp({ env: oidcEnv(provider, { SSO_ONLY: 'true' }) });
      await provider.setClient({
        ...CLIENT,
        redirectUris: [`${t.url}/api/auth/oidc/callback`, `${only.url}/api/auth/oidc/callback`],
      });
    });
    afterAll(() => only?.close());

    it('refuses passwords (403) except for the break-glass admin, and says so on /providers', async () => {
      expect((await api(only.url, 'GET', '/api/auth/providers')).body).toEqual({
        password: false,
        oidc: { name: 'SSO' },
      });
      const adminToken = await login(only.url, ADMIN.email, ADMIN.password);
      const created = await api(only.url, 'POST', '/api/users', {
        token: adminToken,
        body: { email: 'pat@acme.test', role: 'editor', password: 'password-123', name: 'Pat' },
      });
      expect(created.status).toBe(201);
      const refused = await api(only.url, 'POST', '/api/auth/login', {
        body: { email: 'pat@acme.test', password: 'password-123' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/Password sign-in is disabled.*single sign-on/);
      const bob = await refresh(only, (await ssoSignIn(only, provider, 'bob')).session);
      expect(bob.status).toBe(200);
      expect(bob.body.user.role).toBe('admin');
    });
  });

  it('without OIDC configured: /providers says password only, and /oidc/login is 404', async () => {
    const plain = await startTestApp();
    try {
      expect((await api(plain.url, 'GET', '/api/auth/providers')).body).toEqual({ password: true, oidc: null });
      expect((await fetch(`${plain.url}/api/auth/oidc/login`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
  it('throttles failed callbacks like failed password logins (per client address)', async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 22; i++) {
      const back = await fetch(`${t.url}/api/auth/oidc/callback?code=guess-${i}&state=guess`, { redirect: 'manual' });
      statuses.push(decodeURIComponent(back.headers.get('location') ?? ''));
    }
    expect(statuses[0]).toMatch(/ssoError=This sign-in expired/);
    expect(statuses.at(-1)).toMatch(/ssoError=Too many login attempts/);
  });
  describe('on the embedded database (PGlite: one connection for everything)', () => {
    let embedded: TestApp;

    beforeAll(async () => {
      embedded = await startTestApp({ embedded: true, env: oidcEnv(provider) });
      await provider.setClient({ ...CLIENT, redirectUris: [`${embedded.url}/api/auth/oidc/callback`] });
    }, 120_000);
    afterAll(() => embedded?.close());

    it('signs in, refreshes (role change included) and ends a de-provisioned session without waiting on itself', async () => {
      await provider.setUser('hank', { password: 'hank-password', email: 'hank@acme.test', groups: ['pim-viewer'] });
      const { session } = await ssoSignIn(embedded, provider, 'hank');
      expect((await refresh(embedded, session)).body.user.role).toBe('viewer');
      await provider.setUser('hank', { password: 'hank-password', email: 'hank@acme.test', groups: ['pim-editor'] });
      expect((await refresh(embedded, session)).body.user.role).toBe('editor');
      await provider.removeUser('hank');
      expect((await refresh(embedded, session)).status).toBe(401);
    });
  });
});
