import { DEFAULT_SIM_API_TOKEN, DEFAULT_SIM_EMAIL, ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { api, closeSession, counter, login, openSession, TestApp } from '../../testing/test-app';

/** Sync against the Zendesk simulator over real HTTP with the real client, on a real PostgreSQL. */
// Whole runs (sync, then analysis and clustering of 3,000 tickets) take a minute or two on a loaded 2-core machine.
jest.setTimeout(300_000);

let sim: ZendeskSimulator;
let t: TestApp, token: string, db: Client;

const waitForIdle = async (runId: string) => {
  const started = Date.now();
  for (;;) {
    const run = (await api(t.url, 'GET', `/api/sync/runs/${runId}`, { token })).body;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() - started > 150_000) throw new Error(`run ${runId} still ${run.status} after 150 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
const trigger = async (query = '') => {
  const res = await api(t.url, 'POST', `/api/sync/trigger${query}`, { token });
  expect(res.status).toBe(202);
  return res.body.runId as string;
};
const count = counter(() => db);

beforeAll(async () => {
  // 3,000 tickets on the Enterprise plan; a protocol minute lasts 1 s on both sides (ZENDESK_SIM_TIME_SCALE).
  sim = new ZendeskSimulator({
    dataset: { tickets: 3000, seed: 7, deletedShare: 0.03 },
    plan: 'enterprise',
    timeScale: 60,
    // Requests already in flight when a 429 is sent are not the client ignoring it; on this loaded 2-core machine
    // they can reach the simulator well after the 429 left it.
    violationGraceMs: 250,
  });
  await sim.start();
  ({ t, token, db } = await openSession({
    env: { ...sim.productEnv(700), METRICS_TOKEN: 'scraper-token-0123456789' },
  }));
});
afterAll(async () => {
  await closeSession(t, db);
  await sim?.stop();
});

describe('Zendesk sync runs', () => {
  it('backfills every live ticket and comment once, hides deleted ones, and refuses a second trigger while running', async () => {
    // 429 storms on both limits; the client must wait out each Retry-After.
    sim.faults.push({ kind: '429', match: /incremental/, count: 3, retryAfterSec: 7 });
    sim.faults.push({ kind: '429', match: /comments/, count: 2, retryAfterSec: 3 });
    // The simulator holds 120 days; the default first backfill is 90, so ask for all of it.
    const runId = await trigger('?backfillDays=130');
    const second = await api(t.url, 'POST', '/api/sync/trigger', { token });
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/already in progress/);

    const run = await waitForIdle(runId);
    expect(run).toMatchObject({ status: 'succeeded', kind: 'sync', trigger: 'manual', phase: 'done' });
    const live = sim.dataset.liveTicketIds();
    const deleted = sim.dataset.deletedTicketIds();
    expect(deleted.length).toBeGreaterThan(0);
    expect(await count('SELECT count(*) AS n FROM tickets WHERE deleted_at IS NULL')).toBe(live.length);
    expect(await count('SELECT count(DISTINCT zendesk_id) AS n FROM tickets WHERE deleted_at IS NULL')).toBe(
      live.length,
    );
    expect(await count('SELECT count(*) AS n FROM ticket_comments')).toBe(sim.dataset.totalComments());
    expect(
      await count(
        'SELECT count(*) AS n FROM (SELECT zendesk_comment_id FROM ticket_comments GROUP BY 1 HAVING count(*) > 1) d',
      ),
    ).toBe(0);
    // Said when it fails: a resumed execution (attempts > 1, errors naming why) is what changed these counts once.
    if (run.stats.ticketsChanged !== live.length)
      console.error('sync run', JSON.stringify({ stats: run.stats, errors: run.errors }));
    expect(run.stats.ticketsChanged).toBe(live.length);
    // Threads come in bulk from the event export: a handful of requests, not one per ticket.
    expect(run.stats.threadStrategy).toBe('events');
    expect(run.stats.zendeskRequests).toBeGreaterThan(0);
    expect(run.stats.zendeskRequests).toBeLessThan(40);
    expect(run.stats.rateLimited).toBeGreaterThanOrEqual(3);
    expect(sim.violations).toBe(0);

    const list = await api(t.url, 'GET', '/api/tickets?perPage=200', { token });
    expect(list.body.total).toBe(live.length);
    expect(list.body.items.map((i: { zendeskId: number }) => i.zendeskId)).not.toEqual(
      expect.arrayContaining([deleted[0]]),
    );
    expect((await api(t.url, 'GET', `/api/tickets/${deleted[0]}`, { token })).status).toBe(404);

    const status = (await api(t.url, 'GET', '/api/sync/status', { token })).body;
    expect(status).toMatchObject({
      state: 'idle',
      currentRun: null,
      zendeskConfigured: true,
      lastRun: { id: runId },
      totals: { tickets: live.length },
    });
    expect(new Date(status.nextScheduledAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('shows a thread with public replies and internal notes apart, and the Zendesk link', async () => {
    const id = sim.dataset.liveTicketIds().find((tid) => sim.dataset.getComments(tid).some((c) => !c.public))!;
    const res = await api(t.url, 'GET', `/api/tickets/${id}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.zendeskUrl).toBe(`https://acme.zendesk.com/agent/tickets/${id}`);
    const expected = sim.dataset.getComments(id);
    expect(res.body.comments).toHaveLength(expected.length);
    expect(res.body.comments.map((c: { public: boolean }) => c.public)).toEqual(expected.map((c) => c.public));
    expect(res.body.comments.some((c: { authorRole: string }) => c.authorRole === 'end-user')).toBe(true);
    expect(
      res.body.comments
        .filter((c: { public: boolean }) => !c.public)
        .every((c: { authorRole: string }) => c.authorRole !== 'end-user'),
    ).toBe(true);
  });
});

describe('Zendesk sync runs', () => {
  it('fetches only what changed on the next sync, and nothing when nothing changed', async () => {
    const idle = await waitForIdle(await trigger());
    expect(idle.stats).toMatchObject({ ticketsFetched: 0, ticketsChanged: 0, commentsFetched: 0 });
    expect(idle.stats.zendeskRequests).toBeLessThanOrEqual(2);

    const live = sim.dataset.liveTicketIds();
    const changed = live.filter((_, i) => i % 29 === 0).slice(0, 100);
    expect(changed).toHaveLength(100);
    for (const id of changed)
      sim.addComment(id, { body: `Follow-up on ${id}: still broken after the update`, public: true });
    const before = await count('SELECT count(*) AS n FROM ticket_comments');
    const run = await waitForIdle(await trigger());
    expect(run.status).toBe('succeeded');
    expect(run.stats.ticketsFetched).toBe(100);
    expect(run.stats.ticketsChanged).toBe(100);
    expect(run.stats.threadStrategy).toBe('per_ticket');
    // Proportional to the change: one export page and one thread request per changed ticket (plus the 429s
    // the comments fault answered, each waited out and retried).
    expect(run.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(run.stats.zendeskRequests).toBeLessThanOrEqual(100 + 2 + run.stats.rateLimited);
    expect(await count('SELECT count(*) AS n FROM ticket_comments')).toBe(before + 100);
    expect(sim.violations).toBe(0);
  });

  it('soft-deletes a ticket deleted in Zendesk', async () => {
    const victim = sim.dataset.liveTicketIds()[10];
    sim.deleteTicket(victim);
    const run = await waitForIdle(await trigger());
    expect(run.stats.ticketsDeleted).toBe(1);
    expect((await api(t.url, 'GET', `/api/tickets/${victim}`, { token })).status).toBe(404);
    expect(
      await count(`SELECT count(*) AS n FROM tickets WHERE zendesk_id = ${victim} AND deleted_at IS NOT NULL`),
    ).toBe(1);
  });

  it('tests the Zendesk connection (admins)', async () => {
    const res = await api(t.url, 'GET', '/api/zendesk/connection', { token });
    expect(res.body).toMatchObject({
      configured: true,
      ok: true,
      authMethod: 'api_token',
      userEmail: DEFAULT_SIM_EMAIL,
      error: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(DEFAULT_SIM_API_TOKEN);
  });

  it('serves Prometheus metrics to admins and to the scraper token only', async () => {
    const scrape = () => fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer scraper-token-0123456789' } });
    // The last run's job ends a moment after its run shows succeeded (it then refreshes the caches).
    let res = await scrape();
    let text = await res.text();
    for (let i = 0; i < 150 && !/pim_queue_depth 0/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await scrape();
      text = await res.text();
    }
    expect(res.status).toBe(200);
    expect(text).toMatch(/pim_runs\{kind="sync",status="succeeded"\} [1-9]/);
    expect(text).toMatch(/pim_zendesk_requests\{kind="all"\} [1-9]/);
    expect(text).toMatch(/pim_tickets_stored \d+/);
    expect(text).toMatch(/pim_queue_depth 0/);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
    ).toBe(401);
  });
});

describe('Zendesk sync runs', () => {
  it('lets viewers read runs but not trigger them, and validates backfillDays', async () => {
    await api(t.url, 'POST', '/api/users', {
      token,
      body: { email: 'v@test.local', role: 'viewer', password: 'password-123' },
    });
    const viewer = await login(t.url, 'v@test.local', 'password-123');
    expect((await api(t.url, 'POST', '/api/sync/trigger', { token: viewer })).status).toBe(403);
    expect((await api(t.url, 'GET', '/api/sync/runs', { token: viewer })).status).toBe(200);
    expect((await api(t.url, 'GET', '/api/zendesk/connection', { token: viewer })).status).toBe(403);
    expect((await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(403);
    const bad = await api(t.url, 'POST', '/api/sync/trigger?backfillDays=0', { token });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/backfillDays/);
  });
});
