import type { Browser, Page } from 'playwright-core';
import { JiraSimulator, SlackWebhookReceiver } from '@pim/testing';
import { launch, newPage } from './support/browser';
import { ADMIN, E2eServer, startServer, stopServer } from './support/server';

const JIRA = { email: 'pm@e2e.local', token: 'jira-e2e-token-0123456789', projectKey: 'PIM' };

/**
 * The PM loop (issue 17) in headless Chromium against the built app with the demo dataset, a Jira simulator and a
 * Slack receiver over HTTP: a Slack channel set in alert settings, a cluster filed in Jira from its page and its
 * status shown; the issue done in Jira → the cluster fixed; a new ticket of it → a regression alert, sent to
 * Slack and listed on the alerts page.
 */
describe('PM loop: alerts to Slack, a cluster filed in Jira and followed to done (issue 17)', () => {
  const jira = new JiraSimulator(JIRA);
  const slack = new SlackWebhookReceiver();
  let server: E2eServer;
  let browser: Browser;
  let token: string;
  let slackUrl: string;

  const api = async <T = any>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    if (typeof init.body === 'string') headers.set('content-type', 'application/json');
    const response = await fetch(`${server.url}${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  const waitForIdle = async (timeoutMs = 120_000) => {
    const started = Date.now();
    for (;;) {
      const { body } = await api<{ currentRun: unknown; lastRun: { status: string } | null }>('/api/sync/status');
      if (!body.currentRun && body.lastRun) return body.lastRun;
      if (Date.now() - started > timeoutMs) throw new Error(`a run is still active after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  /** `read()` until `done(value)`, or throws after `timeoutMs`. */
  const until = async <T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => {
    const started = Date.now();
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const signIn = async (page: Page, path: string) => {
    await page.goto(`/login?returnUrl=${encodeURIComponent(path)}`);
    await page.getByLabel(/email/i).fill(ADMIN.email);
    await page.getByLabel(/password/i).fill(ADMIN.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    if (!page.url().includes(path)) await page.goto(path);
  };

  beforeAll(async () => {
    const jiraUrl = await jira.start();
    slackUrl = (await slack.start()) + slack.path;
    [server, browser] = await Promise.all([
      startServer({
        env: {
          DEMO_DATA: 'true',
          LOG_LEVEL: 'warn',
          JIRA_BASE_URL: jiraUrl,
          JIRA_EMAIL: JIRA.email,
          JIRA_API_TOKEN: JIRA.token,
          JIRA_PROJECT_KEY: JIRA.projectKey,
        },
      }),
      launch(),
    ]);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    token = (await login.json()).accessToken;
    expect((await waitForIdle()).status).toBe('succeeded');
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    const pid = server?.process.pid;
    if (server && pid) await stopServer({ pid, database: server.database });
    await Promise.all([jira.stop(), slack.stop()]);
  });

  it('sets a Slack channel, files a cluster in Jira, follows it to done, and sees the regression alert', async () => {
    const { page, context, errors } = await newPage(browser, server.url);

    // 1. A Slack channel in alert settings.
    await signIn(page, '/alerts/settings');
    await page.getByTestId('slack-url').fill(slackUrl);
    const toggle = page.getByTestId('slack-enabled').getByRole('switch');
    if ((await toggle.getAttribute('aria-checked')) !== 'true') await toggle.click();
    await page.getByRole('button', { name: 'Save' }).click();
    const channel = await until(
      async () => (await api('/api/settings/alerts')).body.channels.slack,
      (slack) => slack.configured && slack.source === 'settings',
    );
    expect(channel).toMatchObject({ enabled: true, configured: true, source: 'settings' });

    // 2. A cluster filed in Jira from its page; its status shows.
    const { body: list } = await api('/api/clusters?sort=issueCount:desc&perPage=1');
    const cluster = list.items[0];
    await page.goto(`/clusters/${cluster.id}`);
    await page.getByTestId('tracker-open').click();
    await page.getByTestId('create-jira').click();
    await page.getByTestId('tracker-issue').getByText('Jira PIM-1').waitFor();
    expect(await page.getByTestId('tracker-status').textContent()).toContain('To Do');
    const fields = (jira.created[0]!.json as { fields: { summary: string; project: { key: string } } }).fields;
    expect(fields).toMatchObject({ summary: cluster.name.replace(/\s+/g, ' ').trim(), project: { key: 'PIM' } });

    // 3. Done in Jira → the sync marks the cluster fixed; the page shows Done.
    jira.transition('PIM-1', 'done');
    const synced = await api('/api/trackers/sync', { method: 'POST' });
    expect(synced.body).toMatchObject({ fixed: 1, failed: 0 });
    await page.reload();
    await page.getByTestId('tracker-status').getByText('Done').waitFor();
    expect((await api(`/api/clusters/${cluster.id}`)).body.pmStatus).toBe('fixed');

    // 4. A new ticket of the cluster (a copy of one of its tickets, created now) → a regression alert to Slack.
    const { body: detail } = await api(`/api/clusters/${cluster.id}`);
    const { body: ticket } = await api(`/api/tickets/${detail.tickets[0].zendeskId}`);
    const at = new Date().toISOString();
    const line = {
      id: 990_001,
      subject: ticket.subject,
      body: ticket.comments[0]?.body ?? ticket.subject,
      comments: ticket.comments
        .slice(1)
        .map((c: { body: string; public: boolean }) => ({ body: c.body, public: c.public })),
      created_at: at,
      updated_at: at,
    };
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(line) + '\n']), 'copy.jsonl');
    expect((await api('/api/tickets/import', { method: 'POST', body: form })).status).toBe(202);
    expect((await waitForIdle()).status).toBe('succeeded');
    const sent = () => slack.accepted.filter((r) => r.rawBody.includes(`kind: regression · cluster: ${cluster.id}`));
    expect(
      await until(
        () => sent().length,
        (n) => n > 0,
      ),
    ).toBe(1);

    // 5. The alert on the alerts page.
    await page.goto('/alerts?kind=regression');
    await page.getByRole('link', { name: cluster.name }).first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
