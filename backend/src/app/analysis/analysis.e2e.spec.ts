import { AnthropicStub, exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { Client } from 'pg';
import {
  api,
  closeSession,
  login,
  openSessionWithClaudeStub,
  startWithClaudeStub,
  TestApp,
} from '../../testing/test-app';
import { MODEL_PRICES, Pricing, usageFromApi } from '@app/llm/pricing/pricing';
import { importFile, waitForRun } from '../../testing/runs';

const MODEL = 'claude-sonnet-4-6';

const isClusterCall = (r: { body: unknown }) =>
  ['name_cluster', 'judge_same_problem'].includes((r.body as any)?.tool_choice?.name);
/** Requests for ticket analysis (messages and batches), not the cluster phase's naming calls. */
const messageCalls = (stub: AnthropicStub) =>
  stub.requests.filter((r) => r.path.startsWith('/v1/messages') && !isClusterCall(r)).length;
/** The stub's billed answers to ticket analysis (the cluster phase also names clusters with Claude). */
const analysisLedger = (stub: AnthropicStub) => {
  const cluster = new Set(stub.requests.filter(isClusterCall).map((r) => r.requestId));
  return stub.usageLedger.filter((u) => !cluster.has(u.requestId));
};

describe('analysis with Claude: 400 tickets in auto mode (Anthropic stub)', () => {
  const dataset = new ZendeskDataset({ tickets: 400, seed: 11, piiShare: 0.25, endTime: Date.UTC(2026, 10, 1) });
  const forcedOutcome = new Map<number, 'errored' | 'expired' | 'malformed_tool_input'>();
  const stub = new AnthropicStub({
    batchProcessingMs: 300,
    batchOutcome: (customId) => forcedOutcome.get(Number(/^t(\d+)-/.exec(customId)?.[1])),
  });
  let t: TestApp;
  let token: string;
  let db: Client;
  let file: string;
  let ids: number[];
  let firstRun: any;
  const failing = { malformedTwice: 0 };

  beforeAll(async () => {
    ({ t, token, db } = await openSessionWithClaudeStub(stub, {
      ANALYSIS_MODEL: MODEL,
      ANALYSIS_MODE: 'auto',
      ANALYSIS_BATCH_MIN: '100',
    }));
    file = await exportDatasetToString(dataset, { format: 'jsonl' });
    ids = file
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id as number);
    // Batch requests that come back errored, expired or schema-invalid are retried realtime.
    forcedOutcome.set(ids[3]!, 'errored').set(ids[4]!, 'expired').set(ids[5]!, 'malformed_tool_input');
    // One ticket answers schema-invalid in the batch and again realtime: it must end failed, with the reason.
    failing.malformedTwice = ids[6]!;
    forcedOutcome.set(failing.malformedTwice, 'malformed_tool_input');
    stub.injectFault({
      kind: 'malformed_tool_input',
      match: (r) => JSON.stringify(r.body ?? '').includes(`<ticket id=\\"${failing.malformedTwice}\\"`),
    });
    // Rate limits and overload on the batch endpoints and on realtime calls.
    stub.injectFault({ kind: 'rate_limit', path: '/v1/messages/batches', method: 'POST', retryAfterSeconds: 0.5 });
    stub.injectFault({
      kind: 'overloaded',
      path: /^\/v1\/messages\/batches\/[^/]+$/,
      method: 'GET',
      retryAfterSeconds: 0.3,
    });
    stub.injectFault({ kind: 'rate_limit', path: '/v1/messages', retryAfterSeconds: 0.4 });
    stub.injectFault({ kind: 'overloaded', path: '/v1/messages' });

    firstRun = await waitForRun(t, token, await importFile(t, token, file));
  }, 180_000);

  afterAll(() => closeSession(t, db, stub));

  it('goes through the Message Batches API, retrying 429/529 without early retries', () => {
    expect(firstRun).toMatchObject({ status: 'succeeded', stats: { rowsImported: ids.length } });
    expect(
      stub.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').map((r) => r.status),
    ).toEqual([429, 200]);
    expect(stub.requests.some((r) => r.status === 529 && r.path.startsWith('/v1/messages/batches/'))).toBe(true);
    expect(stub.usageLedger.filter((u) => u.batch).length).toBeGreaterThanOrEqual(ids.length - 4);
    // Realtime only for the batch requests that errored, expired or were invalid.
    expect(analysisLedger(stub).filter((u) => !u.batch).length).toBeLessThanOrEqual(6);
    expect(stub.pendingFaults).toEqual([]);
    expect(stub.violations).toEqual([]);
  });

  it('ends every ticket issues_found, no_product_issue or failed with a reason', async () => {
    const { rows } = await db.query(
      `SELECT t.zendesk_id, a.status, a.reason FROM tickets t
         LEFT JOIN LATERAL (SELECT * FROM ticket_analyses a WHERE a.ticket_id = t.zendesk_id ORDER BY created_at DESC LIMIT 1) a ON true`,
    );
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) {
      expect(['issues_found', 'no_product_issue', 'failed']).toContain(row.status);
      expect(row.reason.length).toBeGreaterThan(5);
    }
    const byStatus = (s: string) => rows.filter((r) => r.status === s).map((r) => Number(r.zendesk_id));
    expect(byStatus('failed')).toEqual([failing.malformedTwice]);
    expect(rows.find((r) => Number(r.zendesk_id) === failing.malformedTwice).reason).toMatch(/schema.*after one retry/);
    expect(byStatus('issues_found').length).toBeGreaterThan(100);
    expect(byStatus('no_product_issue').length).toBeGreaterThan(50);
    // Failed tickets stay pending; the others are marked analysed.
    const pending = await db.query(`SELECT zendesk_id FROM tickets WHERE analyzed_hash IS DISTINCT FROM content_hash`);
    expect(pending.rows.map((r) => Number(r.zendesk_id))).toEqual([failing.malformedTwice]);
    expect(firstRun.errors).toEqual([
      expect.objectContaining({
        ref: `ticket ${failing.malformedTwice}`,
        message: expect.stringMatching(/analysis failed/),
      }),
    ]);
  });

  it('stores only quotes that occur verbatim in the ticket', async () => {
    const { rows } = await db.query(
      `SELECT i.quote, i.quote_verified, i.flags, t.subject,
              array(SELECT body FROM ticket_comments c WHERE c.ticket_id = i.ticket_id) AS bodies
         FROM issues i JOIN tickets t ON t.zendesk_id = i.ticket_id`,
    );
    expect(rows.length).toBeGreaterThan(100);
    const quoted = rows.filter((r) => r.quote !== null);
    expect(quoted.length).toBeGreaterThan(rows.length * 0.8);
    for (const r of quoted) {
      expect(r.quote_verified).toBe(true);
      expect([r.subject, ...r.bodies].some((text: string) => text.includes(r.quote))).toBe(true);
    }
    for (const r of rows.filter((x) => x.quote === null)) expect(r.flags.length).toBeGreaterThan(0);
  });

  it('never sends planted emails, phone numbers, card numbers or IPs', () => {
    const sent = stub.receivedText().join('\n');
    const imported = new Set(ids);
    const planted = dataset.allPlantedPii().filter((p) => imported.has(p.ticketId));
    expect(planted.filter((p) => p.kind === 'card').length).toBeGreaterThan(0);
    expect(planted.filter((p) => p.kind === 'phone').length).toBeGreaterThan(0);
    for (const p of planted) {
      expect(sent).not.toContain(p.value);
      if (p.kind === 'card') expect(sent).not.toContain(p.value.replace(/\D/g, ''));
    }
    expect(sent).toContain('[EMAIL]');
  });

  it('caches the system block: cache reads after the first call', () => {
    const totals = stub.totals();
    expect(totals.cache_read_input_tokens).toBeGreaterThan(totals.cache_creation_input_tokens * 50);
    const batch = stub.usageLedger.filter((u) => u.batch);
    expect(batch.slice(1).every((u) => u.usage.cache_read_input_tokens > 1024)).toBe(true);
  });

  it('keeps a cost ledger equal to the stub’s usage ledger', async () => {
    const res = await api(t.url, 'GET', '/api/analysis/costs?days=7', { token });
    expect(res.status).toBe(200);
    const s = stub.totals();
    const pricing = new Pricing(MODEL_PRICES);
    const expected = stub.usageLedger.reduce(
      (sum, u) => sum + pricing.cost(u.model, usageFromApi(u.usage), u.batch)!,
      0,
    );
    expect(res.body.totals).toMatchObject({
      calls: stub.usageLedger.length,
      batchCalls: s.batch.messages,
      inputTokens: s.input_tokens,
      outputTokens: s.output_tokens,
      cacheWriteTokens: s.cache_creation_input_tokens,
      cacheReadTokens: s.cache_read_input_tokens,
      unpricedCalls: 0,
    });
    expect(res.body.totals.costUsd).toBeCloseTo(expected, 5);
    expect(res.body.byModel).toEqual([expect.objectContaining({ model: MODEL, calls: stub.usageLedger.length })]);
    expect(res.body.byRun[0]).toMatchObject({ runId: firstRun.id, ticketsAnalyzed: ids.length });
    expect(res.body.byDay).toHaveLength(1);
  });

  it('retries the failed ticket next run, then sends nothing for unchanged tickets', async () => {
    const before = messageCalls(stub);
    const second = await waitForRun(t, token, await importFile(t, token, file));
    expect(second).toMatchObject({ status: 'succeeded', errors: [] });
    expect(messageCalls(stub) - before).toBe(1); // only the failed ticket, realtime
    const { rows } = await db.query(
      `SELECT status FROM ticket_analyses WHERE ticket_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [failing.malformedTwice],
    );
    expect(rows[0].status).not.toBe('failed');

    const third = await waitForRun(t, token, await importFile(t, token, file));
    expect(third.status).toBe('succeeded');
    expect(messageCalls(stub) - before).toBe(1);
  });

  it('re-analyses a changed ticket and replaces its issues', async () => {
    const id = ids[0]!;
    const line = JSON.parse(file.split('\n')[0]!);
    line.comments.push({
      body: 'Update: the Android app also crashes when I open a dashboard.',
      public: true,
      author_role: 'end-user',
    });
    const before = messageCalls(stub);
    const run = await waitForRun(t, token, await importFile(t, token, JSON.stringify(line)));
    expect(run.status).toBe('succeeded');
    expect(messageCalls(stub) - before).toBe(1);
    const { rows } = await db.query(`SELECT DISTINCT analysis_id FROM issues WHERE ticket_id = $1`, [id]);
    expect(rows).toHaveLength(1);
    const latest = await db.query(
      `SELECT id FROM ticket_analyses WHERE ticket_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [id],
    );
    expect(rows[0].analysis_id).toBe(latest.rows[0].id);
  });
});

describe('analysis stops at the Anthropic spend limit', () => {
  const stub = new AnthropicStub();
  let t: TestApp;
  let token: string;
  let db: Client;
  const dataset = new ZendeskDataset({ tickets: 30, seed: 5, endTime: Date.UTC(2026, 10, 1) });
  let file: string;

  beforeAll(async () => {
    ({ t, token, db } = await openSessionWithClaudeStub(stub, { ANALYSIS_MODEL: MODEL, ANALYSIS_MODE: 'realtime' }));
    file = await exportDatasetToString(dataset, { format: 'jsonl' });
  });
  afterAll(() => closeSession(t, db, stub));

  it('fails the run with the spend-limit message, without retry loops, and the next run resumes', async () => {
    let n = 0;
    stub.injectFault({ kind: 'spend_limit', count: Infinity, match: () => ++n > 8 });
    const run = await waitForRun(t, token, await importFile(t, token, file));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/spend limit reached/);
    expect(stub.violations).toEqual([]);
    const limited = stub.requests.filter((r) => r.fault === 'spend_limit');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.length).toBeLessThanOrEqual(4); // only the calls already in flight
    const analysed = Number(
      (await db.query(`SELECT count(*) AS n FROM tickets WHERE analyzed_hash = content_hash`)).rows[0].n,
    );
    expect(analysed).toBeGreaterThanOrEqual(8 - 4);
    expect(analysed).toBeLessThan(25);

    stub.clearFaults();
    const before = analysisLedger(stub).length;
    const next = await waitForRun(t, token, await importFile(t, token, file));
    expect(next.status).toBe('succeeded');
    const total = Number((await db.query(`SELECT count(*) AS n FROM tickets`)).rows[0].n);
    expect(
      Number((await db.query(`SELECT count(*) AS n FROM tickets WHERE analyzed_hash = content_hash`)).rows[0].n),
    ).toBe(total);
    expect(analysisLedger(stub).length - before).toBe(total - analysed); // analysed tickets are not sent again
  });
});

describe('a model id that does not exist', () => {
  it('does not stop boot, and fails analysis runs with a clear message', async () => {
    const stub = new AnthropicStub();
    const t = await startWithClaudeStub(stub, { ANALYSIS_MODEL: 'claude-sonnet-4-5-20250514' });
    try {
      const token = await login(t.url);
      expect((await api(t.url, 'GET', '/health')).status).toBe(200);
      const run = await waitForRun(
        t,
        token,
        await importFile(t, token, JSON.stringify({ id: 1, subject: 'Export fails', body: 'The CSV export fails.' })),
      );
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/ANALYSIS_MODEL "claude-sonnet-4-5-20250514" is not a model the Anthropic API offers/);
      expect(stub.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
    } finally {
      await t.close();
      await stub.stop();
    }
  });
});
