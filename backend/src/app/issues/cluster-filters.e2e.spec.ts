import { ZendeskDataset } from '@pim/testing';
import { Client } from 'pg';
import { api, closeSession, signInNewUser, TestApp } from '../../testing/test-app';
import { openSessionWithTickets } from '../../testing/runs';

/** The cluster list's issue filters (issueType, severity, startDate/endDate), in the list and in the CSV export. */

const DAY_MS = 86_400_000;

let t: TestApp;
let admin: string;
let viewer: string;
let db: Client;
const dataset = new ZendeskDataset({ tickets: 300, seed: 7 });
const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

/** Every cluster id the list returns for a query string, over all pages, plus the reported total. */
async function listIds(query: string): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await api(t.url, 'GET', `/api/clusters?${query}&perPage=200&page=${page}`, { token: viewer });
    expect(res.status).toBe(200);
    total = res.body.total;
    ids.push(...res.body.items.map((c: { id: string }) => c.id));
    if (ids.length >= total || !res.body.items.length) break;
  }
  expect(ids).toHaveLength(total);
  return { ids: ids.sort(), total };
}

async function exportIds(query: string): Promise<string[]> {
  const res = await fetch(`${t.url}/api/export/clusters?${query}`, {
    headers: { authorization: `Bearer ${viewer}` },
  });
  expect(res.status).toBe(200);
  const text = (await res.text()).replace(/^\uFEFF/, '');
  return [...text.matchAll(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}),/gm)]
    .map((m) => m[1] ?? '')
    .sort();
}

/** Active clusters with at least one non-hidden issue matching `condition` (SQL over `i`). */
async function expectedIds(condition: string, params: unknown[]): Promise<string[]> {
  const found = await rows(
    `SELECT DISTINCT c.id FROM clusters c JOIN issues i ON i.cluster_id = c.id
        WHERE c.active AND NOT i.hidden AND ${condition}`,
    params,
  );
  return found.map((r) => r.id as string).sort();
}

beforeAll(async () => {
  ({ t, token: admin, db } = await openSessionWithTickets(dataset));
  viewer = await signInNewUser(t.url, admin, 'viewer');
}, 180_000);

afterAll(() => closeSession(t, db));

describe('cluster list filters (real PostgreSQL): by issue type, severity and period', () => {
  it('narrows the list by issue type (comma list) to clusters having such an issue', async () => {
    const all = await listIds('active=true');
    const types = (await rows(`SELECT DISTINCT issue_type FROM issues WHERE NOT hidden ORDER BY 1`)).map(
      (r) => r.issue_type as string,
    );
    expect(types.length).toBeGreaterThan(1);
    let narrowed = false;
    for (const type of types) {
      const got = await listIds(`issueType=${type}`);
      expect(got.ids).toEqual(await expectedIds('i.issue_type = $1', [type]));
      if (got.total < all.total) narrowed = true;
    }
    expect(narrowed).toBe(true);
    const pair = types.slice(0, 2);
    const both = await listIds(`issueType=${pair.join(',')}`);
    expect(both.ids).toEqual(await expectedIds('i.issue_type = ANY($1)', [pair]));
  });

  it('narrows the list by severity (comma list)', async () => {
    const all = await listIds('active=true');
    const critical = await listIds('severity=critical');
    expect(critical.ids).toEqual(await expectedIds(`i.severity = 'critical'`, []));
    expect(critical.total).toBeGreaterThan(0);
    expect(critical.total).toBeLessThan(all.total);
    const high = await listIds('severity=high,critical');
    expect(high.ids).toEqual(await expectedIds(`i.severity IN ('high', 'critical')`, []));
    expect(high.total).toBeGreaterThanOrEqual(critical.total);
  });

  it('narrows the list by period (ticket creation time of the issues)', async () => {
    const all = await listIds('active=true');
    const since = new Date(Date.now() - 7 * DAY_MS);
    const recent = await listIds(`startDate=${since.toISOString()}`);
    expect(recent.ids).toEqual(await expectedIds('i.ticket_created_at >= $1', [since]));
    expect(recent.total).toBeGreaterThan(0);
    expect(recent.total).toBeLessThan(all.total);

    const from = new Date(Date.now() - 60 * DAY_MS);
    const to = new Date(Date.now() - 30 * DAY_MS);
    const window = await listIds(`startDate=${from.toISOString()}&endDate=${to.toISOString()}`);
    expect(window.ids).toEqual(await expectedIds('i.ticket_created_at >= $1 AND i.ticket_created_at < $2', [from, to]));
    const before = await listIds(`endDate=${to.toISOString()}`);
    expect(before.ids).toEqual(await expectedIds('i.ticket_created_at < $1', [to]));
  });
});

describe('cluster list filters (real PostgreSQL): one issue matches all; CSV export; bad values', () => {
  it('requires one issue to match all issue filters, and ignores hidden issues', async () => {
    const since = new Date(Date.now() - 30 * DAY_MS);
    const combined = await listIds(`issueType=bug&severity=high,critical&startDate=${since.toISOString()}`);
    expect(combined.ids).toEqual(
      await expectedIds(`i.issue_type = 'bug' AND i.severity IN ('high', 'critical') AND i.ticket_created_at >= $1`, [
        since,
      ]),
    );
    // Other filters still apply together with the issue filters.
    const [{ category }] = await rows(
      `SELECT category FROM clusters WHERE active GROUP BY category ORDER BY count(*) DESC LIMIT 1`,
    );
    const inCategory = await listIds(`category=${encodeURIComponent(category)}&severity=medium,low`);
    expect(inCategory.ids).toEqual(
      await expectedIds(`c.category = $1 AND i.severity IN ('medium', 'low')`, [category]),
    );

    // Hide every issue of the newest ticket: a period starting at that ticket no longer lists its clusters.
    const [newest] = await rows(
      `SELECT ticket_id, ticket_created_at FROM issues WHERE NOT hidden AND cluster_id IS NOT NULL
        ORDER BY ticket_created_at DESC LIMIT 1`,
    );
    const at = new Date(newest.ticket_created_at);
    const shown = await listIds(`startDate=${at.toISOString()}`);
    expect(shown.total).toBeGreaterThan(0);
    await db.query(`UPDATE issues SET hidden = true WHERE ticket_id = $1`, [newest.ticket_id]);
    try {
      // A different query string than above, so no cached first page answers.
      const hidden = await listIds(`startDate=${at.toISOString()}&sort=name:asc`);
      const expected = await expectedIds('i.ticket_created_at >= $1', [at]);
      expect(hidden.ids).toEqual(expected);
      expect(hidden.total).toBeLessThan(shown.total);
    } finally {
      await db.query(`UPDATE issues SET hidden = false WHERE ticket_id = $1`, [newest.ticket_id]);
    }
  });

  it('applies the same filters to the CSV export', async () => {
    const since = new Date(Date.now() - 30 * DAY_MS);
    for (const query of [
      'issueType=bug,friction',
      'severity=critical',
      `startDate=${since.toISOString()}`,
      `issueType=bug&severity=high,critical&startDate=${since.toISOString()}&endDate=${new Date().toISOString()}`,
    ]) {
      const listed = await listIds(query);
      const exported = await exportIds(query);
      expect(exported).toEqual(listed.ids);
    }
    expect((await exportIds('severity=critical')).length).toBeLessThan((await exportIds('active=true')).length);
  });

  it('rejects bad filter values with a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['issueType=bogus', 'issueType'],
      ['issueType=bug,nope', 'issueType'],
      ['severity=urgent', 'severity'],
      ['startDate=yesterday', 'startDate'],
      ['endDate=2026-13-45', 'endDate'],
      ['startDate=2026-03-01&endDate=2026-02-01', 'endDate'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/clusters', '/api/export/clusters']) {
        const res = await api(t.url, 'GET', `${path}?${query}`, { token: viewer });
        expect({ query, path, status: res.status }).toEqual({ query, path, status: 400 });
        expect(JSON.stringify(res.body.message)).toContain(field);
      }
    }
    const bad = await api(t.url, 'GET', '/api/clusters?startDate=2026-03-01&endDate=2026-02-01', { token: viewer });
    expect(bad.body.message).toEqual(['endDate must not be before startDate']);
    // The same day is a valid (empty) period; ISO dates without a time are accepted.
    const same = await api(t.url, 'GET', '/api/clusters?startDate=2026-03-01&endDate=2026-03-01', { token: viewer });
    expect(same.status).toBe(200);
    expect(same.body.total).toBe(0);
  });
});
