// Screenshots of the console for the README: starts the built product zero-config (demo data) in a temporary
// DATA_DIR, signs in with Debian's Chromium (CHROMIUM_PATH) and saves PNGs to docs/.
//   npm run build && node ops/scripts/screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const port = 8700 + Math.floor(Math.random() * 200);
const base = `http://127.0.0.1:${port}`;
const password = 'screenshot-password';
const server = spawn(process.execPath, [join(root, 'dist/backend/main.js')], {
  env: {
    PATH: process.env.PATH,
    PORT: String(port),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'pim-shots-')),
    ADMIN_PASSWORD: password,
    LOG_LEVEL: 'warn',
  },
  stdio: 'inherit',
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
try {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await sleep(500);
  }
  const { accessToken } = await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    })
  ).json();
  for (let i = 0; i < 600; i++) {
    const status = await (
      await fetch(`${base}/api/sync/status`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json();
    if (status.state === 'idle' && status.lastRun) break;
    await sleep(1000);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await (
    await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 }, colorScheme: 'light' })
  ).newPage();
  await page.goto('/login');
  await page.getByLabel(/email/i).fill('admin@example.com');
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(/dashboard/);
  const shots = [
    ['dashboard', '/dashboard'],
    ['clusters', '/clusters'],
    ['issues', '/issues'],
    ['tickets', '/tickets'],
    ['runs', '/runs'],
    ['settings', '/settings'],
  ];
  for (const [name, path] of shots) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await sleep(800);
    await page.screenshot({ path: join(root, 'docs', `console-${name}.png`) });
  }
  await page.goto('/tickets');
  await page.waitForLoadState('networkidle');
  if (await page.locator('a[href^="/tickets/"]').count()) {
    await page.locator('a[href^="/tickets/"]').nth(3).click();
    await page.waitForLoadState('networkidle');
    await sleep(800);
    await page.screenshot({ path: join(root, 'docs', 'console-ticket.png'), fullPage: false });
  }
  await browser.close();
  console.log('screenshots written to docs/');
} finally {
  server.kill('SIGTERM');
}
