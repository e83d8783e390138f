import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from './support/browser';
import { ADMIN, E2eServer, startServer, stopServer } from './support/server';

/**
 * Issue 7's console flows, each in headless Chromium against the built API (serving the built console) on a
 * database of this file's own, filled with the bundled demo dataset (DEMO_DATA=true: an ordinary import run,
 * dates moved up to today, local analyzer). Every flow ends asserting no uncaught page error or console error.
 */
describe('console flows (issue 7)', () => {
  let server: E2eServer;
  let browser: Browser;
  let adminToken: string;

  const api = async <T = unknown>(
    path: string,
    init: RequestInit & { token?: string } = {},
  ): Promise<{ status: number; body: T }> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${init.token ?? adminToken}`);
    if (typeof init.body === 'string') headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  const loginToken = async (email: string, password: string): Promise<string> => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(200);
    return (await response.json()).accessToken;
  };

  /** Waits until no run is active and returns the last one. */
  const waitForIdle = async (timeoutMs = 120_000) => {
    const started = Date.now();
    for (;;) {
      const { body } = await api<{ currentRun: unknown; lastRun: { id: string; status: string } | null }>(
        '/api/sync/status',
      );
      if (!body.currentRun && body.lastRun) return body.lastRun;
      if (Date.now() - started > timeoutMs) throw new Error(`a run is still active after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  /** Signs in through the login page and lands on `path`. */
  const signIn = async (page: Page, email: string, password: string, path = '/dashboard') => {
    await page.goto(`/login?returnUrl=${encodeURIComponent(path)}`);
    await page.getByLabel(/email/i).fill(email);
    await page.getByLabel(/password/i).fill(password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    if (!page.url().includes(path)) await page.goto(path);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ env: { DEMO_DATA: 'true', LOG_LEVEL: 'warn' } }), launch()]);
    adminToken = await loginToken(ADMIN.email, ADMIN.password);
    const demo = await waitForIdle();
    expect(demo.status).toBe('succeeded');
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    const pid = server?.process.pid;
    if (server && pid) await stopServer({ pid, database: server.database });
  });

  it('1. the dashboard shows the trend chart with bars and non-zero summary numbers', async () => {
    const { page, context, errors } = await newPage(browser, server.url);
    await signIn(page, ADMIN.email, ADMIN.password, '/dashboard');
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    const chart = page.getByRole('img', { name: /issues per (day|week) by category/i });
    await chart.waitFor();
    expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
    expect(await chart.locator('rect').count()).toBeGreaterThan(0);
    // The chart's label totals the bars: a non-zero count.
    expect(Number(/: (\d+) in/.exec((await chart.getAttribute('aria-label')) ?? '')?.[1])).toBeGreaterThan(0);

    const summary = page.getByRole('region', { name: 'Summary' });
    const number = async (testId: string) => {
      const cell = summary.getByTestId(testId);
      await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await cell.elementHandle());
      return Number((await cell.innerText()).replace(/[^\d]/g, ''));
    };
    expect(await number('stat-issues')).toBeGreaterThan(0);
    expect(await number('stat-tickets')).toBeGreaterThan(0);
    expect(await number('stat-new-clusters')).toBeGreaterThanOrEqual(0);
    // And it agrees with the API.
    const { body: apiSummary } = await api<{ issues: number; tickets: number }>('/api/issues/summary?days=30');
    expect(await number('stat-issues')).toBe(apiSummary.issues);
    expect(await number('stat-tickets')).toBe(apiSummary.tickets);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('2. triages a cluster: status and note are saved and still shown after a reload', async () => {
    const { page, context, errors } = await newPage(browser, server.url);
    await signIn(page, ADMIN.email, ADMIN.password, '/clusters');
    const table = page.getByRole('table', { name: 'Clusters' });
    await table.waitFor();
    const first = table.getByRole('row').nth(1).getByRole('link').first();
    const name = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(/\/clusters\/[^/?]+$/);
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(name)) }).waitFor();

    const { body: before } = await api<{ pmStatus: string }>(`/api/clusters/${id}`);
    const nextStatus = before.pmStatus === 'acknowledged' ? 'In progress' : 'Acknowledged';
    const nextValue = nextStatus === 'In progress' ? 'in_progress' : 'acknowledged';

    const triage = page.getByRole('form', { name: 'Triage' });
    // The status is saved as soon as it is picked.
    await triage.getByRole('combobox', { name: 'PM status' }).click();
    await page.getByRole('option', { name: nextStatus, exact: true }).click();
    await expectText(page.getByTestId('cluster-status-chip'), nextStatus);

    const note = `Seen by e2e at ${new Date().toISOString()} — <b>not bold</b>`;
    await triage.getByRole('textbox', { name: 'Notes' }).fill(note);
    await triage.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Cluster saved').first().waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(name)) }).waitFor();
    await expectText(page.getByTestId('cluster-status-chip'), nextStatus);
    const reloadedTriage = page.getByRole('form', { name: 'Triage' });
    await expect(reloadedTriage.getByRole('combobox', { name: 'PM status' }).innerText()).resolves.toContain(
      nextStatus,
    );
    await expect(reloadedTriage.getByRole('textbox', { name: 'Notes' }).inputValue()).resolves.toBe(note);

    const { status, body } = await api<{ pmStatus: string; pmNotes: string }>(`/api/clusters/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ pmStatus: nextValue, pmNotes: note });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('3. imports a JSONL file on the Runs page, follows the run to its end and reports the bad line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pim-e2e-import-'));
    const file = join(dir, 'three-tickets.jsonl');
    const ticket = (id: number, subject: string) =>
      JSON.stringify({
        id,
        subject,
        body: `${subject}. The export button on the reports page spins forever and nothing downloads.`,
        created_at: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        updated_at: new Date(Date.now() - 86_400_000).toISOString(),
        status: 'open',
        organization: 'E2E Import Org',
        requester: 'Ima Porter',
      });
    // Line 2 is not JSON.
    writeFileSync(
      file,
      [ticket(990001, 'CSV export hangs'), '{"id": 990002, "subject": "broken', ticket(990003, 'Export stuck')].join(
        '\n',
      ) + '\n',
    );

    const { page, context, errors } = await newPage(browser, server.url);
    await signIn(page, ADMIN.email, ADMIN.password, '/runs');
    await page.getByRole('heading', { name: 'Import a file' }).waitFor();
    // The file input itself is visually hidden; a person uses the "Choose file…" button.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await (await chooser).setFiles(file);
    await page.getByText(/three-tickets\.jsonl \(\d[\d,]* bytes\)/).waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();

    const result = page.getByTestId('import-result');
    await result.getByText(/Imported 2 rows, rejected\s+1\./).waitFor({ timeout: 90_000 });
    await expect(result.getByTestId('import-errors').innerText()).resolves.toMatch(/^line 2: invalid JSON/);
    expect(await result.getByRole('alert').count()).toBe(0);

    // The run history lists it as succeeded, with one error.
    const { body: runs } = await api<{ items: { status: string; trigger: string; stats: Record<string, number> }[] }>(
      '/api/sync/runs?perPage=1',
    );
    expect(runs.items[0]).toMatchObject({ status: 'succeeded', stats: { rowsImported: 2, rowsRejected: 1 } });
    await page.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1).waitFor();
    // And the "Current run" card is back to idle.
    await page.getByTestId('current-run').getByText('No run in progress.').waitFor();

    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('4. shows an HTML/JS payload in a ticket subject as literal text and never runs it', async () => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    const subject = `Payload ${img} ${script}`;
    const form = new FormData();
    form.append(
      'file',
      new Blob(
        [
          JSON.stringify({
            id: 990101,
            subject,
            body: `Body too: ${img}${script}<svg onload="window.__pwned=3"></svg>`,
            created_at: new Date(Date.now() - 86_400_000).toISOString(),
            updated_at: new Date().toISOString(),
            status: 'open',
            organization: `<b onmouseover="window.__pwned=4">Org</b>`,
            requester: 'Mallory',
          }) + '\n',
        ],
        { type: 'application/x-ndjson' },
      ),
      'payload.jsonl',
    );
    const upload = await api<{ runId: string }>('/api/tickets/import', { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    expect((await waitForIdle()).status).toBe('succeeded');

    const { page, context, errors } = await newPage(browser, server.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, ADMIN.email, ADMIN.password, '/tickets/990101');
    const heading = page.getByTestId('ticket-subject');
    await heading.waitFor();
    await expectText(heading, subject);
    expect(await page.locator('img[src="x"], main script, [onerror], [onload], [onmouseover]').count()).toBe(0);
    await page.getByText('Body too:').first().waitFor();

    await page.goto(`/tickets?search=${encodeURIComponent('Payload')}`);
    const link = page.getByRole('table', { name: 'Tickets' }).getByRole('link', { name: subject });
    await link.waitFor();
    expect((await link.innerText()).trim()).toBe(subject);
    expect(await page.locator('img[src="x"], [onerror], [onload], [onmouseover]').count()).toBe(0);

    // Give a late handler every chance to run.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('5. a viewer sees no triage controls on a cluster, and the API refuses their PATCH with 403', async () => {
    const viewer = { email: 'viewer@e2e.local', password: 'viewer-password-1', role: 'viewer', name: 'Vera Viewer' };
    const created = await api('/api/users', { method: 'POST', body: JSON.stringify(viewer) });
    expect(created.status).toBe(201);
    const viewerToken = await loginToken(viewer.email, viewer.password);

    const { body: list } = await api<{ items: { id: string; name: string }[] }>('/api/clusters?perPage=1');
    const cluster = list.items[0];

    const { page, context, errors } = await newPage(browser, server.url);
    await signIn(page, viewer.email, viewer.password, `/clusters/${cluster.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(cluster.name)) }).waitFor();
    await page.getByTestId('triage-readonly').waitFor();
    await page.getByRole('heading', { name: 'Triage' }).waitFor();

    expect(await page.getByRole('form', { name: 'Triage' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(save|discard)$/i }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /merge|split|move to/i }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByTestId('restructure').count()).toBe(0);

    const patch = await api(`/api/clusters/${cluster.id}`, {
      method: 'PATCH',
      token: viewerToken,
      body: JSON.stringify({ pmStatus: 'fixed', pmNotes: 'viewer was here' }),
    });
    expect(patch.status).toBe(403);
    const merge = await api(`/api/clusters/${cluster.id}/merge`, {
      method: 'POST',
      token: viewerToken,
      body: JSON.stringify({ targetId: cluster.id }),
    });
    expect(merge.status).toBe(403);
    const { body: after } = await api<{ pmNotes: string; pmStatus: string }>(`/api/clusters/${cluster.id}`);
    expect(after.pmNotes).not.toBe('viewer was here');
    expect(after.pmStatus).not.toBe('fixed');

    expect(errors).toEqual([]);
    await context.close();
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Waits (up to 10 s) until the element's text, whitespace collapsed, contains `text`. */
async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < 10_000) {
    last = (await locator.innerText()).replace(/\s+/g, ' ').trim();
    if (last.includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected "${text}" in "${last}"`);
}
