import { Client } from 'pg';
import { api, closeSession, counter, login, openSession, TestApp } from '../../testing/test-app';
import { upload, waitForRun } from '../../testing/runs';

let t: TestApp, token: string, db: Client;
const count = counter(() => db);

beforeAll(async () => ({ t, token, db } = await openSession()));
afterAll(() => closeSession(t, db));

const jsonl = [
  JSON.stringify({
    id: 501,
    subject: 'Export fails',
    body: 'CSV export times out for big reports',
    organization: 'Globex',
    created_at: '2026-10-01T10:00:00Z',
    comments: [
      { body: 'Looking into it', public: true, author_role: 'agent' },
      { body: 'Known bug, see JIRA-12', public: false },
    ],
  }),
  JSON.stringify({
    id: 502,
    subject: 'SSO loop',
    body: 'We are stuck in a login loop after rotating the SAML certificate',
    requester: 'ana@globex.example',
  }),
  '{"id": 503, "subject": "broken',
  JSON.stringify({ id: 504, subject: 'Slack', body: 'Slack notifications stopped', created_at: '2026-11-01' }),
  JSON.stringify({ subject: 'no id here', body: 'text' }),
  '',
  JSON.stringify({ id: 'abc', body: 'text' }),
].join('\n');

describe('ticket import', () => {
  it('imports the good rows of a JSONL file and reports the bad ones by line', async () => {
    const res = await upload(t, token, 'tickets.jsonl', jsonl);
    expect(res.status).toBe(202);
    const run = await waitForRun(t, token, res.body.runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      kind: 'import',
      trigger: 'import',
      stats: { rowsImported: 3, rowsRejected: 3, ticketsChanged: 3 },
    });
    expect(run.errors.map((e: { ref: string }) => e.ref)).toEqual(['line 3', 'line 5', 'line 7']);
    expect(run.errors[1].message).toMatch(/id must be a positive integer/);

    const ticket = (await api(t.url, 'GET', '/api/tickets/501', { token })).body;
    expect(ticket).toMatchObject({
      subject: 'Export fails',
      organizationName: 'Globex',
      zendeskUrl: null,
      source: 'import',
    });
    expect(ticket.comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual([
      ['CSV export times out for big reports', true],
      ['Looking into it', true],
      ['Known bug, see JIRA-12', false],
    ]);
    expect(ticket.comments[1].authorRole).toBe('agent');
  });

  it('is idempotent: the same file again changes nothing and duplicates nothing', async () => {
    const res = await upload(t, token, 'tickets.jsonl', jsonl);
    const run = await waitForRun(t, token, res.body.runId);
    expect(run.stats).toMatchObject({ rowsImported: 3, ticketsChanged: 0 });
    expect(await count('SELECT count(*) AS n FROM tickets')).toBe(3);
    expect(await count('SELECT count(*) AS n FROM ticket_comments')).toBe(5);
  });

  it('leaves the bulk-written tables analysed and vacuumed after a run (planner statistics, visibility map)', async () => {
    const maintained = async () =>
      (
        await db.query(
          `SELECT relname FROM pg_stat_user_tables
            WHERE relname = ANY($1) AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL ORDER BY relname`,
          [['clusters', 'issues', 'tickets']],
        )
      ).rows.map((r: { relname: string }) => r.relname);
    // The runs above ended with it (after their status was written: asked until it shows).
    let names: string[] = [];
    for (let i = 0; i < 50 && names.length < 3; i++) {
      names = await maintained();
      if (names.length < 3) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(names).toEqual(['clusters', 'issues', 'tickets']);
  });

  it('stores text with NUL characters and markup as it came, minus the NULs PostgreSQL cannot hold', async () => {
    const line = JSON.stringify({
      id: 9901,
      subject: 'Binary\u0000 paste',
      created_at: '2026-11-01T10:00:00Z',
      updated_at: '2026-11-01T10:00:00Z',
      comments: [{ body: 'Export breaks:\u0000\u0000 <b>"quoted"</b> \\ done', public: true, author_role: 'end-user' }],
    });
    const res = await upload(t, token, 'nul.jsonl', line);
    const run = await waitForRun(t, token, res.body.runId);
    expect(run.status).toBe('succeeded');
    const { rows } = await db.query(`SELECT body FROM ticket_comments WHERE ticket_id = 9901`);
    expect(rows).toEqual([{ body: 'Export breaks: <b>"quoted"</b> \\ done' }]);
    const ticket = await db.query(`SELECT subject FROM tickets WHERE zendesk_id = 9901`);
    expect(ticket.rows).toEqual([{ subject: 'Binary paste' }]);
  });

  it('stores text with a lone UTF-16 surrogate (half an emoji) with U+FFFD in its place, not failing the batch', async () => {
    // JSON.stringify escapes the lone surrogate as "\ud83d": what a truncating exporter writes.
    const line = JSON.stringify({
      id: 9902,
      subject: 'Broken emoji \ud83d here',
      created_at: '2026-11-01T10:00:00Z',
      comments: [{ body: 'Cut \ud83d', public: true, author_role: 'end-user' }],
    });
    expect(line).toContain('\\ud83d');
    const run = await waitForRun(t, token, (await upload(t, token, 'surrogate.jsonl', line)).body.runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 1, rowsRejected: 0 } });
    const ticket = await db.query(`SELECT subject FROM tickets WHERE zendesk_id = 9902`);
    expect(ticket.rows).toEqual([{ subject: 'Broken emoji \ufffd here' }]);
    const { rows } = await db.query(`SELECT body FROM ticket_comments WHERE ticket_id = 9902`);
    expect(rows).toEqual([{ body: 'Cut \ufffd' }]);
  });
});

describe('ticket import', () => {
  it('imports CSV with a header row and a Zendesk JSON export', async () => {
    const csv =
      'id,subject,description,created_at,organization,status\n601,"Dashboard slow","Dashboards with many widgets take 30+ seconds, ""really"" slow",2026-11-02T08:00:00Z,Initech,open\n602,,,,\n';
    const csvRun = await waitForRun(t, token, (await upload(t, token, 'export.csv', csv)).body.runId);
    expect(csvRun.stats).toMatchObject({ rowsImported: 1, rowsRejected: 1 });
    expect(csvRun.errors[0]).toMatchObject({ ref: 'line 3', message: expect.stringMatching(/text/) });
    expect((await api(t.url, 'GET', '/api/tickets/601', { token })).body).toMatchObject({
      status: 'open',
      organizationName: 'Initech',
    });

    const zendeskJson = JSON.stringify({
      tickets: [
        {
          id: 701,
          subject: 'Webhooks out of order',
          description: 'Retries deliver events out of order',
          status: 'solved',
          created_at: '2026-09-09T09:09:09Z',
          updated_at: '2026-09-10T09:09:09Z',
          tags: ['webhooks'],
          organization_id: 42,
        },
        { id: 702, subject: 'Deleted', description: 'x', status: 'deleted', created_at: '2026-09-09T09:09:09Z' },
      ],
    });
    const jsonRun = await waitForRun(t, token, (await upload(t, token, 'zendesk-export.json', zendeskJson)).body.runId);
    expect(jsonRun.stats).toMatchObject({ rowsImported: 1, rowsRejected: 1 });
    expect((await api(t.url, 'GET', '/api/tickets/701', { token })).body).toMatchObject({
      status: 'solved',
      tags: ['webhooks'],
    });
    const list = await api(t.url, 'GET', '/api/tickets?search=webhook%20order', { token });
    expect(list.body.items.map((i: { zendeskId: number }) => i.zendeskId)).toEqual([701]);
  });

  it('shows each ticket with its issues and analysis record, and re-analyses on request', async () => {
    const detail = (await api(t.url, 'GET', '/api/tickets/501', { token })).body;
    expect(detail.analysis).toMatchObject({ analyzer: 'local', status: 'issues_found', pending: false, costUsd: 0 });
    expect(detail.issues.length).toBeGreaterThan(0);
    expect(detail.comments[0].body).toContain(detail.issues[0].quote);
    const quiet = (await api(t.url, 'GET', '/api/tickets/502', { token })).body;
    expect(quiet.analysis.status).toMatch(/issues_found|no_product_issue/);

    const before = await count('SELECT count(*) AS n FROM ticket_analyses WHERE ticket_id = 501');
    const one = await api(t.url, 'POST', '/api/tickets/501/reanalyze', { token });
    expect(one.status).toBe(202);
    expect(one.body.tickets).toBe(1);
    expect(await waitForRun(t, token, one.body.runId)).toMatchObject({
      status: 'succeeded',
      kind: 'analyze',
      trigger: 'reanalyze',
    });
    expect(await count('SELECT count(*) AS n FROM ticket_analyses WHERE ticket_id = 501')).toBe(before + 1);

    const many = await api(t.url, 'POST', '/api/analysis/reanalyze', {
      token,
      body: { startDate: '2026-10-15T00:00:00Z' },
    });
    expect(many.status).toBe(202);
    expect(many.body.tickets).toBeGreaterThanOrEqual(1);
    await waitForRun(t, token, many.body.runId);
    const bad = await api(t.url, 'POST', '/api/analysis/reanalyze', { token, body: { status: ['bogus'] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/status/);
    expect((await api(t.url, 'POST', '/api/tickets/999999/reanalyze', { token })).status).toBe(404);
  });
});

describe('ticket import', () => {
  it('answers 409 to re-analysis while a run is active and changes no ticket (issue 13)', async () => {
    const state = async () =>
      (await db.query(`SELECT zendesk_id, analyzed_hash FROM tickets ORDER BY zendesk_id`)).rows;
    // Analysed tickets (imported here too, so the test stands alone).
    await waitForRun(t, token, (await upload(t, token, 'tickets.jsonl', jsonl)).body.runId);
    const before = await state();
    expect(before.some((r) => r.analyzed_hash !== null)).toBe(true);
    const runsBefore = await count(`SELECT count(*) AS n FROM runs`);
    // Another process's run holds the one-active-run slot.
    const { rows } = await db.query(
      `INSERT INTO runs (kind, trigger, status, phase, params) VALUES ('sync', 'manual', 'running', 'sync', '{}') RETURNING id`,
    );
    try {
      const many = await api(t.url, 'POST', '/api/analysis/reanalyze', { token, body: {} });
      expect(many.status).toBe(409);
      const one = await api(t.url, 'POST', '/api/tickets/501/reanalyze', { token });
      expect(one.status).toBe(409);
      expect(await state()).toEqual(before);
      expect(await count(`SELECT count(*) AS n FROM runs`)).toBe(runsBefore + 1);
    } finally {
      await db.query(`UPDATE runs SET status = 'failed', phase = 'done', finished_at = now() WHERE id = $1`, [
        rows[0].id,
      ]);
    }
  });

  it('answers 400 without a file and 403 for viewers', async () => {
    const form = new FormData();
    form.append('other', 'x');
    const res = await fetch(`${t.url}/api/tickets/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/file/);
    await api(t.url, 'POST', '/api/users', {
      token,
      body: { email: 'viewer@test.local', role: 'viewer', password: 'password-123' },
    });
    const viewer = await login(t.url, 'viewer@test.local', 'password-123');
    expect((await upload(t, viewer, 'tickets.jsonl', jsonl)).status).toBe(403);
    expect((await api(t.url, 'POST', '/api/tickets/501/reanalyze', { token: viewer })).status).toBe(403);
  });
});
