import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launch, newPage, serverState } from './support/browser';
import { ADMIN } from './support/server';

describe('console shell (built console served by the built API, headless Chromium)', () => {
  let browser: Browser;
  const { url, logFile } = serverState();

  beforeAll(async () => (browser = await launch()));
  afterAll(() => browser?.close());

  it('redirects to login, refuses a bad password, signs in, shows the shell, and signs out', async () => {
    const { page, context, errors } = await newPage(browser, url);
    await page.goto('/clusters');
    await page.waitForURL(/\/login/);

    await page.getByLabel(/email/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill('wrong-password');
    await page.getByRole('button', { name: /sign in/i }).click();
    await page
      .getByText(/invalid email or password/i)
      .first()
      .waitFor();

    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    // Back to the deep link it came from, inside the shell.
    await page.waitForURL(/\/clusters/);
    await page
      .getByRole('navigation')
      .getByRole('link', { name: /dashboard/i })
      .waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: /users/i }).count()).toBe(1);

    // A reload keeps the session; the profile shows who is signed in.
    await page.goto('/profile');
    await page.getByText(ADMIN.email).first().waitFor();

    await page.getByRole('button', { name: /account|user menu/i }).click();
    await page.getByRole('menuitem', { name: /sign out|log out/i }).click();
    await page.waitForURL(/\/login/);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('never writes the password or the token to the server log', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = await login.json();
    await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    await new Promise((r) => setTimeout(r, 500));
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('/api/auth/me');
    expect(log).not.toContain(ADMIN.password);
    expect(log).not.toContain(accessToken);
  });
});
