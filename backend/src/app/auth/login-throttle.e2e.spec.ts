import { api, login, startTestApp, TestApp } from '../../testing/test-app';
import { LOGIN_BACKOFF_BASE_MS, LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_IP } from './auth.constants';

/** A login from a given client address, as a proxy in front of the API reports it. */
const loginFrom = (t: TestApp, address: string, email: string, password: string) =>
  api(t.url, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

const createUser = async (t: TestApp, token: string, email: string) => {
  const res = await api(t.url, 'POST', '/api/users', {
    token,
    body: { email, role: 'viewer', password: 'password-123' },
  });
  expect(res.status).toBe(201);
};

describe('login throttling behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
    adminToken = await login(t.url);
  });
  afterAll(() => t?.close());

  it("an attacker's wrong passwords lock only their own address out: the owner elsewhere still gets in", async () => {
    await createUser(t, adminToken, 'owner@test.local');
    const attacker = '203.0.113.10';
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT; i++)
      expect((await loginFrom(t, attacker, 'owner@test.local', `guess-${i}`)).status).toBe(401);
    const refused = await loginFrom(t, attacker, 'owner@test.local', 'password-123');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many login attempts/i);

    // The account is under attack: the owner's attempt takes the slower path, and succeeds.
    const started = Date.now();
    const owner = await loginFrom(t, '198.51.100.7', 'owner@test.local', 'password-123');
    expect(owner.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOGIN_BACKOFF_BASE_MS);
    // A third address may still try (and fail) rather than being refused.
    expect((await loginFrom(t, '192.0.2.44', 'owner@test.local', 'wrong')).status).toBe(401);
    expect((await loginFrom(t, attacker, 'owner@test.local', 'password-123')).status).toBe(429);
  });

  it('honours X-Forwarded-For: the per-address limit follows the forwarded client', async () => {
    const sprayer = '203.0.113.99';
    for (let i = 0; i < LOGIN_LIMIT_PER_IP; i++)
      expect((await loginFrom(t, sprayer, `nobody-${i}@test.local`, 'wrong')).status).toBe(401);
    expect((await loginFrom(t, sprayer, 'nobody-new@test.local', 'wrong')).status).toBe(429);
    expect((await loginFrom(t, '198.51.100.200', 'nobody-new@test.local', 'wrong')).status).toBe(401);
  });

  it('throttles a password change like a login: wrong current passwords count', async () => {
    await createUser(t, adminToken, 'changer@test.local');
    const token = await login(t.url, 'changer@test.local', 'password-123');
    const change = (address: string, currentPassword: string) =>
      api(t.url, 'POST', '/api/auth/password', {
        token,
        headers: { 'x-forwarded-for': address },
        body: { currentPassword, newPassword: 'new-password-123' },
      });
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT; i++)
      expect((await change('203.0.113.20', `guess-${i}`)).status).toBe(401);
    const refused = await change('203.0.113.20', 'password-123');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/too many/i);
    // They count as failed logins of the account from that address.
    expect((await loginFrom(t, '203.0.113.20', 'changer@test.local', 'password-123')).status).toBe(429);
    expect((await change('198.51.100.20', 'password-123')).status).toBe(204);
  });
});

describe('login throttling with TRUST_PROXY unset', () => {
  let t: TestApp;

  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t?.close());

  it('ignores X-Forwarded-For: a client cannot escape the per-address limit by inventing addresses', async () => {
    for (let i = 0; i < LOGIN_LIMIT_PER_IP; i++)
      expect((await loginFrom(t, `198.51.100.${i}`, `nobody-${i}@test.local`, 'wrong')).status).toBe(401);
    const next = await loginFrom(t, '192.0.2.1', 'nobody-new@test.local', 'wrong');
    expect(next.status).toBe(429);
  });
});
