import { ZendeskDataset } from '@pim/testing';
import { Client } from 'pg';
import { api, closeSession, signInNewUser, TestApp } from '../../testing/test-app';
import { agreement } from '@pim/text-mining/evaluation';
import { openSessionWithTickets, waitForRun } from '../../testing/runs';

async function csv(t: TestApp, token: string, path: string) {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bom: bytes.subarray(0, 3).toString('hex'),
    text: bytes.toString('utf8').replace(/^\uFEFF/, ''),
  };
}

let t: TestApp;
let admin: string;
let editor: string;
let viewer: string;
let db: Client;
// History ending at today's midnight (UTC): the same tickets all day. Ending at the clock's minute, the generated
// data (and so the clusters the assertions read) changed from one run to the next.
const dataset = new ZendeskDataset({
  tickets: 400,
  seed: 42,
  endTime: Math.floor(Date.now() / 86_400_000) * 86_400_000,
});
const rows = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

beforeAll(async () => {
  ({ t, token: admin, db } = await openSessionWithTickets(dataset));
  editor = await signInNewUser(t.url, admin, 'editor');
  viewer = await signInNewUser(t.url, admin, 'viewer');
}, 180_000);

afterAll(() => closeSession(t, db));

describe('issues and clusters (simulator tickets, local analyzer, real PostgreSQL): summary and clustering', () => {
  it('answers a cached summary as the same JSON, typed as JSON, without an ETag', async () => {
    const get = async () => {
      const res = await fetch(`${t.url}/api/issues/summary?days=365`, {
        headers: { authorization: `Bearer ${viewer}` },
      });
      return { type: res.headers.get('content-type'), etag: res.headers.get('etag'), text: await res.text() };
    };
    const first = await get(); // computed
    const second = await get(); // from the cache, serialised once
    const third = await get();
    for (const r of [first, second, third]) {
      expect(r.type).toBe('application/json; charset=utf-8');
      expect(r.etag).toBeNull();
    }
    expect(second.text).toBe(first.text);
    expect(third.text).toBe(first.text);
    expect(JSON.parse(third.text).issues).toBeGreaterThan(100);
  });

  it('clusters the issues so that clusters match the planted problems', async () => {
    const issues = await rows(`SELECT ticket_id, cluster_id FROM issues WHERE NOT hidden`);
    expect(issues.length).toBeGreaterThan(100);
    expect(issues.every((i) => i.cluster_id)).toBe(true);
    const pairs = issues
      .map((i) => ({
        label: dataset.labelOf(Number(i.ticket_id))?.plantedProblem ?? null,
        cluster: i.cluster_id as string,
      }))
      .filter((p): p is { label: string; cluster: string } => p.label !== null);
    const score = agreement(pairs);
    process.stdout.write(
      `\n  agreement with planted problems: ${score.items} issues of problem tickets, ${score.labels} problems, ` +
        `${score.clusters} clusters; purity ${(score.purity * 100).toFixed(1)}%, inverse purity ` +
        `${(score.inversePurity * 100).toFixed(1)}%, ACC ${(score.acc * 100).toFixed(1)}%\n`,
    );
    expect(score.purity).toBeGreaterThan(0.85);
    expect(score.acc).toBeGreaterThan(0.55);

    const list = await api(t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=20', { token: viewer });
    expect(list.status).toBe(200);
    const top = list.body.items[0];
    expect(top.issueCount).toBeGreaterThanOrEqual(list.body.items[1].issueCount);
    expect(top.uniqueCustomers).toBeGreaterThan(0);
    expect(top.name.length).toBeGreaterThan(3);
    expect(top.summary.length).toBeGreaterThan(3);
  });
});

describe('issues and clusters (simulator tickets, local analyzer, real PostgreSQL): trends and issue lists', () => {
  it('counts trends by ticket creation time', async () => {
    const [{ c7, prior }] = await rows(
      `SELECT (count(*) FILTER (WHERE ticket_created_at >= now() - interval '7 days'))::int AS c7,
              (count(*) FILTER (WHERE ticket_created_at >= now() - interval '14 days'
                                  AND ticket_created_at < now() - interval '7 days'))::int AS prior
         FROM issues WHERE NOT hidden`,
    );
    const [{ sum7, sumPrior }] = await rows(
      `SELECT sum(count_7d)::int AS sum7, sum(count_prior_7d)::int AS "sumPrior" FROM clusters WHERE active`,
    );
    expect(sum7).toBe(c7);
    expect(sumPrior).toBe(prior);
    // Analysis happened now, tickets span months: counting by analysis time would put everything in the last 7 days.
    const [{ total }] = await rows(`SELECT count(*)::int AS total FROM issues WHERE NOT hidden`);
    expect(c7).toBeLessThan(total);

    const trends = await api(t.url, 'GET', '/api/issues/trends?days=28&interval=week', { token: viewer });
    expect(trends.status).toBe(200);
    const [{ n28 }] = await rows(
      `SELECT count(*)::int AS n28 FROM issues WHERE NOT hidden AND ticket_created_at >= $1`,
      [trends.body.total[0].date],
    );
    expect(trends.body.total.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(n28);
    expect(trends.body.series.length).toBeGreaterThan(3);
    const daily = await api(t.url, 'GET', '/api/issues/trends?days=7', { token: viewer });
    expect(daily.body.total).toHaveLength(7);

    const summary = await api(t.url, 'GET', '/api/issues/summary?days=30', { token: viewer });
    expect(summary.status).toBe(200);
    expect(summary.body.issues).toBeGreaterThan(0);
    expect(summary.body.uniqueCustomers).toBeGreaterThan(0);
    expect(summary.body.byCategory.length).toBeGreaterThan(3);
    // The simulator's Slack and Android problems spike in the last 10–14 days.
    expect(summary.body.emergingClusters).toBeGreaterThan(0);
  });

  it('lists issues with filters, search and validated paging', async () => {
    const bad = await Promise.all(
      ['perPage=0', 'perPage=201', 'page=0', 'severity=urgent', 'sort=foo:asc', 'clusterId=nope'].map((q) =>
        api(t.url, 'GET', `/api/issues?${q}`, { token: viewer }),
      ),
    );
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect((await api(t.url, 'GET', '/api/clusters?perPage=500', { token: viewer })).status).toBe(400);
    // A period that ends before it starts is refused on every endpoint that takes one, naming endDate.
    const inverted = 'startDate=2026-03-01&endDate=2026-02-01';
    for (const path of ['/api/issues', '/api/export/issues', '/api/tickets', '/api/clusters']) {
      const res = await api(t.url, 'GET', `${path}?${inverted}`, { token: viewer });
      expect({ path, status: res.status, message: res.body.message }).toEqual({
        path,
        status: 400,
        message: ['endDate must not be before startDate'],
      });
    }
    const reanalyze = await api(t.url, 'POST', '/api/analysis/reanalyze', {
      token: editor,
      body: { startDate: '2026-03-01', endDate: '2026-02-01' },
    });
    expect(reanalyze.status).toBe(400);
    expect(reanalyze.body.message).toEqual(['endDate must not be before startDate']);
    const page = await api(t.url, 'GET', '/api/issues?perPage=200&severity=high,critical', { token: viewer });
    expect(page.status).toBe(200);
    expect(page.body.perPage).toBe(200);
    expect(page.body.items.every((i: { severity: string }) => ['high', 'critical'].includes(i.severity))).toBe(true);
    const search = await api(t.url, 'GET', '/api/issues?search=webhook&perPage=5', { token: viewer });
    expect(search.body.total).toBeGreaterThan(0);
    expect(search.body.items[0].clusterName).toBeTruthy();
    const clusters = await api(t.url, 'GET', '/api/clusters?search=webhook', { token: viewer });
    expect(clusters.body.total).toBeGreaterThan(0);
  });
});

describe('lists: keyset cursors and capped totals', () => {
  const get = async (path: string) => {
    const res = await api(t.url, 'GET', path, { token: viewer });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.body;
  };

  it('serves every page by cursor exactly as by page number, to the last page', async () => {
    const lists = [
      '/api/issues?perPage=37',
      '/api/issues?perPage=23&sort=severity:desc&severity=high,medium,low',
      '/api/issues?perPage=41&sort=confidence:asc',
      '/api/issues?perPage=41&sort=category:desc&issueType=bug,friction,feature_request,data_issue',
      '/api/issues?perPage=9&search=export',
      '/api/tickets?perPage=43',
      '/api/tickets?perPage=31&sort=updatedAt:asc&status=open,pending,solved,closed',
    ];
    for (const path of lists) {
      const first = await get(path);
      expect(first).toMatchObject({ page: 1, totalExact: true });
      let cursor = first.nextCursor;
      let seen = first.items.length;
      for (let page = 2; cursor; page++) {
        const [byCursor, byPage] = await Promise.all([get(`${path}&cursor=${cursor}`), get(`${path}&page=${page}`)]);
        expect({ path, page, body: byCursor }).toEqual({ path, page, body: byPage });
        seen += byCursor.items.length;
        cursor = byCursor.nextCursor;
      }
      // The cursors walk the whole list, and the last page says so.
      expect({ path, seen }).toEqual({ path, seen: first.total });
    }
  });

  it('counts up to 10,000 matches and says when the total is that cap', async () => {
    const [{ n }] = await rows(`SELECT count(*)::int AS n FROM issues WHERE NOT hidden`);
    expect(n).toBeLessThan(10_000);
    // Copies of the issues (same tickets), enough to pass the cap; removed after.
    await db.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail,
                           confidence, ticket_created_at, flags)
       SELECT ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail, confidence,
              ticket_created_at, '{capped-total-test}'
         FROM issues CROSS JOIN generate_series(1, 10001) WHERE NOT hidden LIMIT 10001 - $1::int`,
      [n],
    );
    try {
      // Filters no earlier request used: a total is cached per filter until the next run, and these rows came by SQL.
      const all = await get('/api/issues?perPage=3&startDate=2000-01-01');
      expect(all).toMatchObject({ total: 10_000, totalExact: false, nextCursor: expect.any(String) });
      const [{ critical }] = await rows(
        `SELECT count(*)::int AS critical FROM issues WHERE NOT hidden AND severity = 'critical'`,
      );
      expect(critical).toBeLessThanOrEqual(10_000);
      expect(await get('/api/issues?perPage=3&severity=critical&startDate=2000-01-01')).toMatchObject({
        total: critical,
        totalExact: true,
      });
    } finally {
      await db.query(`DELETE FROM issues WHERE 'capped-total-test' = ANY(flags)`);
    }
    expect(await get('/api/issues?perPage=4&startDate=2000-01-02')).toMatchObject({ total: n, totalExact: true });
  });

  it('refuses a cursor of another sort or not made by the list, naming the field', async () => {
    const { nextCursor } = await get('/api/issues?perPage=5&sort=confidence:desc');
    expect(nextCursor).toEqual(expect.any(String));
    for (const path of [
      `/api/issues?sort=severity:desc&cursor=${nextCursor}`,
      '/api/issues?cursor=not%20base64',
      `/api/issues?cursor=${Buffer.from('[2,"ticketCreatedAt:desc",["x"]]').toString('base64url')}`,
      `/api/tickets?cursor=${nextCursor}`,
    ]) {
      const res = await api(t.url, 'GET', path, { token: viewer });
      expect({ path, status: res.status, message: String(res.body.message) }).toEqual({
        path,
        status: 400,
        message: expect.stringMatching(/^cursor /),
      });
    }
  });
});

describe('issues and clusters (simulator tickets, local analyzer, real PostgreSQL): cluster detail', () => {
  it('shows a cluster with issues, quotes, tickets and series; and similar tickets', async () => {
    const [{ id }] = await rows(`SELECT id FROM clusters WHERE active ORDER BY issue_count DESC LIMIT 1`);
    const detail = await api(t.url, 'GET', `/api/clusters/${id}`, { token: viewer });
    expect(detail.status).toBe(200);
    expect(detail.body.issues.length).toBeGreaterThan(1);
    expect(detail.body.issues.some((i: { quote: string | null }) => i.quote)).toBe(true);
    expect(detail.body.tickets[0]).toHaveProperty('zendeskUrl');
    expect(detail.body.daily).toHaveLength(30);
    const ticket = detail.body.tickets[0].zendeskId;
    const similar = await api(t.url, 'GET', `/api/tickets/${ticket}/similar?limit=5`, { token: viewer });
    expect(similar.status).toBe(200);
    expect(similar.body.items).toHaveLength(5);
    expect(similar.body.items[0].sharedClusterIds).toContain(id);
    expect(
      (await api(t.url, 'GET', '/api/clusters/00000000-0000-0000-0000-000000000000', { token: viewer })).status,
    ).toBe(404);
  });
});

// The four biggest clusters.
let a: string, b: string, c: string, d: string;
let movedTicket: number;
let movedCategory: string;
let splitTickets: number[];

describe('PM triage: who may triage, PM fields', () => {
  beforeAll(async () => {
    [a, b, c, d] = (await rows(`SELECT id FROM clusters WHERE active ORDER BY issue_count DESC, seq LIMIT 4`)).map(
      (r) => r.id,
    );
  });

  it('lets viewers read but not triage', async () => {
    expect((await api(t.url, 'GET', `/api/clusters/${a}`, { token: viewer })).status).toBe(200);
    const attempts = await Promise.all([
      api(t.url, 'PATCH', `/api/clusters/${a}`, { token: viewer, body: { pmStatus: 'reviewing' } }),
      api(t.url, 'POST', `/api/clusters/${a}/merge`, { token: viewer, body: { sourceIds: [b] } }),
      api(t.url, 'POST', `/api/clusters/${a}/split`, { token: viewer, body: { issueIds: [a] } }),
      api(t.url, 'POST', `/api/issues/${a}/move`, { token: viewer, body: { clusterId: b } }),
    ]);
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403]);
  });

  it('edits PM fields (a name edit locks the name) and invalidates the cached lists and summary', async () => {
    const before = await api(t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=50', { token: viewer });
    const cached = await api(t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=50', { token: viewer });
    expect(cached.body).toEqual(before.body);
    const res = await api(t.url, 'PATCH', `/api/clusters/${a}`, {
      token: editor,
      body: {
        pmStatus: 'acknowledged',
        pmNotes: 'Known; fix planned',
        name: '=HYPERLINK("http://evil.example","click")',
        owner: 'Ana',
        externalUrl: 'https://jira.example.com/browse/PIM-1',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ pmStatus: 'acknowledged', namedBy: 'pm', lockedFields: ['name'] });
    const after = await api(t.url, 'GET', '/api/clusters?sort=issueCount:desc&perPage=50', { token: viewer });
    expect(after.body.items.find((x: { id: string }) => x.id === a)).toMatchObject({
      pmStatus: 'acknowledged',
      owner: 'Ana',
    });
    const bad = await api(t.url, 'PATCH', `/api/clusters/${a}`, { token: editor, body: { pmStatus: 'done' } });
    expect(bad.status).toBe(400);
  });
});

describe('PM triage: merge, split and move', () => {
  it('merges, splits and moves', async () => {
    const merged = await api(t.url, 'POST', `/api/clusters/${a}/merge`, { token: editor, body: { sourceIds: [c] } });
    expect(merged.status).toBe(200);
    const [{ n: inC }] = await rows(`SELECT count(*)::int AS n FROM issues WHERE cluster_id = $1`, [c]);
    expect(inC).toBe(0);
    expect((await rows(`SELECT merged_into, active FROM clusters WHERE id = $1`, [c]))[0]).toEqual({
      merged_into: a,
      active: false,
    });

    const bIssues = await rows(`SELECT id, ticket_id FROM issues WHERE cluster_id = $1 ORDER BY id LIMIT 2`, [b]);
    const split = await api(t.url, 'POST', `/api/clusters/${b}/split`, {
      token: editor,
      body: { issueIds: bIssues.map((i) => i.id) },
    });
    expect(split.status).toBe(201);
    expect(split.body.issueCount).toBe(2);
    splitTickets = bIssues.map((i) => Number(i.ticket_id));
    const foreign = await api(t.url, 'POST', `/api/clusters/${b}/split`, {
      token: editor,
      body: { issueIds: bIssues.map((i) => i.id) },
    });
    expect(foreign.status).toBe(400);

    const [dIssue] = await rows(`SELECT id, ticket_id, category FROM issues WHERE cluster_id = $1 LIMIT 1`, [d]);
    movedTicket = Number(dIssue.ticket_id);
    movedCategory = dIssue.category;
    const moved = await api(t.url, 'POST', `/api/issues/${dIssue.id}/move`, {
      token: editor,
      body: { clusterId: a },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.clusterId).toBe(a);

    const audit = await api(t.url, 'GET', '/api/audit?perPage=50', { token: admin });
    const actions = audit.body.items.map((e: { action: string; actorEmail: string }) => `${e.action} ${e.actorEmail}`);
    for (const action of ['cluster.update', 'cluster.merge', 'cluster.split', 'issue.move'])
      expect(actions).toContain(`${action} editor@test.local`);
    const update = audit.body.items.find((e: { action: string }) => e.action === 'cluster.update');
    expect(update.before).toMatchObject({ pmStatus: 'new' });
    expect(update.after).toMatchObject({ pmStatus: 'acknowledged', owner: 'Ana' });
  });
});

async function expectDecisionsKept() {
  const [cluster] = await rows(`SELECT * FROM clusters WHERE id = $1`, [a]);
  expect(cluster).toMatchObject({
    pm_status: 'acknowledged',
    pm_notes: 'Known; fix planned',
    name: '=HYPERLINK("http://evil.example","click")',
    owner: 'Ana',
    active: true,
  });
  expect((await rows(`SELECT merged_into FROM clusters WHERE id = $1`, [c]))[0].merged_into).toBe(a);
  expect((await rows(`SELECT count(*)::int AS n FROM issues WHERE cluster_id = $1`, [c]))[0].n).toBe(0);
  const moved = await rows(`SELECT cluster_id FROM issues WHERE ticket_id = $1 AND category = $2`, [
    movedTicket,
    movedCategory,
  ]);
  expect(moved.map((r) => r.cluster_id)).toContain(a);
  const splitNow = await rows(
    `SELECT DISTINCT i.cluster_id FROM issues i JOIN clusters c ON c.id = i.cluster_id
          WHERE i.ticket_id = ANY($1::bigint[]) AND i.category = c.category AND 'membership' = ANY(c.locked_fields)
            AND c.id <> $2`,
    [splitTickets, b],
  );
  expect(splitNow.length).toBeGreaterThanOrEqual(1);
}

describe('PM triage: decisions kept across re-analysis; CSV export', () => {
  it('keeps every decision across a full re-run (re-analysis of every ticket)', async () => {
    const res = await api(t.url, 'POST', '/api/analysis/reanalyze', { token: editor, body: {} });
    expect(res.status).toBe(202);
    expect((await waitForRun(t, admin, res.body.runId)).status).toBe('succeeded');
    await expectDecisionsKept();
  });

  it('keeps them across a re-analysis of the moved ticket', async () => {
    const res = await api(t.url, 'POST', `/api/tickets/${movedTicket}/reanalyze`, { token: editor });
    expect(res.status).toBe(202);
    expect((await waitForRun(t, admin, res.body.runId)).status).toBe('succeeded');
    await expectDecisionsKept();
    const history = (await api(t.url, 'GET', `/api/clusters/${a}`, { token: viewer })).body.history;
    expect(history.map((h: { reason: string }) => h.reason)).toEqual(expect.arrayContaining(['merge', 'move']));
  });

  it('exports CSV with the same filters, cluster names, and formula cells escaped', async () => {
    const clustersCsv = await csv(
      t,
      viewer,
      `/api/export/clusters?category=${encodeURIComponent((await rows(`SELECT category FROM clusters WHERE id = $1`, [a]))[0].category)}`,
    );
    expect(clustersCsv.status).toBe(200);
    expect(clustersCsv.type).toMatch(/text\/csv/);
    expect(clustersCsv.bom).toBe('efbbbf');
    expect(clustersCsv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(clustersCsv.text).not.toMatch(/(^|,)=HYPERLINK/m);
    const issuesCsv = await csv(t, viewer, `/api/export/issues?clusterId=${a}`);
    const lines = issuesCsv.text.trim().split('\r\n');
    const [{ n }] = await rows(`SELECT count(*)::int AS n FROM issues WHERE cluster_id = $1 AND NOT hidden`, [a]);
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toContain('cluster_name');
    expect(lines[1]).toContain(`'=HYPERLINK`);
    const all = await csv(t, viewer, '/api/export/issues');
    const [{ total }] = await rows(`SELECT count(*)::int AS total FROM issues WHERE NOT hidden`);
    expect(all.text.trim().split('\r\n')).toHaveLength(total + 1);
  });
});
