import { validateJsonSchema } from './json-schema';
import { AnthropicStub, corruptToolInput } from './stub';
import { EXTRACTION_TOOL, ManualClock, TICKET_WITH_PROBLEMS, call, extractionParams } from './spec-helpers';

describe('AnthropicStub: fault injection', () => {
  const clock = new ManualClock();
  const stub = new AnthropicStub({ clock });
  let url = '';
  const params = extractionParams(TICKET_WITH_PROBLEMS);

  beforeAll(async () => {
    url = (await stub.start()).url;
  });
  afterAll(() => stub.stop());
  beforeEach(() => stub.reset());

  it('429 rate_limit_error with retry-after; an early retry is a violation, a retry after the wait is not', async () => {
    stub.injectFault({ kind: 'rate_limit', retryAfterSeconds: 20 });
    const limited = await call(url, 'POST', '/v1/messages', params);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(limited.headers.get('request-id')).toBe(limited.body.request_id);
    expect(limited.body).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringMatching(/rate limit/) },
      request_id: expect.stringMatching(/^req_/),
    });

    clock.advance(5_000);
    const early = await call(url, 'POST', '/v1/messages', params, { 'x-stainless-retry-count': '1' });
    expect(early.status).toBe(200);
    expect(stub.violations).toEqual([
      expect.objectContaining({
        kind: 'early_retry',
        path: '/v1/messages',
        previousRequestId: limited.body.request_id,
        retryAfterSeconds: 20,
        earlyByMs: 15_000,
      }),
    ]);
    expect(stub.requests[1]?.retryCount).toBe(1);

    stub.reset();
    stub.injectFault({ kind: 'rate_limit', retryAfterSeconds: 20 });
    expect((await call(url, 'POST', '/v1/messages', params)).status).toBe(429);
    clock.advance(20_000);
    expect((await call(url, 'POST', '/v1/messages', params)).status).toBe(200);
    expect(stub.violations).toEqual([]);
  });

  it('529 overloaded_error and 500 api_error, `count` times, then normal answers', async () => {
    stub.injectFault({ kind: 'overloaded', count: 2 }).injectFault({ kind: 'api_error' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(url, 'POST', '/v1/messages', params)).status);
    expect(statuses).toEqual([529, 529, 500, 200]);
    expect(stub.requests.map((r) => r.errorType)).toEqual([
      'overloaded_error',
      'overloaded_error',
      'api_error',
      undefined,
    ]);
    expect(stub.requests.map((r) => r.fault)).toEqual(['overloaded', 'overloaded', 'api_error', undefined]);
    expect(stub.usageLedger).toHaveLength(1);
    expect(stub.pendingFaults).toEqual([]);
  });

  it('spend limit: 429 with enforced_spend_limit_reached and no retry-after; sending it again is a violation', async () => {
    stub.injectFault({ kind: 'spend_limit', count: Infinity });
    const res = await call(url, 'POST', '/v1/messages', params);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.body.error).toEqual({
      type: 'rate_limit_error',
      message: expect.stringContaining('monthly spend limit'),
      details: { error_code: 'enforced_spend_limit_reached' },
    });
    expect(res.body.error.message).toContain('2026-04-01 at 00:00 UTC');
    expect((await call(url, 'POST', '/v1/messages', params)).status).toBe(429);
    expect(stub.violations.map((v) => v.kind)).toEqual(['retry_after_spend_limit']);
    expect(stub.pendingFaults).toHaveLength(1);
    stub.clearFaults();
    expect(
      (await call(url, 'POST', '/v1/messages', extractionParams('Another ticket: the login page is broken.'))).status,
    ).toBe(200);
  });

  it('malformed tool input: valid JSON that violates the schema, once', async () => {
    stub.injectFault({ kind: 'malformed_tool_input' });
    const bad = await call(url, 'POST', '/v1/messages', params);
    expect(bad.status).toBe(200);
    expect(bad.body.stop_reason).toBe('tool_use');
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, bad.body.content[0].input).length).toBeGreaterThan(0);
    expect(stub.requests[0]?.fault).toBe('malformed_tool_input');
    const good = await call(url, 'POST', '/v1/messages', params);
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, good.body.content[0].input)).toEqual([]);
  });

  it('a response-shaping fault waits for a request it can shape (errors do not consume it)', async () => {
    stub.injectFault({ kind: 'max_tokens' });
    expect((await call(url, 'POST', '/v1/messages', extractionParams('x', { model: 'claude-nope' }))).status).toBe(404);
    const cut = await call(url, 'POST', '/v1/messages', params);
    expect(cut.body.stop_reason).toBe('max_tokens');
    expect(cut.body.usage.output_tokens).toBeLessThanOrEqual(2048);
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, cut.body.content[0].input).length).toBeGreaterThan(0);
    expect(stub.pendingFaults).toEqual([]);
  });

  it('slow responses wait (real time) before answering', async () => {
    stub.injectFault({ kind: 'slow', delayMs: 150 });
    const t0 = Date.now();
    const res = await call(url, 'POST', '/v1/messages', params);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('disconnect closes the connection without an answer', async () => {
    stub.injectFault({ kind: 'disconnect' });
    await expect(call(url, 'POST', '/v1/messages', params)).rejects.toThrow();
    expect((await call(url, 'POST', '/v1/messages', params)).status).toBe(200);
  });

  it('matches faults by path (string or RegExp), method and predicate', async () => {
    stub.injectFault({ kind: 'api_error', path: '/v1/messages/count_tokens' });
    stub.injectFault({ kind: 'rate_limit', path: /^\/v1\/messages\/batches/, method: 'POST' });
    stub.injectFault({
      kind: 'error',
      status: 413,
      errorType: 'request_too_large',
      message: 'too big',
      match: (r) => JSON.stringify(r.body).includes('HUGE'),
    });
    expect((await call(url, 'POST', '/v1/messages', params)).status).toBe(200);
    expect((await call(url, 'GET', '/v1/messages/batches')).status).toBe(200);
    expect((await call(url, 'POST', '/v1/messages/batches', { requests: [{ custom_id: 'a', params }] })).status).toBe(
      429,
    );
    expect(
      (await call(url, 'POST', '/v1/messages/count_tokens', { model: params['model'], messages: params['messages'] }))
        .status,
    ).toBe(500);
    const custom = await call(url, 'POST', '/v1/messages', extractionParams('HUGE ticket'));
    expect(custom.status).toBe(413);
    expect(custom.body.error).toEqual({ type: 'request_too_large', message: 'too big' });
    expect(stub.pendingFaults).toEqual([]);
  });

  it('scope "client": any request during a retry-after window is a violation', async () => {
    const strict = new AnthropicStub({ clock, violationScope: 'client' });
    const { url: u } = await strict.start();
    try {
      strict.injectFault({ kind: 'rate_limit', retryAfterSeconds: 10 });
      expect((await call(u, 'POST', '/v1/messages', params)).status).toBe(429);
      clock.advance(1000);
      await call(u, 'POST', '/v1/messages', extractionParams('A different ticket: the export is broken.'));
      expect(strict.violations.map((v) => v.kind)).toEqual(['request_during_retry_after']);
      clock.advance(10_000);
      await call(u, 'POST', '/v1/messages', extractionParams('A third ticket: the sync fails.'));
      expect(strict.violations).toHaveLength(1);
    } finally {
      await strict.stop();
    }
  });

  it('with the real clock, a client that sleeps for retry-after is not flagged', async () => {
    const real = new AnthropicStub();
    const { url: u } = await real.start();
    try {
      real.injectFault({ kind: 'rate_limit', retryAfterSeconds: 0.2 });
      const res = await call(u, 'POST', '/v1/messages', params);
      expect(res.headers.get('retry-after')).toBe('0.2');
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000));
      expect((await call(u, 'POST', '/v1/messages', params)).status).toBe(200);
      expect(real.violations).toEqual([]);
    } finally {
      await real.stop();
    }
  });

  it('corruptToolInput always yields schema-invalid JSON', () => {
    const valid = { status: 'no_product_issue', reason: 'none', issues: [] };
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, valid)).toEqual([]);
    const bad = corruptToolInput(EXTRACTION_TOOL.input_schema, valid);
    expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, bad).length).toBeGreaterThan(0);
    const loose = { type: 'object', properties: { note: { type: 'string' } } };
    expect(validateJsonSchema(loose, corruptToolInput(loose, { note: 'x' })).length).toBeGreaterThan(0);
  });
});
