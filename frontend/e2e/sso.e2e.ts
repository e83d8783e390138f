import { TestOidcProvider } from '@pim/testing';
import type { Browser } from 'playwright-core';
import { launch, newPage } from './support/browser';
import { ADMIN, createDatabase, E2eServer, startServer } from './support/server';

const CLIENT = { clientId: 'pim-console', clientSecret: 'pim-console-secret-0123456789' };
/** Short, so the de-provisioning test sees the console renew its token at the provider within seconds. */
const TOKEN_TTL_SEC = 10;

/**
 * Single sign-on in Chromium: the built API and console against a real OpenID Connect provider (oidc-provider) in
 * SSO-only mode. "Sign in with SSO" leads through the provider's sign-in page back to the dashboard with the role
 * the groups claim maps to; a user removed at the provider is signed out at the next token renewal; passwords are
 * off except for the break-glass admin.
 */
describe('single sign-on (built API and console, real OIDC provider, headless Chromium)', () => {
  let provider: TestOidcProvider;
  let server: E2eServer;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let browser: Browser;

  beforeAll(async () => {
    provider = await TestOidcProvider.start();
    db = await createDatabase();
    server = await startServer({
      database: db,
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ALLOWED_DOMAINS: 'acme.test',
        OIDC_ACCESS_TOKEN_TTL: String(TOKEN_TTL_SEC),
        SSO_ONLY: 'true',
      },
    });
    await provider.setClient({ ...CLIENT, redirectUris: [`${server.url}/api/auth/oidc/callback`] });
    await provider.setUser('eddie', {
      password: 'eddie-password',
      email: 'eddie@acme.test',
      name: 'Eddie Editor',
      groups: ['staff', 'pim-editor'],
    });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1_000));
    await db?.drop();
    await provider?.close();
  });

  it('signs in with SSO, lands on the dashboard with the mapped role, and is signed out once removed at the provider', async () => {
    const { page, context, errors } = await newPage(browser, server.url);
    await page.goto('/');
    await page.waitForURL(/\/login/);
    // SSO only: no password field until the administrator link is used.
    expect(await page.getByLabel(/password/i).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.locator('#login').fill('eddie');
    await page.locator('#password').fill('eddie-password');
    await page.locator('#sign-in').click();

    // Back in the console, on the dashboard, as an editor (no admin-only Users page in the navigation).
    await page.waitForURL(/\/dashboard/);
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: /dashboard/i }).waitFor();
    expect(await nav.getByRole('link', { name: /users/i }).count()).toBe(0);
    await page.getByRole('button', { name: /account menu/i }).click();
    await page.getByText('eddie@acme.test').waitFor();
    await page.getByText('Role: editor').waitFor();
    await page.keyboard.press('Escape');

    // The short token expires and is renewed at the provider without the user noticing.
    const refreshAnswer = () =>
      page.waitForResponse((response) => response.url().endsWith('/api/auth/refresh'), { timeout: 40_000 });
    const renewed = refreshAnswer();
    await page.waitForTimeout((TOKEN_TTL_SEC + 1) * 1000);
    await nav.getByRole('link', { name: /clusters/i }).click();
    expect((await renewed).status()).toBe(200);
    await page.waitForURL(/\/clusters/);
    expect(page.url()).not.toMatch(/\/login/);

    // Removed at the provider: the next renewal is refused and the console signs the user out.
    await provider.removeUser('eddie');
    const refused = refreshAnswer();
    await page.waitForTimeout((TOKEN_TTL_SEC + 1) * 1000);
    await nav.getByRole('link', { name: /dashboard/i }).click();
    expect((await refused).status()).toBe(401);
    await page.waitForURL(/\/login/, { timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem('pim.session'))).toBeNull();

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('keeps passwords off in SSO-only mode except for the break-glass admin', async () => {
    const { page, context, errors } = await newPage(browser, server.url);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in with SSO' }).waitFor();
    expect(await page.getByLabel(/password/i).count()).toBe(0);

    const refused = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'eddie@acme.test', password: 'anything-at-all' }),
    });
    expect(refused.status).toBe(403);

    await page.getByRole('button', { name: /administrator sign-in/i }).click();
    await page.getByLabel(/email/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /^sign in$/i }).click();
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('navigation').getByRole('link', { name: /users/i }).waitFor();

    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
