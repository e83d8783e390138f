import { validateJsonSchema } from './json-schema';
import { AnthropicStub } from './stub';
import {
  EXTRACTION_TOOL,
  ManualClock,
  SONNET,
  TICKET_WITHOUT_PROBLEMS,
  TICKET_WITH_PROBLEMS,
  call,
  extractionParams,
} from './spec-helpers';

interface ResultLine {
  custom_id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  result: any;
}

function parseJsonl(text: string): ResultLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ResultLine);
}

const tickets = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    custom_id: `ticket-${i + 1}`,
    params: extractionParams(
      i % 2 === 0 ? `${TICKET_WITH_PROBLEMS}\nRef ${i}` : `${TICKET_WITHOUT_PROBLEMS}\nRef ${i}`,
    ),
  }));

describe('AnthropicStub: Message Batches', () => {
  const clock = new ManualClock();
  const stub = new AnthropicStub({ clock, batchProcessingMs: 30_000 });
  let url = '';

  beforeAll(async () => {
    url = (await stub.start()).url;
  });
  afterAll(() => stub.stop());
  beforeEach(() => stub.reset());

  it('runs the lifecycle: create → in_progress → ended after the delay → JSONL results keyed by custom_id', async () => {
    const requests = tickets(6);
    const created = await call(url, 'POST', '/v1/messages/batches', { requests });
    expect(created.status).toBe(200);
    const batch = created.body;
    expect(batch).toEqual({
      id: expect.stringMatching(/^msgbatch_01/),
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 6, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      created_at: new Date(clock.now()).toISOString(),
      expires_at: new Date(clock.now() + 24 * 3600_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: null,
    });
    expect(stub.usageLedger).toHaveLength(0);

    clock.advance(29_000);
    expect((await call(url, 'GET', `/v1/messages/batches/${batch.id}`)).body.processing_status).toBe('in_progress');
    const early = await call(url, 'GET', `/v1/messages/batches/${batch.id}/results`);
    expect(early.status).toBe(400);

    clock.advance(1_000);
    const ended = (await call(url, 'GET', `/v1/messages/batches/${batch.id}`)).body;
    expect(ended).toMatchObject({
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 6, errored: 0, canceled: 0, expired: 0 },
      ended_at: new Date(clock.now()).toISOString(),
      results_url: `${url}/v1/messages/batches/${batch.id}/results`,
    });

    // The SDK fetches results_url as is.
    const res = await call(url, 'GET', ended.results_url, undefined, { accept: 'application/binary' });
    expect(res.status).toBe(200);
    const lines = parseJsonl(res.text);
    expect(lines.map((l) => l.custom_id).sort()).toEqual(requests.map((r) => r.custom_id).sort());
    expect(lines.map((l) => l.custom_id)).not.toEqual(requests.map((r) => r.custom_id));
    for (const line of lines) {
      expect(line.result.type).toBe('succeeded');
      const message = line.result.message;
      expect(message).toMatchObject({
        type: 'message',
        model: SONNET,
        stop_reason: 'tool_use',
        usage: { service_tier: 'batch' },
      });
      const input = message.content[0].input;
      expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, input)).toEqual([]);
      const n = Number(line.custom_id.split('-')[1]);
      expect(input.status).toBe(n % 2 === 1 ? 'issues_found' : 'no_product_issue');
    }

    expect(stub.usageLedger).toHaveLength(6);
    expect(stub.usageLedger.every((r) => r.batch && r.batchId === batch.id && r.customId?.startsWith('ticket-'))).toBe(
      true,
    );
    const totals = stub.totals();
    expect(totals.batch.messages).toBe(6);
    expect(totals.realtime.messages).toBe(0);
    expect(totals.batch.output_tokens).toBe(stub.usageLedger.reduce((s, r) => s + r.usage.output_tokens, 0));
  });

  it('applies injected outcomes and reports invalid params as errored results', async () => {
    const requests = tickets(5);
    (requests[4] as { params: Record<string, unknown> }).params = extractionParams(TICKET_WITH_PROBLEMS, {
      model: 'claude-sonnet-4-5-20250514',
    });
    stub
      .setBatchOutcome('ticket-1', 'errored')
      .setBatchOutcome('ticket-2', 'expired')
      .setBatchOutcome('ticket-3', 'malformed_tool_input');
    const batch = (await call(url, 'POST', '/v1/messages/batches', { requests })).body;
    expect(await stub.completeBatches()).toBe(1);
    const done = (await call(url, 'GET', `/v1/messages/batches/${batch.id}`)).body;
    expect(done.request_counts).toEqual({ processing: 0, succeeded: 2, errored: 2, canceled: 0, expired: 1 });
    const byId = new Map(
      parseJsonl((await call(url, 'GET', done.results_url)).text).map((l) => [l.custom_id, l.result]),
    );
    expect(byId.get('ticket-1')).toEqual({
      type: 'errored',
      error: {
        type: 'error',
        error: { type: 'api_error', message: 'Internal server error' },
        request_id: expect.any(String),
      },
    });
    expect(byId.get('ticket-2')).toEqual({ type: 'expired' });
    const malformed = byId.get('ticket-3');
    expect(malformed.type).toBe('succeeded');
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, malformed.message.content[0].input).length).toBeGreaterThan(
      0,
    );
    expect(byId.get('ticket-5').error.error).toEqual({
      type: 'not_found_error',
      message: 'model: claude-sonnet-4-5-20250514',
    });
    // Only succeeded requests are billed.
    expect(stub.usageLedger.map((r) => r.customId).sort()).toEqual(['ticket-3', 'ticket-4']);

    // Overrides are used once: the next batch with the same custom_id succeeds.
    const again = (await call(url, 'POST', '/v1/messages/batches', { requests: tickets(1) })).body;
    await stub.completeBatches();
    const [line] = parseJsonl((await call(url, 'GET', `/v1/messages/batches/${again.id}/results`)).text);
    expect(line?.result.type).toBe('succeeded');
  });

  it('takes outcomes from an options callback', async () => {
    const other = new AnthropicStub({
      clock,
      batchProcessingMs: null,
      batchOutcome: (id) =>
        id.endsWith('2') ? { type: 'errored', errorType: 'overloaded_error', message: 'Overloaded' } : undefined,
    });
    const { url: u } = await other.start();
    try {
      const batch = (await call(u, 'POST', '/v1/messages/batches', { requests: tickets(2) })).body;
      clock.advance(23 * 3600_000);
      expect((await call(u, 'GET', `/v1/messages/batches/${batch.id}`)).body.processing_status).toBe('in_progress');
      await other.completeBatches();
      const byId = new Map(
        parseJsonl((await call(u, 'GET', `/v1/messages/batches/${batch.id}/results`)).text).map((l) => [
          l.custom_id,
          l.result,
        ]),
      );
      expect(byId.get('ticket-2').error.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
      expect(byId.get('ticket-1').type).toBe('succeeded');
    } finally {
      await other.stop();
    }
  });

  it('expires a batch that has not ended 24 hours after creation', async () => {
    const other = new AnthropicStub({ clock, batchProcessingMs: null });
    const { url: u } = await other.start();
    try {
      const batch = (await call(u, 'POST', '/v1/messages/batches', { requests: tickets(2) })).body;
      clock.advance(24 * 3600_000);
      const ended = (await call(u, 'GET', `/v1/messages/batches/${batch.id}`)).body;
      expect(ended.request_counts).toMatchObject({ expired: 2, succeeded: 0 });
      expect(other.usageLedger).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('cancels: canceling, then ended with canceled results; deletes only ended batches', async () => {
    const batch = (await call(url, 'POST', '/v1/messages/batches', { requests: tickets(3) })).body;
    const del = await call(url, 'DELETE', `/v1/messages/batches/${batch.id}`);
    expect(del.status).toBe(400);
    const canceling = (await call(url, 'POST', `/v1/messages/batches/${batch.id}/cancel`)).body;
    expect(canceling).toMatchObject({
      processing_status: 'canceling',
      cancel_initiated_at: new Date(clock.now()).toISOString(),
    });
    const ended = (await call(url, 'GET', `/v1/messages/batches/${batch.id}`)).body;
    expect(ended).toMatchObject({ processing_status: 'ended', request_counts: { canceled: 3, processing: 0 } });
    const lines = parseJsonl((await call(url, 'GET', ended.results_url)).text);
    expect(lines.every((l) => l.result.type === 'canceled')).toBe(true);
    expect(stub.usageLedger).toHaveLength(0);

    const deleted = await call(url, 'DELETE', `/v1/messages/batches/${batch.id}`);
    expect(deleted.body).toEqual({ id: batch.id, type: 'message_batch_deleted' });
    expect((await call(url, 'GET', `/v1/messages/batches/${batch.id}`)).status).toBe(404);
  });

  it('lists batches newest first with pagination', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await call(url, 'POST', '/v1/messages/batches', { requests: tickets(1) })).body.id);
      clock.advance(1000);
    }
    const page1 = (await call(url, 'GET', '/v1/messages/batches?limit=2')).body;
    expect(page1.data.map((b: { id: string }) => b.id)).toEqual([ids[2], ids[1]]);
    expect(page1).toMatchObject({ has_more: true, first_id: ids[2], last_id: ids[1] });
    const page2 = (await call(url, 'GET', `/v1/messages/batches?limit=2&after_id=${page1.last_id}`)).body;
    expect(page2.data[0].id).toBe(ids[0]);
    expect(page2.data[0].type).toBe('message_batch');
  });

  it('validates the batch itself', async () => {
    const dup = await call(url, 'POST', '/v1/messages/batches', { requests: [...tickets(1), ...tickets(1)] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toMatch(/Duplicate custom_id 'ticket-1'/);
    expect((await call(url, 'POST', '/v1/messages/batches', { requests: [] })).status).toBe(400);
    expect(
      (await call(url, 'POST', '/v1/messages/batches', { requests: [{ custom_id: 'bad id!', params: {} }] })).status,
    ).toBe(400);
    expect((await call(url, 'GET', '/v1/messages/batches/msgbatch_nope')).status).toBe(404);
  });

  it('caches the shared system prefix across the requests of a batch', async () => {
    const system = [{ type: 'text', text: 'T'.repeat(4400), cache_control: { type: 'ephemeral', ttl: '1h' } }];
    const requests = tickets(3).map((r) => ({ ...r, params: { ...r.params, system } }));
    await call(url, 'POST', '/v1/messages/batches', { requests });
    await stub.completeBatches();
    const usages = stub.usageLedger.map((r) => r.usage);
    expect(usages.filter((u) => u.cache_creation.ephemeral_1h_input_tokens > 0)).toHaveLength(1);
    expect(usages.filter((u) => u.cache_read_input_tokens > 0)).toHaveLength(2);
    // A realtime call afterwards reads the same entry.
    const rt = await call(url, 'POST', '/v1/messages', { ...extractionParams(TICKET_WITH_PROBLEMS), system });
    expect(rt.body.usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect(stub.totals()).toMatchObject({ messages: 4, batch: { messages: 3 }, realtime: { messages: 1 } });
  });
});
