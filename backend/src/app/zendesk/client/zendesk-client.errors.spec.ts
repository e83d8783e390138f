import { DEFAULT_SIM_EMAIL, VirtualClock, ZendeskSimulator } from '@pim/testing';
import {
  ZendeskApiError,
  ZendeskClient,
  ZendeskClientOptions,
  ZendeskNetworkError,
  ZendeskNotFoundError,
  ZendeskRequestInfo,
} from './index';
import { virtualSetup } from './zendesk-client.testing';

/** ZendeskClient failures: errors, retries, timeouts. */
describe('ZendeskClient: errors, retries, timeouts', () => {
  let sim: ZendeskSimulator;
  let clock: VirtualClock;
  let make: (o?: Partial<ZendeskClientOptions>) => ZendeskClient;
  beforeAll(async () => {
    ({ sim, clock, make } = await virtualSetup({ rateLimit: false }));
  });
  afterEach(() => sim.clearFaults());
  afterAll(() => sim.stop());

  it('retries 500, 502, 503 and dropped connections with backoff, then succeeds', async () => {
    const infos: ZendeskRequestInfo[] = [];
    const client = make({ onRequest: (i) => infos.push(i) });
    sim.faults.push({ kind: '500', match: /comments/, count: 1 });
    sim.faults.push({ kind: '502', match: /comments/, count: 1 });
    sim.faults.push({ kind: '503', match: /comments/, count: 1, retryAfterSec: 4 });
    sim.faults.push({ kind: 'drop', match: /comments/, count: 2 });
    const t0 = clock.now();
    const comments = await client.ticketComments(1001);
    expect(comments.length).toBeGreaterThan(0);
    expect(infos.map((i) => i.status)).toEqual([500, 502, 503, 0, 0, 200]);
    expect(infos.map((i) => i.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.stats).toMatchObject({ requests: 6, retries: 5, errors: 5, rateLimited: 0 });
    expect(clock.now() - t0).toBeGreaterThanOrEqual(4_000); // the 503's Retry-After was a floor for its backoff
  });

  it('backoff is exponential with full jitter, capped', async () => {
    const sleeps: number[] = [];
    const client = make({ random: () => 0.999, sleep: (ms) => (sleeps.push(ms), clock.sleep(ms)), maxAttempts: 8 });
    sim.faults.push({ kind: '500', match: /users\/me/, count: 7 });
    await client.me();
    expect(sleeps.map((s) => Math.round(s))).toEqual([500, 999, 1998, 3996, 7992, 15984, 29970]);
  });

  it('a persistent 500 gives up after maxAttempts with a typed error', async () => {
    const client = make({ maxAttempts: 4 });
    sim.faults.push({ kind: '500', match: /tickets\/1002\/comments/, count: Infinity });
    const before = sim.stats.requests;
    const err = await client.ticketComments(1002).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZendeskApiError);
    const e = err as ZendeskApiError;
    expect(e.status).toBe(500);
    expect(e.code).toBe('InternalServerError');
    expect(e.attempts).toBe(4);
    expect(e.message).toContain('/api/v2/tickets/1002/comments.json');
    expect(sim.stats.requests - before).toBe(4);
  });

  it('persistent dropped connections → ZendeskNetworkError after maxAttempts', async () => {
    const client = make({ maxAttempts: 3 });
    sim.faults.push({ kind: 'drop', match: /tickets\/1003/, count: Infinity });
    const err = (await client.getTicket(1003).catch((e: unknown) => e)) as ZendeskNetworkError;
    expect(err).toBeInstanceOf(ZendeskNetworkError);
    expect(err).toBeInstanceOf(ZendeskApiError);
    expect(err.status).toBe(0);
    expect(err.timedOut).toBe(false);
    expect(err.attempts).toBe(3);
  });

  it('404 on a deleted ticket → ZendeskNotFoundError; other 4xx are not retried', async () => {
    const client = make();
    sim.deleteTicket(1004);
    const before = sim.stats.requests;
    await expect(client.ticketComments(1004)).rejects.toBeInstanceOf(ZendeskNotFoundError);
    await expect(client.getTicket(1004)).rejects.toBeInstanceOf(ZendeskNotFoundError);
    const deletedInDataset = sim.labels().find((l) => l.deleted && l.ticketId !== 1004);
    if (deletedInDataset)
      await expect(client.ticketComments(deletedInDataset.ticketId)).rejects.toMatchObject({
        status: 404,
        code: 'RecordNotFound',
      });
    const bad = await client
      .exportTicketsCursor({ startTime: Math.floor(clock.now() / 1000) + 3600 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ZendeskApiError);
    expect(bad).toMatchObject({ status: 400, code: 'InvalidValue' });
    expect(sim.stats.requests - before).toBe(deletedInDataset ? 4 : 3);
  });

  it('an agent token gets 403 on exports (no retry)', async () => {
    const agentSim = new ZendeskSimulator({
      dataset: { tickets: 20, seed: 1 },
      apiTokens: [{ email: 'agent@acme-analytics.example.com', token: 'agent-token', role: 'agent' }],
    });
    const { url } = await agentSim.start();
    try {
      const client = new ZendeskClient({
        baseUrl: url,
        auth: { email: 'agent@acme-analytics.example.com', apiToken: 'agent-token' },
      });
      await expect(client.exportTicketsCursor({ startTime: 0 })).rejects.toMatchObject({
        status: 403,
        code: 'Forbidden',
      });
      expect(agentSim.stats.requests).toBe(1);
    } finally {
      await agentSim.stop();
    }
  });

  it('a response slower than timeoutMs is aborted and retried', async () => {
    const infos: ZendeskRequestInfo[] = [];
    const client = make({ timeoutMs: 150, onRequest: (i) => infos.push(i) });
    sim.faults.push({ kind: 'slow', match: /users\/me/, count: 1, delayMs: 1_500 });
    const started = Date.now();
    const me = await client.me();
    expect(me.email).toBe(DEFAULT_SIM_EMAIL);
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(infos.map((i) => i.status)).toEqual([0, 200]);
    expect(infos[0]?.durationMs).toBeGreaterThanOrEqual(140);
    expect(client.stats).toMatchObject({ retries: 1, errors: 1 });
  });

  it('persistent timeouts → ZendeskNetworkError with timedOut', async () => {
    const client = make({ timeoutMs: 100, maxAttempts: 2 });
    sim.faults.push({ kind: 'slow', match: /users\/me/, count: 2, delayMs: 800 });
    const err = (await client.me().catch((e: unknown) => e)) as ZendeskNetworkError;
    expect(err).toBeInstanceOf(ZendeskNetworkError);
    expect(err.timedOut).toBe(true);
    expect(err.code).toBe('Timeout');
  });

  it('connection refused is retried and reported as a network error', async () => {
    const client = new ZendeskClient({
      baseUrl: 'http://127.0.0.1:1',
      auth: { oauthToken: 'x' },
      maxAttempts: 2,
      timeScale: 1000,
    });
    const err = (await client.me().catch((e: unknown) => e)) as ZendeskNetworkError;
    expect(err).toBeInstanceOf(ZendeskNetworkError);
    expect(err.message).toContain('/api/v2/users/me.json');
    expect(err.attempts).toBe(2);
  });
});
