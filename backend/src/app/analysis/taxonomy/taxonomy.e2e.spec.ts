import { Client } from 'pg';
import { api, closeSession, openSession, signInNewUser, TestApp } from '../../../testing/test-app';

describe('taxonomy settings and the local analyzer (zero-config)', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let viewer: string;
  let db: Client;

  beforeAll(async () => {
    ({ t, token: admin, db } = await openSession());
    editor = await signInNewUser(t.url, admin, 'editor', 'password-123');
    viewer = await signInNewUser(t.url, admin, 'viewer', 'password-123');
  });
  afterAll(() => closeSession(t, db));

  const body = (taxonomy: any) => ({
    categories: taxonomy.categories.map(({ aliases: _a, subcategories, ...c }: any) => ({
      ...c,
      subcategories: subcategories.map(({ aliases: _s, ...s }: any) => s),
    })),
    issueTypes: taxonomy.issueTypes,
    severities: taxonomy.severities,
    productContext: taxonomy.productContext,
    redaction: taxonomy.redaction,
  });

  it('serves the default taxonomy to every role', async () => {
    const res = await api(t.url, 'GET', '/api/settings/taxonomy', { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.issueTypes.map((x: any) => x.key)).toEqual([
      'bug',
      'friction',
      'ux_confusion',
      'feature_request',
      'documentation_gap',
      'data_issue',
    ]);
    expect(res.body.severities.map((x: any) => x.key)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(res.body.categories.length).toBeGreaterThanOrEqual(8);
    for (const c of res.body.categories) {
      expect(c.description).toBeTruthy();
      for (const s of c.subcategories) expect(s.description).toBeTruthy();
    }
    expect(res.body.redaction).toEqual({ email: true, phone: true, card: true, iban: true, ip: true, url: true });
  });

  it('lets only admins change it, and answers 400 naming the field', async () => {
    const current = (await api(t.url, 'GET', '/api/settings/taxonomy', { token: admin })).body;
    expect((await api(t.url, 'PUT', '/api/settings/taxonomy', { token: editor, body: body(current) })).status).toBe(
      403,
    );

    const badKey = body(current);
    badKey.categories[0].key = 'Not A Key';
    let res = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: badKey });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/categories\.0\.key/);

    const missingType = body(current);
    missingType.issueTypes = missingType.issueTypes.slice(1);
    res = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: missingType });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/issueTypes must list each of .* \(missing bug\)/);

    const duplicate = body(current);
    duplicate.categories[1].key = duplicate.categories[0].key;
    res = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: duplicate });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/categories\.1\.key .* is used twice/);

    const noRedaction = body(current);
    delete noRedaction.redaction;
    res = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: noRedaction });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/redaction/);
  });

  it('analyses imported tickets with the local analyzer, no network', async () => {
    const form = new FormData();
    const lines = [
      { id: 1, subject: 'Export broken', body: 'The CSV export times out for reports with more than 50k rows.' },
      { id: 2, subject: 'Thanks', body: 'Thank you for the quick help!' },
    ];
    form.append('file', new Blob([lines.map((l) => JSON.stringify(l)).join('\n')]), 'tickets.jsonl');
    const res = await fetch(`${t.url}/api/tickets/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    const { runId } = await res.json();
    for (let i = 0; i < 300; i++) {
      const run = (await api(t.url, 'GET', `/api/sync/runs/${runId}`, { token: admin })).body;
      if (run.status === 'succeeded' || run.status === 'failed') {
        expect(run.status).toBe('succeeded');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const { rows } = await db.query(
      `SELECT ticket_id, analyzer, model, status, cost_usd FROM ticket_analyses ORDER BY ticket_id`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ analyzer: 'local', status: 'issues_found', cost_usd: '0.00000000' }),
      expect.objectContaining({ analyzer: 'local', status: 'no_product_issue' }),
    ]);
    const issues = await db.query(`SELECT category, subcategory, quote, quote_verified FROM issues`);
    expect(issues.rows).toEqual([
      {
        category: 'reporting',
        subcategory: 'exports',
        quote: 'The CSV export times out for reports with more than 50k rows.',
        quote_verified: true,
      },
    ]);
  });

  it('keeps renamed keys as aliases with history; existing issues keep their stored strings; audit-logged', async () => {
    const current = (await api(t.url, 'GET', '/api/settings/taxonomy', { token: admin })).body;
    const next = body(current);
    const reporting = next.categories.find((c: any) => c.key === 'reporting');
    reporting.key = 'reports_exports';
    reporting.renamedFrom = 'reporting';
    const exports = reporting.subcategories.find((s: any) => s.key === 'exports');
    exports.key = 'data_exports';
    exports.renamedFrom = 'exports';
    next.redaction.ip = false;
    const res = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: next });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(current.version + 1);
    const renamed = res.body.categories.find((c: any) => c.key === 'reports_exports');
    expect(renamed.aliases).toEqual(['reporting']);
    expect(renamed.subcategories.find((s: any) => s.key === 'data_exports').aliases).toEqual(['exports']);
    expect(res.body.history.map((h: any) => [h.kind, h.from, h.to])).toEqual([
      ['category', 'reporting', 'reports_exports'],
      ['subcategory', 'reporting/exports', 'reports_exports/data_exports'],
    ]);
    expect(res.body.redaction.ip).toBe(false);

    const issues = await db.query(`SELECT category, subcategory FROM issues`);
    expect(issues.rows).toEqual([{ category: 'reporting', subcategory: 'exports' }]);

    const audit = await api(t.url, 'GET', '/api/audit?entityType=taxonomy', { token: admin });
    expect(audit.body.items[0]).toMatchObject({ action: 'taxonomy.update', actorEmail: 'admin@test.local' });

    // A second save keeps the aliases without renamedFrom.
    const again = body(res.body);
    const res2 = await api(t.url, 'PUT', '/api/settings/taxonomy', { token: admin, body: again });
    expect(res2.body.categories.find((c: any) => c.key === 'reports_exports').aliases).toEqual(['reporting']);
    expect(res2.body.history).toHaveLength(2);
  });

  it('shows analysis costs to editors and admins only', async () => {
    expect((await api(t.url, 'GET', '/api/analysis/costs', { token: viewer })).status).toBe(403);
    const res = await api(t.url, 'GET', '/api/analysis/costs?days=7', { token: editor });
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({ calls: 0, costUsd: 0 });
    expect((await api(t.url, 'GET', '/api/analysis/costs?days=0', { token: editor })).status).toBe(400);
    expect((await api(t.url, 'GET', '/api/analysis/costs?days=abc', { token: editor })).status).toBe(400);
  });
});
