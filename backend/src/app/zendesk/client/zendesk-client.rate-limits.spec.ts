import {
  DEFAULT_SIM_API_TOKEN,
  DEFAULT_SIM_EMAIL,
  DEFAULT_SIM_OAUTH_TOKEN,
  SimRequestLogEntry,
  VirtualClock,
  ZendeskSimulator,
  ZendeskSimulatorOptions,
} from '@pim/testing';
import { sleep } from '@app/common/async';
import { ZendeskClient, ZendeskClientOptions, ZendeskRateLimitError } from './index';
import { incremental, longAgo, maxInWindow, MINUTE, served, virtualSetup } from './zendesk-client.testing';

/** The first `count` tickets of the simulator's dataset that are not deleted. */
const liveTicketIds = (sim: ZendeskSimulator, count: number): number[] =>
  sim.dataset
    .ticketIds()
    .filter((id) => !sim.dataset.isDeleted(id))
    .slice(0, count);

/** Runs `use` on a Team-plan simulator of 500 tickets in real time at `timeScale`, with a client of it; then stops it. */
async function inRealTime(
  timeScale: number,
  use: (sim: ZendeskSimulator, client: ZendeskClient) => Promise<void>,
): Promise<void> {
  const sim = new ZendeskSimulator({ dataset: { tickets: 500, seed: 4 }, plan: 'team', timeScale });
  const { url } = await sim.start();
  try {
    const auth = { email: DEFAULT_SIM_EMAIL, apiToken: DEFAULT_SIM_API_TOKEN };
    await use(sim, new ZendeskClient({ baseUrl: url, auth, timeScale }));
  } finally {
    await sim.stop();
  }
}

/** ZendeskClient under rate limits: 429 and Retry-After, the plan's limits, the rate-limit headers. */
describe('ZendeskClient: 429 and Retry-After', () => {
  it('incremental 429 storm (5 × Retry-After 7): waits exactly, succeeds, no early request; other endpoints keep going', async () => {
    const { sim, clock, client } = await virtualSetup();
    try {
      sim.faults.push({ kind: '429', match: /incremental/, count: 5, retryAfterSec: 7 });
      const t0 = clock.now();
      const [page, comments] = await Promise.all([
        client.exportTicketsCursor({ startTime: longAgo(clock), perPage: 100 }),
        Promise.all([1001, 1002, 1003, 1004].map((id) => client.ticketComments(id))),
      ]);
      expect(page.tickets.length).toBe(100);
      expect(comments.every((c) => c.length > 0)).toBe(true);
      expect(sim.violations).toBe(0);
      expect(clock.now() - t0).toBeGreaterThanOrEqual(5 * 7_000);
      const inc = sim.requestLog.filter(incremental);
      expect(inc.map((e) => e.status)).toEqual([429, 429, 429, 429, 429, 200]);
      for (let i = 1; i < inc.length; i++) {
        expect((inc[i] as SimRequestLogEntry).time - (inc[i - 1] as SimRequestLogEntry).time).toBe(7_000); // exactly Retry-After
      }
      // The comments were not held by the incremental block.
      const firstComment = sim.requestLog.find((e) => e.endpoint === 'tickets.comments') as SimRequestLogEntry;
      expect(firstComment.time).toBeLessThan(t0 + 7_000);
      expect(client.stats).toMatchObject({ rateLimited: 5, retries: 5, errors: 0 });
      expect(client.stats.waitedMs).toBeGreaterThanOrEqual(35_000);
    } finally {
      await sim.stop();
    }
  });

  it('account-wide 429 pauses every request until Retry-After expired', async () => {
    const { sim, clock, client } = await virtualSetup();
    try {
      sim.faults.push({ kind: '429', match: /comments/, count: 3, retryAfterSec: 5 });
      const t0 = clock.now();
      const ids = liveTicketIds(sim, 30);
      const results = await Promise.all([
        ...ids.map((id) => client.ticketComments(id)),
        client.exportTicketsCursor({ startTime: longAgo(clock), perPage: 50 }).then((p) => [p]),
        client.me().then((u) => [u]),
      ]);
      expect(results.every((r) => r.length > 0)).toBe(true);
      expect(sim.violations).toBe(0);
      expect(sim.requestLog.filter((e) => e.status === 429).length).toBe(3);
      expect(client.stats.rateLimited).toBe(3);
      expect(clock.now() - t0).toBeGreaterThanOrEqual(5_000);
    } finally {
      await sim.stop();
    }
  });

  it('honours Retry-After under real time with timeScale (Retry-After 7 → 70 ms)', async () => {
    // Simulator and client share this process's event loop: a request sent before the 429 reached the client
    // can be handled late. The grace (real ms) covers that; the client never sends after it knows.
    const sim = new ZendeskSimulator({ dataset: { tickets: 100, seed: 2 }, timeScale: 100, violationGraceMs: 100 });
    const { url } = await sim.start();
    try {
      const client = new ZendeskClient({ baseUrl: url, auth: { oauthToken: DEFAULT_SIM_OAUTH_TOKEN }, timeScale: 100 });
      // Warm the simulator's caches (event index, comment rendering) so it answers promptly.
      await client.ticketEvents({ startTime: Math.floor(Date.now() / 1000) - 86_400 * 30 });
      await Promise.all([1001, 1002, 1003].map((id) => client.ticketComments(id)));
      await sleep(sim.minuteMs + 20);
      sim.resetTraffic();
      sim.faults.push({ kind: '429', match: /incremental/, count: 3, retryAfterSec: 7 });
      sim.faults.push({ kind: '429', match: /users/, count: 2, retryAfterSec: 3 });
      const started = Date.now();
      await Promise.all([
        client.ticketEvents({ startTime: Math.floor(Date.now() / 1000) - 86_400 * 30 }),
        client.me(),
        ...[1001, 1002, 1003].map((id) => client.ticketComments(id)),
      ]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 70);
      expect(sim.violations).toBe(0);
      expect(sim.requestLog.filter((e) => e.status === 429).length).toBe(5);
    } finally {
      await sim.stop();
    }
  });

  it('gives up after max429Retries consecutive 429s with ZendeskRateLimitError', async () => {
    const { sim, client } = await virtualSetup({}, { max429Retries: 4 });
    try {
      sim.faults.push({ kind: '429', match: /users\/me/, count: Infinity, retryAfterSec: 2 });
      const err = await client.me().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZendeskRateLimitError);
      expect((err as ZendeskRateLimitError).status).toBe(429);
      expect((err as ZendeskRateLimitError).attempts).toBe(5);
      expect(sim.violations).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});

describe("ZendeskClient: staying under the plan's limits", () => {
  it('Team plan, 400 concurrent ticketComments calls: no 429, ≤ 200 requests per rolling minute', async () => {
    const { sim, client } = await virtualSetup({ plan: 'team', dataset: { tickets: 420, seed: 9 } });
    try {
      const ids = liveTicketIds(sim, 400);
      const threads = await Promise.all(ids.map((id) => client.ticketComments(id)));
      expect(threads.every((t) => t.length > 0)).toBe(true);
      expect(sim.stats.rateLimited).toBe(0);
      expect(client.stats.rateLimited).toBe(0);
      expect(maxInWindow(sim.requestLog, MINUTE)).toBeLessThanOrEqual(200);
      expect(client.stats.requests).toBe(400);
      // VirtualClock.sleep advances time at once, also for requests still in flight, so virtual durations
      // are upper bounds: full use of the plan is asserted in real time below.
      const t0 = (sim.requestLog[0] as SimRequestLogEntry).time;
      expect((sim.requestLog.at(-1) as SimRequestLogEntry).time - t0).toBeGreaterThanOrEqual(MINUTE);
    } finally {
      await sim.stop();
    }
  });

  it('incremental limiter: 25 concurrent export calls, ≤ 10 incremental requests per rolling minute, no 429', async () => {
    const { sim, clock, client } = await virtualSetup({ plan: 'team' });
    try {
      const st = longAgo(clock);
      await Promise.all([
        ...Array.from({ length: 15 }, () => client.exportTicketsCursor({ startTime: st, perPage: 10 })),
        ...Array.from({ length: 10 }, () => client.ticketEvents({ startTime: st, perPage: 10 })),
        ...[1001, 1002, 1003, 1004, 1005].map((id) => client.ticketComments(id)),
      ]);
      const inc = sim.requestLog.filter(incremental);
      expect(inc.length).toBe(25);
      expect(sim.stats.rateLimited).toBe(0);
      expect(maxInWindow(inc, MINUTE)).toBeLessThanOrEqual(10);
      const span = (inc.at(-1) as SimRequestLogEntry).time - (inc[0] as SimRequestLogEntry).time;
      expect(span).toBeGreaterThanOrEqual(2 * MINUTE); // 25 requests need three windows
      // Non-incremental requests were not held behind the incremental queue.
      const comments = sim.requestLog.filter((e) => e.endpoint === 'tickets.comments');
      expect(Math.max(...comments.map((e) => e.time))).toBeLessThan((inc[0] as SimRequestLogEntry).time + MINUTE);
    } finally {
      await sim.stop();
    }
  });

  it('real time, timeScale 100, Team plan: 450 concurrent requests without a single 429', async () => {
    await inRealTime(100, async (sim, client) => {
      const ids = liveTicketIds(sim, 450);
      const started = Date.now();
      const threads = await Promise.all(ids.map((id) => client.ticketComments(id)));
      const elapsed = Date.now() - started;
      expect(threads.every((t) => t.length > 0)).toBe(true);
      expect(sim.stats.rateLimited).toBe(0);
      expect(sim.violations).toBe(0);
      expect(maxInWindow(sim.requestLog.filter(served), sim.minuteMs)).toBeLessThanOrEqual(200);
      expect(elapsed).toBeGreaterThanOrEqual(2 * sim.minuteMs - 50); // 450 requests need three windows
    });
  });

  it('real time, timeScale 20, Team plan, 8 workers: stays under the plan without a 429', async () => {
    // A slot is dated at the response's end (never before Zendesk counted it): about rate × latency slots per
    // window go unused. Negligible with real Zendesk (3.3 req/s × ~0.3 s in a 60 s window); exaggerated by a
    // large timeScale, hence 20 here (3 s windows).
    await inRealTime(20, async (sim, client) => {
      const ids = liveTicketIds(sim, 300);
      await Promise.all(ids.slice(0, 50).map((id) => client.getTicket(id))); // warm the dataset's render cache
      await sleep(sim.minuteMs + 20);
      sim.resetTraffic();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < ids.length) await client.ticketComments(ids[next++] as number);
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(sim.stats.rateLimited).toBe(0);
      const peak = maxInWindow(sim.requestLog, sim.minuteMs);
      expect(peak).toBeLessThanOrEqual(200);
      // How fully the plan is used is a speed property, measured by bench/sync (a timed assertion here flaked
      // on a loaded CI machine: 170 of 200 in the busiest window).
      expect(peak).toBeGreaterThan(0);
    });
  });

  it('reads the rate-limit headers: room left by other integrations is respected (account and incremental)', async () => {
    const { sim, clock, client, url } = await virtualSetup({ plan: 'team' });
    try {
      // Another integration on the same account uses 190 of 200 requests and 8 of 10 incremental ones.
      const other = sim.basicAuthHeader();
      const st = longAgo(clock);
      for (let i = 0; i < 8; i++) {
        await fetch(`${url}/api/v2/incremental/tickets/cursor.json?start_time=${st}&per_page=1`, {
          headers: { authorization: other },
        });
      }
      for (let i = 0; i < 182; i++) await fetch(`${url}/api/v2/users/me.json`, { headers: { authorization: other } });
      for (let i = 0; i < 6; i++) await client.ticketEvents({ startTime: st, perPage: 5 });
      for (let i = 0; i < 25; i++) await client.me();
      expect(sim.stats.rateLimited).toBe(0);
      expect(client.stats.rateLimited).toBe(0);
      expect(sim.violations).toBe(0);
    } finally {
      await sim.stop();
    }
  });

  it('adopts a lower limit advertised by the server', async () => {
    const { sim, client } = await virtualSetup(
      { rateLimit: { perMinute: 50, incrementalPerMinute: 3 } },
      { requestsPerMinute: 700, incrementalPerMinute: 30 },
    );
    try {
      await client.me();
      expect(client.limits).toEqual({ requestsPerMinute: 50, incrementalPerMinute: 30 });
      await client.ticketEvents({ startTime: longAgo(sim.clock) });
      expect(client.limits).toEqual({ requestsPerMinute: 50, incrementalPerMinute: 3 });
      await Promise.all(Array.from({ length: 60 }, () => client.me()));
      expect(sim.stats.rateLimited).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});

describe('ZendeskClient: rate-limit headers as real responses spell them', () => {
  it('reads the account limit from the `rate-limit-*` spelling alone', async () => {
    const { sim, client } = await virtualSetup(
      { rateLimit: { perMinute: 50 }, rateLimitHeaders: ['rate-limit'] },
      { requestsPerMinute: 700 },
    );
    try {
      await client.me();
      expect(client.limits.requestsPerMinute).toBe(50);
    } finally {
      await sim.stop();
    }
  });

  it('learns the incremental limit from the server (High Volume: 30/min) and uses it', async () => {
    const { sim, client, clock } = await virtualSetup({ highVolume: true });
    try {
      expect(client.limits.incrementalPerMinute).toBe(10);
      await Promise.all(Array.from({ length: 40 }, () => client.ticketEvents({ startTime: longAgo(clock) })));
      expect(client.limits.incrementalPerMinute).toBe(30);
      const calls = sim.requestLog.filter(incremental);
      expect(calls.filter((e) => e.status === 429)).toEqual([]);
      // More than the assumed 10 in a rolling minute, never more than the server's 30.
      expect(maxInWindow(calls, MINUTE)).toBeGreaterThan(10);
      expect(maxInWindow(calls, MINUTE)).toBeLessThanOrEqual(30);
    } finally {
      await sim.stop();
    }
  });

  it('reads the per-endpoint header in its other spellings (`zendesk-rate-limit-...-cursor`)', async () => {
    const { sim, client, clock } = await virtualSetup({
      rateLimit: { incrementalPerMinute: 4 },
      incrementalHeaderNames: ['zendesk-rate-limit-incremental-exports-cursor'],
    });
    try {
      await client.exportTicketsCursor({ startTime: longAgo(clock), perPage: 10 });
      expect(client.limits.incrementalPerMinute).toBe(4);
    } finally {
      await sim.stop();
    }
  });

  /** A 429 without Retry-After on `match`, after `retryAfterSec` by the rate-limit headers; `call` runs into it. */
  const withoutRetryAfter: Array<{
    title: string;
    simOptions: ZendeskSimulatorOptions;
    clientOptions?: Partial<ZendeskClientOptions>;
    match: string;
    retryAfterSec: number;
    call: (client: ZendeskClient, clock: VirtualClock) => Promise<unknown>;
  }> = [
    {
      title: 'waits for `rate-limit-reset` when a 429 has no Retry-After (not a blind minute)',
      simOptions: { rateLimitHeaders: ['rate-limit'], omitRetryAfter: true },
      clientOptions: { requestsPerMinute: 700 },
      match: '/users/me',
      retryAfterSec: 7,
      call: (client) => client.me(),
    },
    {
      title: 'waits for the incremental header’s `resets` when an incremental 429 has no Retry-After',
      simOptions: { omitRetryAfter: true, incrementalHeaderNames: ['zendesk-ratelimit-incremental-exports-cursor'] },
      match: '/incremental/',
      retryAfterSec: 9,
      call: (client, clock) => client.exportTicketsCursor({ startTime: longAgo(clock), perPage: 1 }),
    },
  ];
  it.each(withoutRetryAfter)('$title', async ({ simOptions, clientOptions, match, retryAfterSec, call }) => {
    const { sim, client, clock } = await virtualSetup(simOptions, clientOptions);
    try {
      sim.faults.push({ kind: '429', match, retryAfterSec });
      const t0 = clock.now();
      await call(client, clock);
      expect(client.stats.rateLimited).toBe(1);
      expect(sim.violations).toBe(0);
      expect(clock.now() - t0).toBeGreaterThanOrEqual(retryAfterSec * 1000);
      expect(clock.now() - t0).toBeLessThan(20_000);
    } finally {
      await sim.stop();
    }
  });
});
