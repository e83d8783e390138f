import { VirtualClock } from './clock';
import { DEFAULT_SIM_API_TOKEN, DEFAULT_SIM_EMAIL, DEFAULT_SIM_OAUTH_TOKEN, ZendeskSimulator } from './simulator';
import { getJson, jsonClient } from './test-helpers';
import { ZendeskComment, ZendeskOrganization, ZendeskTicket, ZendeskUser } from './types';

const START = Date.UTC(2025, 5, 2, 12, 0, 0);
const basic = (email: string, token: string): string => `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
const AUTH = basic(DEFAULT_SIM_EMAIL, DEFAULT_SIM_API_TOKEN);
const longAgo = Math.floor(START / 1000) - 200 * 86_400;

interface CursorPage {
  tickets: ZendeskTicket[];
  after_cursor: string;
  after_url: string;
  before_cursor: string | null;
  before_url: string | null;
  end_of_stream: boolean;
  users?: ZendeskUser[];
  organizations?: ZendeskOrganization[];
}

describe('ZendeskSimulator: auth and lookups', () => {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({
    clock,
    dataset: { tickets: 120, seed: 1 },
    rateLimit: false,
    apiTokens: [
      { email: DEFAULT_SIM_EMAIL, token: DEFAULT_SIM_API_TOKEN },
      { email: 'jordan.lee@acme-analytics.example.com', token: 'agent-token', role: 'agent' },
    ],
  });
  let base = '';
  beforeAll(async () => {
    base = (await sim.start()).url;
  });
  afterAll(() => sim.stop());

  it('accepts API token (Basic email/token:token) and OAuth bearer auth', async () => {
    const a = await getJson<{ user: ZendeskUser }>(`${base}/api/v2/users/me.json`, AUTH);
    expect(a.status).toBe(200);
    expect(a.body.user.email).toBe(DEFAULT_SIM_EMAIL);
    expect(a.body.user.role).toBe('admin');
    const b = await getJson<{ user: ZendeskUser }>(`${base}/api/v2/users/me.json`, `Bearer ${DEFAULT_SIM_OAUTH_TOKEN}`);
    expect(b.status).toBe(200);
    expect(b.body.user.id).toBe(a.body.user.id);
    expect(sim.requestLog.slice(-2).map((e) => e.auth)).toEqual(['token', 'oauth']);
  });

  it('rejects missing, wrong and password credentials with a Zendesk-like 401', async () => {
    for (const header of [undefined, basic(DEFAULT_SIM_EMAIL, 'wrong'), `Bearer nope`, `Basic ${Buffer.from(`${DEFAULT_SIM_EMAIL}:${DEFAULT_SIM_API_TOKEN}`).toString('base64')}`]) {
      const r = await getJson(`${base}/api/v2/users/me.json`, header);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: "Couldn't authenticate you" });
    }
    expect(sim.stats.unauthorized).toBeGreaterThanOrEqual(4);
  });

  it('keeps incremental exports admin-only', async () => {
    const r = await getJson(`${base}/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`, basic('jordan.lee@acme-analytics.example.com', 'agent-token'));
    expect(r.status).toBe(403);
    const ok = await getJson(`${base}/api/v2/tickets/1005.json`, basic('jordan.lee@acme-analytics.example.com', 'agent-token'));
    expect(ok.status).toBe(200);
  });

  it('serves tickets, users and organizations by id, and 404s unknown ones', async () => {
    const get = jsonClient(base, AUTH);
    const t = await get<{ ticket: ZendeskTicket }>('/api/v2/tickets/1010.json');
    expect(t.status).toBe(200);
    expect(t.body.ticket.id).toBe(1010);
    expect(t.body.ticket.url).toBe(`${base}/api/v2/tickets/1010.json`);
    expect(t.body.ticket).not.toHaveProperty('plantedProblem');
    const u = await get<{ user: ZendeskUser }>(`/api/v2/users/${t.body.ticket.requester_id}.json`);
    expect(u.body.user.role).toBe('end-user');
    if (t.body.ticket.organization_id !== null) {
      const o = await get<{ organization: ZendeskOrganization }>(`/api/v2/organizations/${t.body.ticket.organization_id}.json`);
      expect(o.body.organization.id).toBe(t.body.ticket.organization_id);
    }
    expect((await get('/api/v2/tickets/99999.json')).status).toBe(404);
    expect((await get('/api/v2/users/1.json')).status).toBe(404);
    expect((await get('/api/v2/organizations/1.json')).status).toBe(404);
    expect((await get('/api/v2/nothing/here.json')).status).toBe(404);
    const live = sim.dataset.liveTicketIds().slice(0, 3);
    const many = await get<{ tickets: ZendeskTicket[] }>(`/api/v2/tickets/show_many.json?ids=${live.join(',')}`);
    expect(many.body.tickets.map((x) => x.id)).toEqual(live);
  });

  it('caps search at 1,000 results and 100 per page', async () => {
    const get = jsonClient(base, AUTH);
    const r = await get<{ results: Array<ZendeskTicket & { result_type: string }>; count: number; next_page: string | null }>(
      '/api/v2/search.json?query=type:ticket&per_page=500',
    );
    expect(r.status).toBe(200);
    expect(r.body.results).toHaveLength(100);
    expect(r.body.results[0]?.result_type).toBe('ticket');
    expect(r.body.count).toBe(sim.dataset.liveTicketIds().length);
    expect((await get('/api/v2/search.json?query=type:ticket&page=11')).status).toBe(422);
    expect((await get('/api/v2/search.json?query=type:ticket&page=21&per_page=50')).status).toBe(422);
    expect((await get('/api/v2/search.json?query=type:ticket&page=10')).status).toBe(200);
    const text = await get<{ results: ZendeskTicket[] }>('/api/v2/search.json?query=type:ticket%20status:closed%20slack');
    expect(text.body.results.every((x) => x.status === 'closed' && /slack/i.test(`${x.subject} ${x.description}`))).toBe(true);
  });
});

describe('ZendeskSimulator: cursor-based incremental ticket export', () => {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 640, seed: 2, deletedShare: 0.03 }, rateLimit: false });
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());

  async function drain(first: string): Promise<{ ids: number[]; pages: CursorPage[]; last: CursorPage }> {
    const ids: number[] = [];
    const pages: CursorPage[] = [];
    let url = first;
    for (;;) {
      const r = await get<CursorPage>(url);
      expect(r.status).toBe(200);
      pages.push(r.body);
      ids.push(...r.body.tickets.map((t) => t.id));
      if (r.body.end_of_stream) return { ids, pages, last: r.body };
      url = r.body.after_url;
    }
  }

  it('pages through every ticket exactly once, deleted ones included with status "deleted"', async () => {
    const { ids, pages, last } = await drain(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=100`);
    expect(pages).toHaveLength(7);
    expect(ids).toHaveLength(640);
    expect(new Set(ids).size).toBe(640);
    expect(last.after_cursor).toBeTruthy();
    const deleted = pages.flatMap((p) => p.tickets).filter((t) => t.status === 'deleted');
    expect(deleted.map((t) => t.id).sort()).toEqual(sim.dataset.deletedTicketIds().sort());
    // ordered by generated_timestamp
    const gts = pages.flatMap((p) => p.tickets).map((t) => t.generated_timestamp);
    expect(gts).toEqual([...gts].sort((a, b) => a - b));
    // per_page defaults to 1000
    const all = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`);
    expect(all.body.tickets).toHaveLength(640);
    expect(all.body.end_of_stream).toBe(true);
  });

  it('resumes from a saved cursor exactly where it stopped', async () => {
    const p1 = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=50`);
    const p2 = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${p1.body.after_cursor}&per_page=50`);
    const again = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${p1.body.after_cursor}&per_page=50`);
    expect(again.body.tickets.map((t) => t.id)).toEqual(p2.body.tickets.map((t) => t.id));
    const ids = new Set(p1.body.tickets.map((t) => t.id));
    expect(p2.body.tickets.some((t) => ids.has(t.id))).toBe(false);
    // a before_cursor walks back one page
    const back = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${p2.body.before_cursor}&per_page=50`);
    expect(back.body.tickets.map((t) => t.id)).toEqual(p1.body.tickets.map((t) => t.id));
    // start_time filters by generated_timestamp
    const mid = p2.body.tickets[0]?.generated_timestamp as number;
    const fromMid = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${mid}&per_page=1000`);
    expect(fromMid.body.tickets.every((t) => t.generated_timestamp >= mid)).toBe(true);
  });

  it('returns tickets changed after the cursor was issued on a later call', async () => {
    const { last } = await drain(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=200`);
    const nothing = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${last.after_cursor}`);
    expect(nothing.body.tickets).toEqual([]);
    expect(nothing.body.end_of_stream).toBe(true);
    expect(nothing.body.after_cursor).toBe(last.after_cursor);

    clock.advance(10 * 60_000);
    sim.touchTickets([1003, 1004]);
    sim.addComment(1100, { body: 'Still broken after the update.' });
    sim.updateTicket(1200, { status: 'solved', priority: 'high' });
    sim.deleteTicket(1300);
    const fresh = sim.addTickets(2);
    const later = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${last.after_cursor}&include=users,organizations`);
    expect(later.body.tickets.map((t) => t.id).sort((a, b) => a - b)).toEqual([1003, 1004, 1100, 1200, 1300, ...fresh]);
    expect(later.body.tickets.find((t) => t.id === 1300)?.status).toBe('deleted');
    expect(later.body.tickets.find((t) => t.id === 1200)).toMatchObject({ status: 'solved', priority: 'high' });
    expect(later.body.tickets.every((t) => t.generated_timestamp === Math.floor(clock.now() / 1000))).toBe(true);
    const again = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${later.body.after_cursor}`);
    expect(again.body.tickets).toEqual([]);
  });

  it('returns a ticket changed mid-stream again at the end, and a not-yet-reached one once', async () => {
    const p1 = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=300`);
    const seen = p1.body.tickets[10]?.id as number;
    const upcoming = (await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${p1.body.after_cursor}&per_page=5`)).body.tickets[2]?.id as number;
    clock.advance(60_000);
    sim.touchTickets([seen, upcoming]);
    const rest = await drain(`/api/v2/incremental/tickets/cursor.json?cursor=${p1.body.after_cursor}&per_page=300`);
    expect(rest.ids.filter((id) => id === seen)).toHaveLength(1);
    expect(rest.ids.filter((id) => id === upcoming)).toHaveLength(1);
    expect(rest.ids.slice(-2).sort()).toEqual([seen, upcoming].sort());
  });

  it('sideloads the users and organizations of the page', async () => {
    const r = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=40&include=users,organizations`);
    const userIds = new Set((r.body.users ?? []).map((u) => u.id));
    const orgIds = new Set((r.body.organizations ?? []).map((o) => o.id));
    for (const t of r.body.tickets) {
      expect(userIds.has(t.requester_id)).toBe(true);
      if (t.assignee_id !== null) expect(userIds.has(t.assignee_id)).toBe(true);
      if (t.organization_id !== null) expect(orgIds.has(t.organization_id)).toBe(true);
    }
    expect((r.body.users ?? []).some((u) => u.role === 'agent' || u.role === 'admin')).toBe(true);
    expect(r.body.after_url).toContain('include=users%2Corganizations');
    const without = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&per_page=5`);
    expect(without.body.users).toBeUndefined();
  });

  it('answers 400 to a future start_time, a missing start_time and a bad cursor', async () => {
    const future = Math.floor(clock.now() / 1000) + 3600;
    const r = await get(`/api/v2/incremental/tickets/cursor.json?start_time=${future}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'InvalidValue' });
    expect((await get('/api/v2/incremental/tickets/cursor.json')).status).toBe(400);
    expect((await get('/api/v2/incremental/tickets/cursor.json?cursor=garbage')).status).toBe(400);
  });
});

describe('ZendeskSimulator: time-based exports and comments', () => {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 300, seed: 4 }, rateLimit: false });
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());

  it('time-based ticket export pages by generated_timestamp with next_page/end_time (ids may repeat)', async () => {
    const seen = new Set<number>();
    let url = `/api/v2/incremental/tickets.json?start_time=${longAgo}&per_page=50`;
    let pages = 0;
    for (;;) {
      const r = await get<{ tickets: ZendeskTicket[]; next_page: string; end_time: number; end_of_stream: boolean; count: number }>(url);
      expect(r.status).toBe(200);
      expect(r.body.count).toBe(r.body.tickets.length);
      for (const t of r.body.tickets) seen.add(t.id);
      if (r.body.tickets.length) expect(r.body.end_time).toBeGreaterThanOrEqual(r.body.tickets[r.body.tickets.length - 1]?.generated_timestamp as number);
      pages++;
      if (r.body.end_of_stream) break;
      expect(r.body.next_page).toContain(`start_time=${r.body.end_time}`);
      url = r.body.next_page;
    }
    expect(seen.size).toBe(300);
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('ticket event export with include=comment_events carries every comment', async () => {
    type Ev = { ticket_id: number; timestamp: number; child_events: Array<{ event_type: string; type?: string; id: number; body?: string; public?: boolean; author_id?: number; html_body?: string; created_at?: string }> };
    const comments = new Map<number, number>();
    let url = `/api/v2/incremental/ticket_events.json?start_time=${longAgo}&include=comment_events&per_page=400`;
    let prevTs = 0;
    for (;;) {
      const r = await get<{ ticket_events: Ev[]; next_page: string; end_time: number; end_of_stream: boolean }>(url);
      expect(r.status).toBe(200);
      for (const e of r.body.ticket_events) {
        expect(e.timestamp).toBeGreaterThanOrEqual(prevTs);
        prevTs = e.timestamp;
        for (const c of e.child_events) {
          if (c.event_type !== 'Comment') continue;
          expect(c).toMatchObject({ type: 'Comment', author_id: expect.any(Number), body: expect.any(String), html_body: expect.any(String), public: expect.any(Boolean), created_at: expect.any(String) });
          comments.set(c.id, e.ticket_id);
        }
      }
      if (r.body.end_of_stream) break;
      url = r.body.next_page;
    }
    expect(comments.size).toBe(sim.dataset.totalComments({ includeDeleted: true }));
    const plain = await get<{ ticket_events: Ev[] }>(`/api/v2/incremental/ticket_events.json?start_time=${longAgo}`);
    expect(plain.body.ticket_events.some((e) => e.child_events.some((c) => c.event_type === 'Comment'))).toBe(false);
  });

  it('paginates a ticket\'s comments with cursors, ascending by created_at', async () => {
    const id = sim.dataset.liveTicketIds().find((x) => sim.dataset.commentCountOf(x) >= 5) as number;
    const expected = sim.dataset.getComments(id).map((c) => c.id);
    const got: ZendeskComment[] = [];
    let url = `/api/v2/tickets/${id}/comments.json?page[size]=2`;
    for (;;) {
      const r = await get<{ comments: ZendeskComment[]; meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null }; links: { next: string | null; prev: string | null } }>(url);
      expect(r.status).toBe(200);
      expect(r.body.comments.length).toBeLessThanOrEqual(2);
      got.push(...r.body.comments);
      if (!r.body.meta.has_more) {
        expect(r.body.links.next).toBeNull();
        break;
      }
      expect(r.body.links.next).toContain('page[after]=');
      url = r.body.links.next as string;
    }
    expect(got.map((c) => c.id)).toEqual(expected);
    const c = got[0] as ZendeskComment;
    for (const key of ['id', 'type', 'author_id', 'body', 'html_body', 'plain_body', 'public', 'attachments', 'audit_id', 'via', 'metadata', 'created_at']) {
      expect(c).toHaveProperty(key);
    }
    expect(c).not.toHaveProperty('role');
    expect(c.metadata.system).toHaveProperty('ip_address');
    expect(c.metadata.system).toHaveProperty('location');
    const full = await get<{ comments: ZendeskComment[]; meta: { has_more: boolean } }>(`/api/v2/tickets/${id}/comments.json?page[size]=100`);
    expect(full.body.comments.map((x) => x.id)).toEqual(expected);
    expect(full.body.meta.has_more).toBe(false);
    expect((await get(`/api/v2/tickets/${id}/comments.json?page[size]=101`)).status).toBe(400);
    // offset pagination when no page[...] parameter is given
    const offset = await get<{ comments: ZendeskComment[]; count: number; next_page: string | null }>(`/api/v2/tickets/${id}/comments.json`);
    expect(offset.body.count).toBe(expected.length);
  });

  it('answers 404 for the comments of deleted and unknown tickets', async () => {
    const deleted = sim.dataset.deletedTicketIds()[0] ?? (sim.deleteTicket(1005), 1005);
    expect((await get(`/api/v2/tickets/${deleted}/comments.json`)).status).toBe(404);
    expect((await get(`/api/v2/tickets/${deleted}.json`)).status).toBe(404);
    expect((await get('/api/v2/tickets/424242/comments.json')).status).toBe(404);
  });
});

describe('ZendeskSimulator: rate limits (virtual clock)', () => {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 30, seed: 5 }, rateLimit: { perMinute: 6, incrementalPerMinute: 2 } });
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.resetTraffic());

  const exportUrl = `/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`;

  it('sends the rate-limit headers', async () => {
    const r = await get('/api/v2/tickets/1001.json');
    expect(r.headers.get('x-rate-limit')).toBe('6');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('5');
    expect(r.headers.get('ratelimit-limit')).toBe('6');
    expect(r.headers.get('ratelimit-remaining')).toBe('5');
    expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    const e = await get(exportUrl);
    expect(e.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(/^total=2; remaining=1; resets=\d+$/);
  });

  it('limits incremental exports separately, 429 + Retry-After; a client that waits is never early', async () => {
    expect((await get(exportUrl)).status).toBe(200);
    clock.advance(10_000);
    expect((await get(exportUrl)).status).toBe(200);
    const limited = await get(exportUrl);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: 'APIRateLimitExceeded',
      description: 'Number of allowed incremental export API requests per minute exceeded',
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBe(50);
    // other endpoints are still fine
    expect((await get('/api/v2/tickets/1001.json')).status).toBe(200);
    clock.advance(retryAfter * 1000);
    expect((await get(exportUrl)).status).toBe(200);
    expect(sim.violations).toBe(0);
    expect(sim.stats.rateLimited).toBe(1);
    expect(sim.requestLog.find((e) => e.status === 429)).toMatchObject({ limitedBy: 'incremental', retryAfterSec: 50, early: false });
  });

  it('counts violations when a client ignores Retry-After', async () => {
    await get(exportUrl);
    await get(exportUrl);
    const limited = await get(exportUrl);
    expect(limited.status).toBe(429);
    await new Promise((r) => setTimeout(r, 30));
    const early = await get(exportUrl);
    expect(early.status).toBe(429);
    expect(sim.violations).toBe(1);
    const entry = sim.requestLog[sim.requestLog.length - 1];
    expect(entry).toMatchObject({ early: true, status: 429 });
    expect(entry?.earlyByMs).toBeGreaterThan(0);
  });

  it('applies the account-wide limit to every endpoint', async () => {
    for (let i = 0; i < 6; i++) expect((await get(`/api/v2/tickets/${1001 + i}.json`)).status).toBe(200);
    const limited = await get('/api/v2/tickets/1010.json');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: 'APIRateLimitExceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBe(60);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    clock.advance(60_000);
    expect((await get('/api/v2/tickets/1010.json')).status).toBe(200);
    expect(sim.violations).toBe(0);
  });

  it('uses plan limits by default', () => {
    expect(new ZendeskSimulator({ plan: 'team', dataset: { tickets: 1 } }).limits).toEqual({ perMinute: 200, incrementalPerMinute: 10 });
    expect(new ZendeskSimulator({ plan: 'professional', dataset: { tickets: 1 } }).limits).toEqual({ perMinute: 400, incrementalPerMinute: 10 });
    expect(new ZendeskSimulator({ dataset: { tickets: 1 } }).limits).toEqual({ perMinute: 700, incrementalPerMinute: 10 });
    expect(new ZendeskSimulator({ plan: 'professional', highVolume: true, dataset: { tickets: 1 } }).limits).toEqual({ perMinute: 2500, incrementalPerMinute: 30 });
  });
});

describe('ZendeskSimulator: time scale (short minutes on the real clock)', () => {
  const sim = new ZendeskSimulator({ timeScale: 100, dataset: { tickets: 10, seed: 6 }, rateLimit: { incrementalPerMinute: 1 } });
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());

  it('a minute lasts 600 ms and Retry-After is in scaled seconds', async () => {
    expect(sim.minuteMs).toBe(600);
    const url = `/api/v2/incremental/tickets/cursor.json?start_time=${Math.floor(Date.now() / 1000) - 86_400 * 200}`;
    expect((await get(url)).status).toBe(200);
    const limited = await get(url);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const waitMs = sim.retryAfterToMs(retryAfter);
    expect(Number(limited.headers.get('x-sim-retry-after-ms'))).toBe(Math.round(waitMs));
    await new Promise((r) => setTimeout(r, waitMs + 5));
    expect((await get(url)).status).toBe(200);
    expect(sim.violations).toBe(0);
  });
});

describe('ZendeskSimulator: fault injection', () => {
  const sim = new ZendeskSimulator({ dataset: { tickets: 20, seed: 7 }, rateLimit: false });
  let base = '';
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    base = (await sim.start()).url;
    get = jsonClient(base, AUTH);
  });
  afterAll(() => sim.stop());
  afterEach(() => sim.clearFaults());

  it('500 and 503 for the matching path only, for `count` requests', async () => {
    sim.faults.push({ kind: '500', match: /\/comments/, count: 2 });
    sim.faults.push({ kind: '503', match: 'users/me', retryAfterSec: 3 });
    expect((await get('/api/v2/tickets/1001.json')).status).toBe(200);
    expect((await get('/api/v2/tickets/1001/comments.json')).status).toBe(500);
    expect((await get('/api/v2/tickets/1001/comments.json')).status).toBe(500);
    expect((await get('/api/v2/tickets/1001/comments.json')).status).toBe(200);
    const u = await get('/api/v2/users/me.json');
    expect(u.status).toBe(503);
    expect(u.headers.get('retry-after')).toBe('3');
    expect((await get('/api/v2/users/me.json')).status).toBe(200);
    expect(sim.faults).toHaveLength(0);
  });

  it('429 storms with Retry-After, after `skip` requests', async () => {
    sim.faults.push({ kind: '429', match: /incremental/, skip: 1, count: 3, retryAfterSec: 2 });
    const url = `/api/v2/incremental/tickets/cursor.json?start_time=${Math.floor(Date.now() / 1000) - 86_400 * 200}`;
    expect((await get(url)).status).toBe(200);
    const r = await get(url);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.body).toMatchObject({ error: 'APIRateLimitExceeded' });
    expect(sim.requestLog.at(-1)).toMatchObject({ fault: '429', limitedBy: 'fault', retryAfterSec: 2 });
  });

  it('slow responses and dropped connections', async () => {
    sim.faults.push({ kind: 'slow', match: '1002', delayMs: 150 });
    const t0 = Date.now();
    expect((await get('/api/v2/tickets/1002.json')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    sim.faults.push({ kind: 'drop', match: '1003' });
    await expect(fetch(`${base}/api/v2/tickets/1003.json`, { headers: { authorization: AUTH } }).then((r) => r.text())).rejects.toThrow();
    expect((await get('/api/v2/tickets/1003.json')).status).toBe(200);
    expect(sim.stats.faultsInjected).toBeGreaterThanOrEqual(2);
  });
});

describe('ZendeskSimulator: export lag, compression', () => {
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 50, seed: 9 }, rateLimit: false, exportLagSec: 60, compression: true });
  let get: ReturnType<typeof jsonClient>;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());

  it('leaves changes of the last minute out until they are older', async () => {
    const first = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`);
    expect(first.body.tickets).toHaveLength(50);
    clock.advance(120_000);
    sim.touchTickets([1010]);
    const soon = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${first.body.after_cursor}`);
    expect(soon.body.tickets).toHaveLength(0);
    expect(soon.body.end_of_stream).toBe(true);
    clock.advance(61_000);
    const later = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?cursor=${soon.body.after_cursor}`);
    expect(later.body.tickets.map((t) => t.id)).toEqual([1010]);
  });

  it('gzips responses when asked to', async () => {
    const res = await fetch(`${sim.url}/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`, {
      headers: { authorization: AUTH, 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const body = (await res.json()) as CursorPage;
    expect(body.tickets.length).toBeGreaterThan(0);
  });
});

describe('ZendeskSimulator: the shapes Zendesk really sends', () => {
  type Child = { event_type: string; type?: string; id: number; body?: string; plain_body?: string; public?: boolean; comment_id?: number; data?: Record<string, unknown>; via?: unknown };
  type Ev = { ticket_id: number; child_events: Child[]; merged_ticket_ids: number[] };
  const clock = new VirtualClock(START);
  const sim = new ZendeskSimulator({ clock, dataset: { tickets: 80, seed: 4 }, rateLimit: false });
  let get: ReturnType<typeof jsonClient>;
  const events = async (): Promise<Ev[]> => {
    const out: Ev[] = [];
    let url = `/api/v2/incremental/ticket_events.json?start_time=${longAgo}&include=comment_events`;
    for (;;) {
      const r = await get<{ ticket_events: Ev[]; next_page: string; end_of_stream: boolean }>(url);
      out.push(...r.body.ticket_events);
      if (r.body.end_of_stream) return out;
      url = r.body.next_page;
    }
  };
  const comments = async (id: number) => (await get<{ comments: ZendeskComment[] }>(`/api/v2/tickets/${id}/comments.json`)).body.comments;
  beforeAll(async () => {
    get = jsonClient((await sim.start()).url, AUTH);
  });
  afterAll(() => sim.stop());

  it('comment events carry body and html_body but no plain_body; the comments API strips Markdown from plain_body', async () => {
    const id = sim.dataset.liveTicketIds()[2] as number;
    clock.advance(1000);
    const added = sim.addComment(id, { body: '**Note:** see [the guide](https://example.com/g)', public: true });
    const api = (await comments(id)).find((c) => c.id === added.id) as ZendeskComment;
    expect(api).toMatchObject({ body: '**Note:** see [the guide](https://example.com/g)', plain_body: 'Note: see the guide' });
    const all = await events();
    const children = all.flatMap((e) => e.child_events).filter((c) => c.event_type === 'Comment');
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((c) => !('plain_body' in c) && typeof c.body === 'string')).toBe(true);
    expect(children.find((c) => c.id === added.id)?.body).toBe(api.body);
  });

  it('voice comments: type VoiceComment / TpeVoiceComment, transcription in body, call details in data', async () => {
    const id = sim.dataset.liveTicketIds()[3] as number;
    clock.advance(1000);
    const voice = sim.addVoiceComment(id, { transcript: 'Export is broken since Monday.' });
    const tpe = sim.addVoiceComment(id, { transcript: 'Calling back about the export.', type: 'TpeVoiceComment', public: true });
    const api = await comments(id);
    expect(api.find((c) => c.id === voice.id)).toMatchObject({ type: 'VoiceComment', public: false, data: expect.objectContaining({ transcription_text: 'Export is broken since Monday.', call_duration: expect.any(Number) }) });
    expect(api.find((c) => c.id === voice.id)?.body).toContain('Export is broken since Monday.');
    expect(api.find((c) => c.id === tpe.id)?.type).toBe('TpeVoiceComment');
    const children = (await events()).flatMap((e) => e.child_events);
    expect(children.find((c) => c.id === voice.id)).toMatchObject({ event_type: 'VoiceComment', data: expect.any(Object) });
    expect(children.find((c) => c.id === tpe.id)?.event_type).toBe('TpeVoiceComment');
    expect(sim.dataset.commentCountOf(id)).toBe(api.length);
  });

  it('CommentPrivacyChange: the comments API shows the new visibility, the comment event the one it was posted with', async () => {
    const id = sim.dataset.liveTicketIds()[4] as number;
    const reply = sim.dataset.getComments(id).find((c) => c.public) as ZendeskComment;
    clock.advance(1000);
    sim.setCommentPublic(id, reply.id, false);
    expect((await comments(id)).find((c) => c.id === reply.id)?.public).toBe(false);
    const all = await events();
    const children = all.filter((e) => e.ticket_id === id).flatMap((e) => e.child_events);
    expect(children.find((c) => c.id === reply.id)?.public).toBe(true);
    expect(children.find((c) => c.event_type === 'CommentPrivacyChange')).toMatchObject({ type: 'CommentPrivacyChange', comment_id: reply.id, public: false });
  });

  it('merges: the source is closed with closed_by_merge and a merge comment; the target’s audit lists merged_ticket_ids', async () => {
    const [source, target] = sim.dataset.liveTicketIds().slice(5, 7) as [number, number];
    clock.advance(1000);
    sim.mergeTickets([source], target);
    const s = (await get<{ ticket: ZendeskTicket }>(`/api/v2/tickets/${source}.json`)).body.ticket;
    expect(s.status).toBe('closed');
    expect(s.tags).toContain('closed_by_merge');
    const last = (await comments(source)).at(-1) as ZendeskComment;
    expect(last.body).toContain(`merged into request #${target}`);
    expect(last.via.source).toMatchObject({ rel: 'merge', to: { ticket_id: target } });
    const merge = (await events()).find((e) => e.ticket_id === target && e.merged_ticket_ids.length > 0);
    expect(merge?.merged_ticket_ids).toEqual([source]);
  });

  it('a permanently deleted ticket is exported scrubbed (SCRUBBED / X) and its comments answer 404', async () => {
    const id = sim.dataset.liveTicketIds()[8] as number;
    clock.advance(1000);
    sim.scrubTicket(id);
    const r = await get<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`);
    expect(r.body.tickets.find((t) => t.id === id)).toMatchObject({ status: 'deleted', subject: 'SCRUBBED', description: 'X', tags: [] });
    expect((await get(`/api/v2/tickets/${id}/comments.json`)).status).toBe(404);
  });

  it('comment_count can be withheld: a client must not rely on it', async () => {
    const off = new ZendeskSimulator({ clock, dataset: { tickets: 10, seed: 4 }, rateLimit: false, commentCount: false });
    const g = jsonClient((await off.start()).url, AUTH);
    try {
      const r = await g<CursorPage>(`/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}&include=comment_count`);
      expect(r.body.tickets.length).toBeGreaterThan(0);
      expect(r.body.tickets.every((t) => !('comment_count' in t))).toBe(true);
    } finally {
      await off.stop();
    }
  });
});

describe('ZendeskSimulator: rate-limit header spellings', () => {
  it('sends all three spellings by default, and only those asked for', async () => {
    const clock = new VirtualClock(START);
    const all = new ZendeskSimulator({ clock, dataset: { tickets: 10, seed: 4 }, rateLimit: { perMinute: 9, incrementalPerMinute: 3 } });
    const some = new ZendeskSimulator({
      clock,
      dataset: { tickets: 10, seed: 4 },
      rateLimit: { perMinute: 9, incrementalPerMinute: 3 },
      rateLimitHeaders: ['rate-limit'],
      incrementalHeaderNames: ['zendesk-rate-limit-incremental-exports-cursor'],
    });
    try {
      const a = await getJson(`${(await all.start()).url}/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`, AUTH);
      for (const [name, value] of [['x-rate-limit', '9'], ['x-rate-limit-remaining', '8'], ['ratelimit-limit', '9'], ['ratelimit-remaining', '8'], ['rate-limit', '9'], ['rate-limit-remaining', '8']])
        expect(a.headers.get(name as string)).toBe(value);
      expect(Number(a.headers.get('rate-limit-reset'))).toBeGreaterThan(0);
      expect(a.headers.get('zendesk-ratelimit-incremental-exports')).toMatch(/^total=3; remaining=2; resets=\d+$/);
      const b = await getJson(`${(await some.start()).url}/api/v2/incremental/tickets/cursor.json?start_time=${longAgo}`, AUTH);
      expect(b.headers.get('rate-limit-remaining')).toBe('8');
      expect(b.headers.get('x-rate-limit')).toBeNull();
      expect(b.headers.get('ratelimit-limit')).toBeNull();
      expect(b.headers.get('zendesk-ratelimit-incremental-exports')).toBeNull();
      expect(b.headers.get('zendesk-rate-limit-incremental-exports-cursor')).toMatch(/^total=3; remaining=2; resets=\d+$/);
    } finally {
      await all.stop();
      await some.stop();
    }
  });

  it('omitRetryAfter: a 429 says when to retry only in its reset headers', async () => {
    const clock = new VirtualClock(START);
    const sim = new ZendeskSimulator({ clock, dataset: { tickets: 10, seed: 4 }, rateLimit: { perMinute: 1 }, omitRetryAfter: true });
    try {
      const base = (await sim.start()).url;
      expect((await getJson(`${base}/api/v2/users/me.json`, AUTH)).status).toBe(200);
      const r = await getJson(`${base}/api/v2/users/me.json`, AUTH);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBeNull();
      expect(Number(r.headers.get('rate-limit-reset'))).toBeGreaterThan(0);
      expect(r.headers.get('ratelimit-reset')).toBe(r.headers.get('rate-limit-reset'));
    } finally {
      await sim.stop();
    }
  });
});
