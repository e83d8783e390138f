import {
  exportDatasetToString,
  SlackWebhookReceiver,
  SmtpReceiver,
  WebhookReceiver,
  ZendeskDataset,
} from '@pim/testing';
import { importAndWait } from '../../testing/runs';
import { api, closeSession, login, openSession, TestSession } from '../../testing/test-app';
import { AlertsService } from './alerts.service';
import { AlertRepository } from './repositories/alert.repository';

const SECRET = 'webhook-signing-secret-0123456789';
const EMERGING = 'android14-dashboard-crash';
const FIXED = 'csv-export-timeout';
const DAY = 86_400_000;
const WEEK = 7 * DAY;

type Line = Record<string, unknown> & { id: number; created_at: string; updated_at?: string };
interface SlackBlock {
  type: string;
  elements?: Array<{ url?: string }>;
}
interface HookBody {
  kind: string;
  cluster: { id: string; name: string; url: string };
}

/** Quoted-printable soft line breaks removed (the e-mail's text is then searchable). */
const unfold = (raw: string) => raw.replace(/=\r?\n/g, '');

describe('alerts (real app, PostgreSQL, Slack/webhook receivers over HTTP, a real SMTP server)', () => {
  const slack = new SlackWebhookReceiver();
  const hook = new WebhookReceiver(SECRET);
  const smtp = new SmtpReceiver();
  let s: TestSession;
  let slackUrl: string;
  let smtpUrl: string;
  let lines: Line[];
  // History ending at today's midnight (UTC), the same tickets every day: the dataset's tickets depend on the weekday
  // its history ends on (weekend days are drawn apart), and on some weekdays the emerging problem's tickets formed two
  // clusters the clustering did not propose to merge. So the history generated is always one ending on a Monday
  // midnight, its times then moved (0-6 days) to end at today's midnight.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const generatedEnd = today - ((((today - Date.UTC(2026, 11, 7)) % WEEK) + WEEK) % WEEK);
  const moved = (iso: string) => new Date(Date.parse(iso) + today - generatedEnd).toISOString();
  const dataset = new ZendeskDataset({ tickets: 300, seed: 7, endTime: generatedEnd });
  const problemOf = (line: Line) => dataset.labelOf(Number(line.id));
  const rows = async (sql: string, params: unknown[] = []) => (await s.db.query(sql, params)).rows;
  const evaluate = () => s.t.running.app.get(AlertsService).evaluate(null);
  /** Until no delivery is due or being sent (the pipeline's own evaluation may still be sending). */
  const settle = async () => {
    for (let i = 0; i < 300; i++) {
      const [{ n }] = await rows(
        `SELECT count(*)::int AS n FROM alert_deliveries
          WHERE status = 'sending' OR (status = 'pending' AND next_attempt_at <= now())`,
      );
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('deliveries did not settle');
  };
  const jsonl = (items: Line[]) => items.map((l) => JSON.stringify(l)).join('\n');
  const clusterOfTickets = async (ids: number[]) =>
    (
      await rows(
        `SELECT cluster_id, count(*)::int AS n FROM issues WHERE ticket_id = ANY($1::bigint[]) AND NOT hidden
          GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
        [ids],
      )
    )[0]?.cluster_id as string;

  beforeAll(async () => {
    slackUrl = (await slack.start()) + slack.path;
    const hookUrl = (await hook.start()) + '/hooks/pim';
    smtpUrl = await smtp.start();
    s = await openSession({
      env: {
        ALERT_SLACK_WEBHOOK_URL: slackUrl,
        ALERT_WEBHOOK_URL: hookUrl,
        ALERT_WEBHOOK_SECRET: SECRET,
        SMTP_URL: smtpUrl,
        ALERT_EMAIL_FROM: 'alerts@pim.test',
        ALERT_EMAIL_TO: 'pm@pim.test, lead@pim.test',
        ALERT_DELIVERY_ATTEMPTS: '3',
        ALERT_RETRY_BASE_MS: '50',
        ALERT_TIMEOUT_MS: '500',
        FRONTEND_URL: 'https://console.pim.test',
      },
    });
    lines = (await exportDatasetToString(dataset, { format: 'jsonl' }))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .map((l) => ({
        ...l,
        created_at: moved(l.created_at),
        ...(l.updated_at ? { updated_at: moved(l.updated_at) } : {}),
        ...(Array.isArray(l['comments'])
          ? {
              comments: (l['comments'] as Array<{ created_at: string }>).map((c) => ({
                ...c,
                created_at: moved(c.created_at),
              })),
            }
          : {}),
      }));
    // History without the emerging problem (nor tickets mentioning it in passing).
    const history = lines.filter((l) => {
      const label = problemOf(l);
      return label?.plantedProblem !== EMERGING && !label?.alsoMentions.includes(EMERGING);
    });
    expect((await importAndWait(s.t, s.token, jsonl(history))).status).toBe('succeeded');
    await evaluate();
    await settle();
  }, 240_000);

  afterAll(async () => {
    await closeSession(s?.t, s?.db);
    await Promise.all([slack.stop(), hook.stop(), smtp.stop()]);
  });

  it('raises exactly one emerging alert for the new problem, delivered once to Slack, e-mail and the webhook; a second run raises none', async () => {
    const before = (await rows(`SELECT id FROM alerts WHERE kind = 'emerging'`)).map((r) => r.id);
    slack.reset();
    hook.reset();
    smtp.messages.length = 0;
    const now = Date.now();
    const fresh = lines
      .filter((l) => problemOf(l)?.plantedProblem === EMERGING)
      .map((l, i, all) => {
        const at = new Date(now - DAY / 2 - (i * 4 * DAY) / all.length).toISOString();
        return { ...l, created_at: at, updated_at: at };
      });
    expect(fresh.length).toBeGreaterThanOrEqual(5);
    expect((await importAndWait(s.t, s.token, jsonl(fresh))).status).toBe('succeeded');
    await evaluate();
    await settle();

    // The clusters the problem's tickets formed with at least 5 issues (the rule's N). The local analyzer words one
    // problem two ways ("crashes" / "force closes"): it may form two clusters of one category, just below the
    // auto-merge bar, which the clustering proposes to merge. Each gets an open alert (deduplication per cluster),
    // the siblings' grouped into one that alone is delivered and listed.
    const formed = (
      await rows(
        `SELECT c.id FROM clusters c WHERE c.issue_count >= 5 AND c.first_seen >= now() - interval '7 days'
            AND EXISTS (SELECT 1 FROM issues i WHERE i.cluster_id = c.id AND i.ticket_id = ANY($1::bigint[]))`,
        [fresh.map((l) => l.id)],
      )
    ).map((r) => r.id as string);
    expect(formed.length).toBeGreaterThanOrEqual(1);
    const opened = (
      await rows(
        `SELECT id, cluster_id, trigger, grouped_into FROM alerts WHERE kind = 'emerging' AND cleared_at IS NULL`,
      )
    ).filter((r) => !before.includes(r.id));
    expect(opened.map((r) => r.cluster_id).sort()).toEqual([...formed].sort());
    const raised = opened.filter((r) => r.grouped_into === null);
    expect(raised).toHaveLength(1);
    const alert = raised[0];
    const clusterId = alert.cluster_id as string;
    for (const sibling of opened.filter((r) => r !== alert)) expect(sibling.grouped_into).toBe(alert.id);
    expect(alert.trigger.issueCount).toBeGreaterThanOrEqual(5);
    expect((alert.trigger.siblings ?? []).map((x: { clusterId: string }) => x.clusterId).sort()).toEqual(
      formed.filter((id) => id !== clusterId).sort(),
    );

    // Slack: exactly one emerging message, Block Kit naming the kind, the cluster and its console URL.
    const url = `https://console.pim.test/clusters/${clusterId}`;
    const slackMessages = slack.accepted.filter((r) => r.rawBody.includes('kind: emerging'));
    expect(slackMessages).toHaveLength(1);
    expect(slackMessages[0].rawBody).toContain(`kind: emerging · cluster: ${clusterId}`);
    const blocks = (slackMessages[0].json as { blocks: SlackBlock[] }).blocks;
    expect(blocks[0].type).toBe('header');
    expect(blocks.find((b) => b.type === 'actions')?.elements?.[0]?.url).toBe(url);
    // Webhook: exactly one emerging body, signed JSON naming the kind, the cluster id and name, and the console URL.
    const hooks = hook.accepted.filter((r) => (r.json as HookBody).kind === 'emerging');
    expect(hooks).toHaveLength(1);
    expect(WebhookReceiver.verify(hooks[0], SECRET)).toBe(true);
    expect(hooks[0].json).toMatchObject({ kind: 'emerging', cluster: { id: clusterId, url } });
    expect(typeof (hooks[0].json as HookBody).cluster.name).toBe('string');
    // E-mail over SMTP: exactly one emerging mail, both parts, to both recipients.
    const mails = smtp.messages.filter((m) => unfold(m.raw).includes('(kind: emerging, cluster: '));
    expect(mails).toHaveLength(1);
    expect(unfold(mails[0].raw)).toContain(`(kind: emerging, cluster: ${clusterId})`);
    expect(mails[0].to.sort()).toEqual(['lead@pim.test', 'pm@pim.test']);
    expect(mails[0].raw).toMatch(/Content-Type: text\/plain/i);
    expect(mails[0].raw).toMatch(/Content-Type: text\/html/i);
    // The API lists it, alone, with its three deliveries sent.
    const list = await api(s.t.url, 'GET', '/api/alerts?kind=emerging&perPage=200', { token: s.token });
    expect(list.status).toBe(200);
    const listed = list.body.items.filter((a: { id: string }) => !before.includes(a.id));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: alert.id, kind: 'emerging', clusterId });
    expect(listed[0].deliveries).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, lastError: null },
      { channel: 'slack', status: 'sent', attempts: 1, lastError: null },
      { channel: 'webhook', status: 'sent', attempts: 1, lastError: null },
    ]);
    const [{ n: deliveriesOfGrouped }] = await rows(
      `SELECT count(*)::int AS n FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.grouped_into IS NOT NULL`,
    );
    expect(deliveriesOfGrouped).toBe(0);

    // A second run without change raises none and sends nothing more.
    expect((await importAndWait(s.t, s.token, jsonl(fresh))).status).toBe('succeeded');
    const again = await evaluate();
    expect(again.raised).toEqual([]);
    await settle();
    expect(slack.accepted.filter((r) => r.rawBody.includes('kind: emerging'))).toHaveLength(1);
    expect(hook.accepted.filter((r) => (r.json as HookBody).kind === 'emerging')).toHaveLength(1);
    expect(smtp.messages.filter((m) => unfold(m.raw).includes('(kind: emerging, cluster: '))).toHaveLength(1);
    const [{ n: stillOpen }] = await rows(
      `SELECT count(*)::int AS n FROM alerts WHERE kind = 'emerging' AND cleared_at IS NULL AND cluster_id = ANY($1::uuid[])`,
      [formed],
    );
    expect(stillOpen).toBe(formed.length);
  }, 240_000);

  it('keeps one open alert per cluster and kind when two processes raise it at once (unique index)', async () => {
    const repo = s.t.running.app.get(AlertRepository);
    const [{ id: clusterId }] = await rows(
      `SELECT c.id FROM clusters c WHERE NOT EXISTS
         (SELECT 1 FROM alerts a WHERE a.cluster_id = c.id AND a.kind = 'critical' AND a.cleared_at IS NULL) LIMIT 1`,
    );
    const ids = await Promise.all(
      Array.from({ length: 4 }, () => repo.raise('critical', clusterId, { criticalTickets7d: 1 }, null)),
    );
    expect(ids.filter(Boolean)).toHaveLength(1);
    const [{ n }] = await rows(
      `SELECT count(*)::int AS n FROM alerts WHERE cluster_id = $1 AND kind = 'critical' AND cleared_at IS NULL`,
      [clusterId],
    );
    expect(n).toBe(1);
    // Not a condition that holds: the next evaluation clears it.
    await repo.clear(ids.filter((id): id is string => Boolean(id)));
  });

  it('never returns a channel address or secret (settings, alerts, audit); viewers read alerts, not settings', async () => {
    const put = await api(s.t.url, 'PUT', '/api/settings/alerts', {
      token: s.token,
      body: { channels: { webhook: { secret: 'another-secret-0123456789' } }, rules: { emerging: { minIssues: 5 } } },
    });
    expect(put.status).toBe(200);
    const get = await api(s.t.url, 'GET', '/api/settings/alerts', { token: s.token });
    expect(get.status).toBe(200);
    expect(get.body.channels).toMatchObject({
      slack: { configured: true, source: 'env' },
      webhook: { configured: true, secretConfigured: true, source: 'env' },
      email: { configured: true, from: 'alerts@pim.test', to: ['pm@pim.test', 'lead@pim.test'] },
    });
    const alerts = await api(s.t.url, 'GET', '/api/alerts?perPage=200', { token: s.token });
    const audit = await api(s.t.url, 'GET', '/api/audit?entityType=settings', { token: s.token });
    for (const text of [put, get, alerts, audit].map((r) => JSON.stringify(r.body))) {
      for (const secret of [slack.path, SECRET, 'another-secret-0123456789', smtpUrl])
        expect(text).not.toContain(secret);
    }
    // Bad input is a 400 naming the field.
    for (const [body, field] of [
      [{ channels: { email: { to: 'pm@pim.test' } } }, 'to'],
      [{ ratePerHour: 0 }, 'ratePerHour'],
      [{ channels: { slack: { webhookUrl: 'ftp://x' } } }, 'webhookUrl'],
      [{ rules: { spike: { zThreshold: 'high' } } }, 'zThreshold'],
    ] as const) {
      const bad = await api(s.t.url, 'PUT', '/api/settings/alerts', { token: s.token, body });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain(field);
    }
    // Viewers read alerts; only admins see or change their settings.
    const created = await api(s.t.url, 'POST', '/api/users', {
      token: s.token,
      body: { email: 'viewer@test.local', role: 'viewer', password: 'viewer-password-1' },
    });
    expect(created.status).toBe(201);
    const viewer = await login(s.t.url, 'viewer@test.local', 'viewer-password-1');
    expect((await api(s.t.url, 'GET', '/api/alerts', { token: viewer })).status).toBe(200);
    expect((await api(s.t.url, 'GET', '/api/alerts/summary', { token: viewer })).body.last7d).toBeGreaterThan(0);
    expect((await api(s.t.url, 'GET', '/api/settings/alerts', { token: viewer })).status).toBe(403);
    expect((await api(s.t.url, 'PUT', '/api/settings/alerts', { token: viewer, body: {} })).status).toBe(403);
    // Back to the environment's secret for the next test.
    await api(s.t.url, 'PUT', '/api/settings/alerts', {
      token: s.token,
      body: { channels: { webhook: { secret: null } } },
    });
  });

  it('reopens a fixed cluster that gets new tickets; failed deliveries are retried (429 Retry-After, 5xx, timeouts) and end failed', async () => {
    const fixedTickets = lines.filter((l) => problemOf(l)?.plantedProblem === FIXED);
    const clusterId = await clusterOfTickets(fixedTickets.map((l) => l.id));
    // Only the regression rule: the faults below meet its deliveries.
    await api(s.t.url, 'PUT', '/api/settings/alerts', {
      token: s.token,
      body: { rules: { emerging: { enabled: false }, spike: { enabled: false }, critical: { enabled: false } } },
    });
    const patch = await api(s.t.url, 'PATCH', `/api/clusters/${clusterId}`, {
      token: s.token,
      body: { pmStatus: 'fixed' },
    });
    expect(patch.status).toBe(200);
    await evaluate();
    await settle();
    slack.reset();
    hook.reset();
    slack.rateLimit(1).fail({ kind: 'status', status: 503, body: 'rollup_error' }, 2);
    hook.fail({ kind: 'hang' }, 3);

    const at = new Date().toISOString();
    // A ticket of the cluster, copied (identical text gives identical issues: the copy joins the same cluster).
    const [{ ticket_id: sourceId }] = await rows(
      `SELECT ticket_id FROM issues WHERE cluster_id = $1 AND NOT hidden ORDER BY ticket_id LIMIT 1`,
      [clusterId],
    );
    const source = fixedTickets.find((l) => l.id === Number(sourceId)) ?? lines.find((l) => l.id === Number(sourceId));
    const copy = { ...source, id: 990_001, created_at: at, updated_at: at };
    expect((await importAndWait(s.t, s.token, jsonl([copy]))).status).toBe('succeeded');
    expect(await clusterOfTickets([990_001])).toBe(clusterId);
    await evaluate();
    await settle();

    const [alert] = await rows(`SELECT id, trigger FROM alerts WHERE kind = 'regression' AND cluster_id = $1`, [
      clusterId,
    ]);
    expect(alert.trigger.ticketsAfterFix).toBe(1);
    const cluster = (await api(s.t.url, 'GET', `/api/clusters/${clusterId}`, { token: s.token })).body;
    expect(cluster.pmStatus).toBe('new');
    expect(cluster.pmNotes).toMatch(/Reopened by a regression alert: 1 ticket\(s\) created after it was marked fixed/);

    const list = await api(s.t.url, 'GET', '/api/alerts?kind=regression', { token: s.token });
    const deliveries = list.body.items.find((a: { id: string }) => a.id === alert.id).deliveries;
    expect(deliveries).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, lastError: null },
      { channel: 'slack', status: 'failed', attempts: 3, lastError: 'HTTP 503: rollup_error' },
      { channel: 'webhook', status: 'failed', attempts: 3, lastError: 'timed out after 500 ms' },
    ]);
    // Retry-After: 1 was waited before the second try.
    expect(slack.requests).toHaveLength(3);
    expect(slack.requests[1].at - slack.requests[0].at).toBeGreaterThanOrEqual(950);
    expect(hook.requests).toHaveLength(3);
  }, 240_000);
});
