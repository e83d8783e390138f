import {
  adfText,
  exportDatasetToString,
  JiraSimulator,
  LinearSimulator,
  SlackWebhookReceiver,
  SmtpReceiver,
  ZendeskDataset,
} from '@pim/testing';
import { DigestService } from '@app/alerts/digest/digest.service';
import { AlertsService } from '@app/alerts/alerts.service';
import { importAndWait } from '../../testing/runs';
import { api, closeSession, login, openSession, signInNewUser, TestSession } from '../../testing/test-app';

const DAY = 86_400_000;
const JIRA = { email: 'pm@pim.test', token: 'jira-token-0123456789-secret', projectKey: 'PIM' };
const LINEAR = {
  apiKey: 'lin_api_secret_0123456789abcdef',
  teamId: '5b1f4c1e-7d0a-4f43-9a4c-1c2b3d4e5f60',
  teamKey: 'ENG',
};

type Line = Record<string, unknown> & { id: number; created_at: string; updated_at?: string };

describe('trackers (real app, PostgreSQL, Jira and Linear simulators over HTTP)', () => {
  const jira = new JiraSimulator(JIRA);
  const linear = new LinearSimulator(LINEAR);
  let s: TestSession;
  let lines: Line[];
  let clusters: Array<{ id: string; name: string; issueCount: number }>;
  const dataset = new ZendeskDataset({ tickets: 150, seed: 11, endTime: Math.floor(Date.now() / DAY) * DAY });
  const rows = async (sql: string, params: unknown[] = []) => (await s.db.query(sql, params)).rows;
  const jsonl = (items: Line[]) => items.map((l) => JSON.stringify(l)).join('\n');
  /** Files (`POST`) or links (`PUT`) the external issue of cluster `id`, as the admin unless `token` says otherwise. */
  const externalIssue = (method: 'POST' | 'PUT', id: string, body: object, token = s.token) =>
    api(s.t.url, method, `/api/clusters/${id}/external-issue`, { token, body });
  /** Files cluster `id` in `provider` (its simulator reset first): the answer (201) and the request the tracker got. */
  const fileIn = async (provider: 'jira' | 'linear', id: string) => {
    const tracker = provider === 'jira' ? jira : linear;
    tracker.reset();
    const res = await externalIssue('POST', id, { provider });
    expect(res.status).toBe(201);
    const [sent] = tracker.created;
    return { res, sent: sent! };
  };

  beforeAll(async () => {
    const jiraUrl = await jira.start();
    const linearUrl = await linear.start();
    s = await openSession({
      env: {
        JIRA_BASE_URL: jiraUrl,
        JIRA_EMAIL: JIRA.email,
        JIRA_API_TOKEN: JIRA.token,
        JIRA_PROJECT_KEY: JIRA.projectKey,
        LINEAR_API_URL: `${linearUrl}/graphql`,
        LINEAR_API_KEY: LINEAR.apiKey,
        LINEAR_TEAM_ID: LINEAR.teamId,
        FRONTEND_URL: 'https://console.pim.test',
      },
    });
    lines = (await exportDatasetToString(dataset, { format: 'jsonl' }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect((await importAndWait(s.t, s.token, jsonl(lines))).status).toBe('succeeded');
    const list = await api(s.t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=10', { token: s.token });
    clusters = list.body.items;
    expect(clusters.length).toBeGreaterThanOrEqual(4);
  }, 240_000);

  afterAll(async () => {
    await closeSession(s?.t, s?.db);
    await Promise.all([jira.stop(), linear.stop()]);
  });

  it('files a cluster in Jira (ADF description with quotes and console links) and shows it on the cluster', async () => {
    const cluster = clusters[0]!;
    const { res, sent } = await fileIn('jira', cluster.id);
    expect(res.body).toMatchObject({ provider: 'jira', key: 'PIM-1', status: 'To Do' });
    expect(res.body.url).toMatch(/\/browse\/PIM-1$/);

    expect(sent.headers['authorization']).toBe(
      'Basic ' + Buffer.from(`${JIRA.email}:${JIRA.token}`).toString('base64'),
    );
    const fields = (sent.json as { fields: Record<string, any> }).fields;
    expect(fields['project']).toEqual({ key: 'PIM' });
    expect(fields['issuetype']).toEqual({ name: 'Task' });
    expect(fields['summary']).toBe(cluster.name.replace(/\s+/g, ' ').trim());
    expect(fields['description']).toMatchObject({ type: 'doc', version: 1 });
    const text = adfText(fields['description']);
    expect(text).toContain(`${cluster.issueCount} issue(s)`);
    const quotes = (fields['description'].content as Array<{ type: string }>).filter((n) => n.type === 'blockquote');
    expect(quotes.length).toBeGreaterThanOrEqual(1);
    expect(quotes.length).toBeLessThanOrEqual(3);
    // Each quote is verbatim customer text of the cluster's issues.
    const detail = (await api(s.t.url, 'GET', `/api/clusters/${cluster.id}`, { token: s.token })).body;
    const known = new Set(detail.issues.map((i: { quote: string | null }) => i.quote?.trim()));
    for (const q of quotes) expect(known.has(adfText({ type: 'doc', version: 1, content: [q] }))).toBe(true);
    expect(JSON.stringify(fields['description'])).toContain(`https://console.pim.test/clusters/${cluster.id}`);
    expect(JSON.stringify(fields['description'])).toMatch(/https:\/\/console\.pim\.test\/tickets\/\d+/);

    // The cluster answers carry it (detail and list).
    expect(detail.externalIssue).toMatchObject({
      provider: 'jira',
      key: 'PIM-1',
      status: 'To Do',
      statusCategory: 'todo',
    });
    const list = await api(s.t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=10', { token: s.token });
    const listed = list.body.items.find((c: { id: string }) => c.id === cluster.id);
    expect(listed.externalIssue).toMatchObject({ provider: 'jira', key: 'PIM-1' });
    expect(list.body.items.find((c: { id: string }) => c.id !== cluster.id).externalIssue).toBeNull();

    const [audit] = await rows(`SELECT action, after FROM audit_log WHERE action = 'cluster.external-issue.create'`);
    expect(audit.after).toMatchObject({ provider: 'jira', key: 'PIM-1' });
    expect(JSON.stringify(audit)).not.toContain(JIRA.token);
  });

  it('files a cluster in Linear over GraphQL (Authorization: the key; teamId, title, Markdown description)', async () => {
    const cluster = clusters[1]!;
    const { res, sent } = await fileIn('linear', cluster.id);
    expect(res.body).toMatchObject({ provider: 'linear', key: 'ENG-1', status: 'Triage' });
    expect(res.body.url).toMatch(/^https:\/\/linear\.app\/pim-test\/issue\/ENG-1\//);
    expect(sent.headers['authorization']).toBe(LINEAR.apiKey);
    const body = sent.json as { query: string; variables: { input: Record<string, string> } };
    expect(body.query).toMatch(/mutation IssueCreate\(\$input: IssueCreateInput!\)/);
    expect(body.variables.input.teamId).toBe(LINEAR.teamId);
    expect(body.variables.input.title).toBe(cluster.name);
    expect(body.variables.input.description).toMatch(/^> /m);
    expect(body.variables.input.description).toContain(`(https://console.pim.test/clusters/${cluster.id})`);
  });

  it('links an existing issue (validated by reading it; unknown key → 400 naming key)', async () => {
    const cluster = clusters[2]!;
    const key = jira.seed('Already filed by support', 'indeterminate');
    const linked = await externalIssue('PUT', cluster.id, { provider: 'jira', key });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ provider: 'jira', key, status: 'In Progress', statusCategory: 'in_progress' });
    const missing = await externalIssue('PUT', cluster.id, { provider: 'linear', key: 'ENG-999' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/key ENG-999/);
    const bad = await externalIssue('PUT', cluster.id, { provider: 'github', key: 'x' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/provider/);
  });

  it('honours 429 Retry-After (Jira) and RATELIMITED (Linear), and turns a 401 into a clear error', async () => {
    const cluster = clusters[3]!;
    jira.reset();
    jira.rateLimit(1);
    const started = Date.now();
    const res = await externalIssue('POST', cluster.id, { provider: 'jira' });
    expect(res.status).toBe(201);
    expect(jira.requests).toHaveLength(2);
    expect(jira.requests[1]!.at - jira.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    linear.reset();
    linear.rateLimit(1000);
    const lin = await externalIssue('PUT', cluster.id, { provider: 'linear', key: 'ENG-1' });
    expect(lin.status).toBe(200);
    expect(linear.requests).toHaveLength(2);
    expect(linear.requests[1]!.at - linear.requests[0]!.at).toBeGreaterThanOrEqual(500);

    jira.reset();
    jira.fail({
      kind: 'status',
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} }),
    });
    const denied = await externalIssue('POST', cluster.id, { provider: 'jira' });
    expect(denied.status).toBe(502);
    expect(denied.body.message).toBe('Jira: authentication failed (HTTP 401): check JIRA_EMAIL and JIRA_API_TOKEN');
    expect(JSON.stringify(denied.body)).not.toContain(JIRA.token);
  });

  it('viewers read, editors file, only admins sync', async () => {
    const viewer = await signInNewUser(s.t.url, s.token, 'viewer');
    const editor = await signInNewUser(s.t.url, s.token, 'editor');
    const id = clusters[0]!.id;
    expect((await api(s.t.url, 'GET', `/api/clusters/${id}`, { token: viewer })).body.externalIssue.key).toBe('PIM-1');
    expect((await api(s.t.url, 'GET', '/api/trackers', { token: viewer })).body).toEqual({
      providers: ['jira', 'linear'],
    });
    const body = { provider: 'jira' };
    expect((await externalIssue('POST', id, body, viewer)).status).toBe(403);
    expect((await api(s.t.url, 'POST', '/api/trackers/sync', { token: editor })).status).toBe(403);
    const filed = await externalIssue('PUT', id, { provider: 'jira', key: 'PIM-1' }, editor);
    expect(filed.status).toBe(200);
  });

  it('follows an issue to done: the cluster is marked fixed; new tickets after that → one regression alert, reopened', async () => {
    const cluster = clusters[0]!;
    const sync = () => api(s.t.url, 'POST', '/api/trackers/sync', { token: s.token });
    const first = await sync();
    expect(first.status).toBe(200);
    expect(first.body.fixed).toBe(0);
    expect((await api(s.t.url, 'GET', `/api/clusters/${cluster.id}`, { token: s.token })).body.pmStatus).not.toBe(
      'fixed',
    );

    jira.transition('PIM-1', 'done');
    const second = await sync();
    expect(second.body).toMatchObject({ fixed: 1, failed: 0 });
    const fixed = (await api(s.t.url, 'GET', `/api/clusters/${cluster.id}`, { token: s.token })).body;
    expect(fixed.pmStatus).toBe('fixed');
    expect(fixed.externalIssue).toMatchObject({ key: 'PIM-1', status: 'Done', statusCategory: 'done' });
    const [entry] = await rows(
      `SELECT after FROM audit_log WHERE action = 'cluster.fixed-by-tracker' AND entity_id = $1`,
      [cluster.id],
    );
    expect(entry.after).toMatchObject({ pmStatus: 'fixed', provider: 'jira', key: 'PIM-1' });
    expect((await sync()).body.fixed).toBe(0); // done issues are not read again

    // No regression before new tickets.
    const evaluate = () => s.t.running.app.get(AlertsService).evaluate(null);
    await evaluate();
    expect(await rows(`SELECT id FROM alerts WHERE kind = 'regression' AND cluster_id = $1`, [cluster.id])).toEqual([]);

    // A copy of one of the cluster's tickets, created after the fix date, joins it.
    const [{ ticket_id: sourceId }] = await rows(
      `SELECT ticket_id FROM issues WHERE cluster_id = $1 AND NOT hidden ORDER BY ticket_id LIMIT 1`,
      [cluster.id],
    );
    const source = lines.find((l) => l.id === Number(sourceId))!;
    const at = new Date().toISOString();
    const copy = { ...source, id: 880_001, created_at: at, updated_at: at };
    expect((await importAndWait(s.t, s.token, jsonl([copy]))).status).toBe('succeeded');
    await evaluate();
    const alerts = await rows(`SELECT id, trigger FROM alerts WHERE kind = 'regression' AND cluster_id = $1`, [
      cluster.id,
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].trigger.ticketsAfterFix).toBe(1);
    expect(new Date(alerts[0].trigger.fixedAt).getTime()).toBe(new Date(entry.after.fixedAt).getTime());
    expect((await api(s.t.url, 'GET', `/api/clusters/${cluster.id}`, { token: s.token })).body.pmStatus).toBe('new');
  }, 240_000);

  it('previews the weekly digest (viewers) and sends it to the Slack and e-mail channels of the alert settings', async () => {
    const viewer = await login(s.t.url, 'viewer@test.local', 'viewer-password-1');
    const preview = await api(s.t.url, 'GET', '/api/alerts/digest/preview', { token: viewer });
    expect(preview.status).toBe(200);
    const d = preview.body;
    expect(new Date(d.to).getTime() - new Date(d.from).getTime()).toBe(7 * DAY);
    expect(d.top.length).toBeGreaterThanOrEqual(1);
    expect(d.top.length).toBeLessThanOrEqual(5);
    for (const c of d.top) {
      expect(c.count7d).toBeGreaterThan(0);
      expect(c.url).toBe(`https://console.pim.test/clusters/${c.id}`);
    }
    const counts = d.top.map((c: { count7d: number }) => c.count7d);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // The regression of the previous test, with a verbatim quote of the cluster.
    const regression = d.regressions.find((c: { id: string }) => c.id === clusters[0]!.id);
    expect(regression).toBeDefined();
    const [{ n }] = await rows(
      `SELECT count(*)::int AS n FROM issues WHERE cluster_id = $1 AND quote = $2 AND quote_verified`,
      [regression.id, regression.quote],
    );
    expect(n).toBeGreaterThanOrEqual(1);

    const slack = new SlackWebhookReceiver();
    const smtp = new SmtpReceiver();
    const slackUrl = (await slack.start()) + slack.path;
    const smtpUrl = await smtp.start();
    try {
      const put = await api(s.t.url, 'PUT', '/api/settings/alerts', {
        token: s.token,
        body: {
          channels: {
            slack: { enabled: true, webhookUrl: slackUrl },
            email: { enabled: true, smtpUrl, from: 'digest@pim.test', to: ['pm@pim.test'] },
          },
        },
      });
      expect(put.status).toBe(200);
      expect((await s.t.running.app.get(DigestService).send()).sort()).toEqual(['email', 'slack']);
      expect(slack.accepted).toHaveLength(1);
      expect(slack.accepted[0]!.rawBody).toContain('Weekly digest');
      expect(slack.accepted[0]!.rawBody).toContain('Regressions');
      expect(slack.accepted[0]!.rawBody).toContain(`https://console.pim.test/clusters/${clusters[0]!.id}`);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.to).toEqual(['pm@pim.test']);
      const mail = smtp.messages[0]!.raw.replace(/=\r?\n/g, '');
      expect(mail).toMatch(/Subject: \[PIM\] Weekly digest/);
      expect(mail).toContain(`https://console.pim.test/clusters/${clusters[0]!.id}`);
    } finally {
      await Promise.all([slack.stop(), smtp.stop()]);
    }
  });
});
