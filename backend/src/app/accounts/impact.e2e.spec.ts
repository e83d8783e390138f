import { ZendeskSimulator } from '@pim/testing';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { api, closeSession, openSession, TestApp } from '../../testing/test-app';

/**
 * Impact ranking (issue 18) end to end: organizations synced from the Zendesk simulator carry ARR in a custom field
 * (ACCOUNT_ARR_FIELD), and later a CSV account feed overrides them. Sorted by impact, the cluster list puts first the
 * planted problem that hits the high-ARR accounts, though another problem has more tickets; the list's and the CSV
 * export's ARR sums equal a recount.
 */
jest.setTimeout(300_000);

interface Cluster {
  id: string;
  issueCount: number;
  affectedAccounts: number;
  arrAffected: number;
  enterpriseShare: number;
  renewingAccounts: number;
  impactScore: number;
  impact: { explanation: string };
}

let sim: ZendeskSimulator;
let t: TestApp, token: string, db: Client;
const ARR_FIELD = 'annual_revenue';
/** Live tickets per planted problem, and the organizations each problem's tickets come from. */
const ticketsOf = new Map<string, number[]>();
const orgsOf = new Map<string, Set<number>>();
const problemOf = new Map<number, string | null>();
let big = '';
let valuable = '';
let feedPick = '';
/** The ARR the test set for each organization (the recount's source, independent of the product). */
const arrOf = new Map<number, number>();

function exclusiveOrgs(problem: string): number[] {
  const others = new Set<number>();
  for (const [p, orgs] of orgsOf) if (p !== problem) for (const o of orgs) others.add(o);
  return [...(orgsOf.get(problem) ?? [])].filter((o) => !others.has(o));
}

function plan() {
  const ds = sim.dataset;
  for (const id of ds.liveTicketIds()) {
    const label = ds.labelOf(id);
    problemOf.set(id, label?.plantedProblem ?? null);
    if (!label?.plantedProblem) continue;
    ticketsOf.set(label.plantedProblem, [...(ticketsOf.get(label.plantedProblem) ?? []), id]);
    if (label.organizationId !== null) {
      const orgs = orgsOf.get(label.plantedProblem) ?? new Set<number>();
      orgs.add(label.organizationId);
      orgsOf.set(label.plantedProblem, orgs);
    }
  }
  const bySize = [...ticketsOf].sort((a, b) => b[1].length - a[1].length);
  big = bySize[0]![0];
  // The valuable problems: far fewer tickets than the biggest, but organizations of their own.
  const candidates = bySize
    .slice(1)
    .filter(([p, ids]) => ids.length >= 5 && ids.length < bySize[0]![1].length * 0.8 && exclusiveOrgs(p).length >= 2)
    .sort((a, b) => exclusiveOrgs(b[0]).length - exclusiveOrgs(a[0]).length);
  expect(candidates.length).toBeGreaterThanOrEqual(1);
  if (process.env.IMPACT_DEBUG)
    console.log(
      candidates.map(([p, ids]) => [p, ids.length, exclusiveOrgs(p).length]),
      big,
      bySize[0]![1].length,
    );
  valuable = candidates[0]![0];
  // Another problem when there is one (the feed moves the value elsewhere); else the same, valued by the feed.
  // For the feed, the smallest other problem (its clusters stay far from the biggest ones).
  const others = candidates.slice(1).sort((a, b) => a[1].length - b[1].length);
  feedPick = (others.find(([p]) => exclusiveOrgs(p).length >= 3) ?? others[0] ?? candidates[0])![0];
}

/** Majority planted problem of a cluster's tickets. */
async function problemOfCluster(clusterId: string): Promise<string | null> {
  const { rows } = await db.query(`SELECT DISTINCT ticket_id FROM issues WHERE cluster_id = $1 AND NOT hidden`, [
    clusterId,
  ]);
  const votes = new Map<string | null, number>();
  for (const r of rows) {
    const p = problemOf.get(Number(r.ticket_id)) ?? null;
    votes.set(p, (votes.get(p) ?? 0) + 1);
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

async function clusters(query: string): Promise<Cluster[]> {
  const res = await api(t.url, 'GET', `/api/clusters?perPage=200&${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Per active cluster: the distinct organizations of its visible issues' live tickets, and their ARR (test's own). */
async function recount(): Promise<Map<string, { accounts: number; arr: number }>> {
  const { rows } = await db.query(
    `SELECT DISTINCT i.cluster_id, t.organization_id FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id
      JOIN clusters c ON c.id = i.cluster_id
      WHERE c.active AND NOT i.hidden AND t.deleted_at IS NULL AND t.organization_id IS NOT NULL`,
  );
  const out = new Map<string, { accounts: number; arr: number }>();
  for (const r of rows) {
    const e = out.get(r.cluster_id) ?? { accounts: 0, arr: 0 };
    e.accounts++;
    e.arr += arrOf.get(Number(r.organization_id)) ?? 0;
    out.set(r.cluster_id, e);
  }
  return out;
}

async function csvArr(): Promise<Map<string, number>> {
  const res = await fetch(`${t.url}/api/export/clusters`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const [header, ...lines] = (await res.text())
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const column = header!.split(',').indexOf('arr_affected');
  expect(column).toBeGreaterThan(0);
  // Cells here hold no commas except the quoted text ones: read the id first and the ARR from the end.
  const fromEnd = header!.split(',').length - column;
  return new Map(
    lines.map((line) => {
      const cells = line.split(',');
      return [cells[0]!, Number(cells[cells.length - fromEnd])];
    }),
  );
}

async function expectSumsEqualRecount() {
  const expected = await recount();
  const list = await clusters('sort=impactScore:desc');
  expect(list.length).toBeGreaterThan(3);
  const csv = await csvArr();
  for (const c of list) {
    const e = expected.get(c.id) ?? { accounts: 0, arr: 0 };
    expect({ id: c.id, accounts: c.affectedAccounts, arr: c.arrAffected }).toEqual({ id: c.id, ...e });
    expect({ id: c.id, csv: csv.get(c.id) }).toEqual({ id: c.id, csv: e.arr });
  }
  // And the product's own SQL recount over its accounts table.
  const { rows } = await db.query(
    `SELECT x.cluster_id, coalesce(sum(a.arr), 0)::float8 AS arr FROM (SELECT DISTINCT i.cluster_id, t.organization_id
       FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id WHERE NOT i.hidden AND t.deleted_at IS NULL) x
       LEFT JOIN accounts a ON a.organization_id = x.organization_id GROUP BY x.cluster_id`,
  );
  const sql = new Map(rows.map((r) => [r.cluster_id as string, Number(r.arr)]));
  for (const c of list) expect({ id: c.id, arr: c.arrAffected }).toEqual({ id: c.id, arr: sql.get(c.id) ?? 0 });
  return list;
}

/** The top of the impact ranking is `problem`; the biggest problem's largest cluster has more issues than it. */
async function expectRankedFirst(problem: string) {
  const ranked = await clusters('sort=impactScore:desc');
  if (process.env.IMPACT_DEBUG)
    for (const c of ranked.slice(0, 4))
      console.log(problem, await problemOfCluster(c.id), c.issueCount, c.arrAffected, c.impact.explanation);
  expect(await problemOfCluster(ranked[0]!.id)).toBe(problem);
  expect(ranked[0]!.impact.explanation).toMatch(/share of ARR affected/);
  expect(ticketsOf.get(big)!.length).toBeGreaterThan(ticketsOf.get(problem)!.length);
  const byIssues = await clusters('sort=issueCount:desc');
  expect(await problemOfCluster(byIssues[0]!.id)).not.toBe(problem);
  expect(byIssues[0]!.issueCount).toBeGreaterThan(ranked[0]!.issueCount);
  const scores = ranked.map((c) => c.impactScore);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  const byArr = await clusters('sort=arrAffected:desc');
  expect(await problemOfCluster(byArr[0]!.id)).toBe(problem);
}

beforeAll(async () => {
  // A fixed history (it ends at today's midnight UTC): the same tickets, problems and organizations all day.
  const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  sim = new ZendeskSimulator({
    dataset: { tickets: 400, organizations: 300, seed: 11, endTime: midnight },
    plan: 'enterprise',
    timeScale: 60,
  });
  plan();
  const renewal = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const high = new Set(exclusiveOrgs(valuable));
  for (const org of sim.dataset.organizations()) {
    const arr = high.has(org.id) ? 900_000 : 5_000;
    arrOf.set(org.id, arr);
    sim.dataset.setOrganizationFields(org.id, {
      [ARR_FIELD]: high.has(org.id) ? '$900,000' : '5000',
      segment: high.has(org.id) ? 'Enterprise' : 'SMB',
      renewal_date: high.has(org.id) ? renewal : null,
    });
  }
  await sim.start();
  ({ t, token, db } = await openSession({ env: { ...sim.productEnv(700), ACCOUNT_ARR_FIELD: ARR_FIELD } }));
  const trigger = await api(t.url, 'POST', '/api/sync/trigger?backfillDays=130', { token });
  expect(trigger.status).toBe(202);
  const started = Date.now();
  for (;;) {
    const run = (await api(t.url, 'GET', `/api/sync/runs/${trigger.body.runId}`, { token })).body;
    if (run.status === 'succeeded') break;
    if (run.status === 'failed' || Date.now() - started > 200_000) throw new Error(`run: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

afterAll(async () => {
  await closeSession(t, db);
  await sim?.stop();
});

describe('impact from Zendesk organization fields', () => {
  it('reads ARR through ACCOUNT_ARR_FIELD, keeps it dated, and ranks the high-ARR problem first', async () => {
    const high = exclusiveOrgs(valuable);
    const { rows } = await db.query(`SELECT organization_id, arr, segment, source FROM accounts WHERE arr > 100000`);
    expect(rows.map((r) => Number(r.organization_id)).sort()).toEqual([...high].sort());
    expect(rows.every((r) => r.segment === 'Enterprise' && r.source === 'zendesk')).toBe(true);
    // Every synced organization (those of the synced tickets) has an account, and one dated state.
    const synced = await db.query(`SELECT count(*)::int AS n FROM zendesk_organizations`);
    expect(synced.rows[0].n).toBeGreaterThan(50);
    const history = await db.query(`SELECT count(*)::int AS n FROM account_history`);
    expect(history.rows[0].n).toBe(synced.rows[0].n);
    expect((await db.query(`SELECT count(*)::int AS n FROM accounts`)).rows[0].n).toBe(synced.rows[0].n);
    await expectRankedFirst(valuable);
    const top = (await clusters('sort=impactScore:desc'))[0]!;
    expect(top.enterpriseShare).toBeGreaterThan(0);
    expect(top.renewingAccounts).toBeGreaterThan(0);
  });

  it('carries ARR sums in the API and the CSV equal to a recount', async () => {
    await expectSumsEqualRecount();
  });

  it('filters by segment (case-insensitive) to clusters with such an account', async () => {
    const enterprise = await clusters('segment=enterprise');
    const all = await clusters('');
    expect(enterprise.length).toBeGreaterThan(0);
    expect(enterprise.length).toBeLessThan(all.length);
    for (const c of enterprise) expect(c.enterpriseShare).toBeGreaterThan(0);
    const detail = await api(t.url, 'GET', `/api/clusters/${enterprise[0]!.id}`, { token });
    expect(detail.body.accounts.length).toBe(detail.body.affectedAccounts);
    expect(detail.body.accounts[0]).toMatchObject({ arr: 900_000, arrAtFirstTicket: null, segment: 'Enterprise' });
    expect(detail.body.accounts[0].ticketIds.length).toBe(detail.body.accounts[0].ticketCount);
  });
});

describe('impact from a CSV account feed', () => {
  it('matches rows by id, domain and name, reports the unmatched, and ranks the feed’s high-ARR problem first', async () => {
    const high = new Set(exclusiveOrgs(feedPick));
    const lines = ['organization_id,domain,name,arr,plan'];
    for (const [i, org] of sim.dataset.organizations().entries()) {
      const arr = high.has(org.id) ? 2_000_000 : 1_000;
      arrOf.set(org.id, arr);
      // A third by id, a third by domain, a third by name only.
      const by = i % 3;
      lines.push(
        [
          by === 0 ? org.id : '',
          by === 1 ? (org.domain_names[0] ?? '') : '',
          by === 2 ? `"${org.name}"` : '',
          arr,
          high.has(org.id) ? 'enterprise' : 'starter',
        ].join(','),
      );
    }
    lines.push(',nowhere.example,,5000,starter');
    const form = new FormData();
    form.append('file', new Blob([lines.join('\n')], { type: 'text/csv' }), 'accounts.csv');
    const res = await fetch(`${t.url}/api/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    // Organizations the sync never saw (no ticket in the backfill) match nothing; neither does the last row.
    const synced = (await db.query(`SELECT count(*)::int AS n FROM zendesk_organizations`)).rows[0].n as number;
    expect(body).toMatchObject({ rows: 301, matched: synced, changed: synced });
    expect(body.unmatched.length).toBe(Math.min(50, 301 - synced));
    expect(body.unmatched[0].reason).toBe('no organization with this id, domain or name');
    await expectRankedFirst(feedPick);
    await expectSumsEqualRecount();
    const plans = await clusters('plan=Enterprise');
    expect(plans.length).toBeGreaterThan(0);
    // The Zendesk refresh of a later run leaves the feed's values alone.
    expect((await api(t.url, 'POST', '/api/accounts/refresh', { token })).body).toEqual({ changed: 0, feed: null });
    const history = await db.query(`SELECT count(*)::int AS n FROM account_history`);
    expect(history.rows[0].n).toBe(2 * synced);
  });

  it('refuses a file without an organization column, naming it', async () => {
    const form = new FormData();
    form.append('file', new Blob(['arr,plan\n5,x\n'], { type: 'text/csv' }), 'bad.csv');
    const res = await fetch(`${t.url}/api/accounts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/^file: .*organization column/);
  });
});

describe('the account feed URL', () => {
  it('is read by a refresh (as nightly), its unreadable answers are 502s naming the feed', async () => {
    let body =
      'domain,arr\n' +
      sim.dataset
        .organizations()
        .slice(0, 3)
        .map((o) => `${o.domain_names[0]},42`)
        .join('\n');
    let status = 200;
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/csv' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/accounts.csv?token=secret`;
      const put = await api(t.url, 'PUT', '/api/settings/accounts', { token, body: { feedUrl: url } });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ feedConfigured: true, feedHost: expect.stringMatching(/^127\.0\.0\.1:/) });
      expect(JSON.stringify(put.body)).not.toContain('secret');
      const refresh = await api(t.url, 'POST', '/api/accounts/refresh', { token });
      expect(refresh.status).toBe(200);
      const synced = new Set((await db.query(`SELECT id FROM zendesk_organizations`)).rows.map((r) => Number(r.id)));
      const expected = sim.dataset
        .organizations()
        .slice(0, 3)
        .filter((o) => synced.has(o.id)).length;
      expect(refresh.body.feed).toMatchObject({ rows: 3, matched: expected });
      status = 503;
      const down = await api(t.url, 'POST', '/api/accounts/refresh', { token });
      expect(down.status).toBe(502);
      expect(down.body.message).toMatch(/^feedUrl: .*HTTP 503/);
      status = 200;
      body = 'colour\nred\n';
      const bad = await api(t.url, 'POST', '/api/accounts/refresh', { token });
      expect(bad.status).toBe(502);
      expect(bad.body.message).toMatch(/organization column/);
      const bad400 = await api(t.url, 'PUT', '/api/settings/accounts', { token, body: { feedUrl: 'ftp://x' } });
      expect(bad400.status).toBe(400);
      expect(JSON.stringify(bad400.body.message)).toMatch(/feedUrl/);
    } finally {
      await api(t.url, 'PUT', '/api/settings/accounts', { token, body: { feedUrl: null } });
      server.close();
    }
  });
});
