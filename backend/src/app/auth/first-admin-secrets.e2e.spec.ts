import { api, startTestApp } from '../../testing/test-app';

/**
 * Issue 13: in production (NODE_ENV=production) the generated admin password never goes to stdout. Production
 * never generates one: with no users it requires ADMIN_PASSWORD. Everything the process writes to stdout and
 * stderr while booting is captured (the development case shows the capture sees the one-time print).
 */
describe('first admin: no secret printed in production', () => {
  const JWT_SECRET = 'j'.repeat(64);
  let printed: string[] = [];
  const capture = () => {
    printed = [];
    const keep = (chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    };
    return [
      jest.spyOn(process.stdout, 'write').mockImplementation(keep),
      jest.spyOn(process.stderr, 'write').mockImplementation(keep),
    ];
  };
  afterEach(() => jest.restoreAllMocks());

  it('does not generate a password: boot stops with one line naming ADMIN_PASSWORD, nothing secret printed', async () => {
    capture();
    await expect(
      startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET, ADMIN_PASSWORD: undefined, LOG_LEVEL: 'info' } }),
    ).rejects.toThrow(/ADMIN_PASSWORD is required to create the first admin when NODE_ENV=production/);
    jest.restoreAllMocks();
    expect(printed.join('')).not.toMatch(/Password \(shown once\)|First admin created/);
  });

  it('with ADMIN_PASSWORD creates the admin and prints neither that password nor the JWT secret', async () => {
    const password = 'Production-Secret-1';
    capture();
    const t = await startTestApp({ env: { NODE_ENV: 'production', JWT_SECRET, ADMIN_PASSWORD: password } });
    jest.restoreAllMocks();
    try {
      const login = await api(t.url, 'POST', '/api/auth/login', { body: { email: 'admin@test.local', password } });
      expect(login.status).toBe(200);
      const out = printed.join('');
      expect(out).not.toContain(password);
      expect(out).not.toContain(JWT_SECRET);
      expect(out).not.toMatch(/Password \(shown once\)/);
    } finally {
      await t.close();
    }
  });

  it('outside production prints the generated password once (what the capture would catch)', async () => {
    capture();
    const t = await startTestApp({ env: { NODE_ENV: 'development', ADMIN_PASSWORD: undefined } });
    jest.restoreAllMocks();
    try {
      expect(printed.join('')).toMatch(/Password \(shown once\): \S{12,}/);
    } finally {
      await t.close();
    }
  });
});
