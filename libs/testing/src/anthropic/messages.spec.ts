import { validateJsonSchema } from './json-schema';
import { AnthropicStub } from './stub';
import {
  EXTRACTION_TOOL,
  SONNET,
  TICKET_WITHOUT_PROBLEMS,
  TICKET_WITH_PROBLEMS,
  call,
  extractionParams,
} from './spec-helpers';

describe('AnthropicStub: Messages API', () => {
  const stub = new AnthropicStub();
  let url = '';

  beforeAll(async () => {
    url = (await stub.start()).url;
  });
  afterAll(() => stub.stop());
  beforeEach(() => {
    stub.reset();
    stub.responder = undefined;
    stub.textResponder = undefined;
  });

  describe('authentication, version and validation', () => {
    it('answers 401 authentication_error without or with a wrong x-api-key, in the documented error shape', async () => {
      const missing = await call(url, 'POST', '/v1/messages', extractionParams('x'), { 'x-api-key': undefined });
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({
        type: 'error',
        error: { type: 'authentication_error', message: 'x-api-key header is required' },
        request_id: expect.stringMatching(/^req_011C/),
      });
      expect(missing.headers.get('request-id')).toBe(missing.body.request_id);

      const wrong = await call(url, 'POST', '/v1/messages', extractionParams('x'), { 'x-api-key': 'sk-ant-wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toEqual({ type: 'authentication_error', message: 'invalid x-api-key' });
    });

    it('requires a supported anthropic-version header', async () => {
      const missing = await call(url, 'POST', '/v1/messages', extractionParams('x'), {
        'anthropic-version': undefined,
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toEqual({
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
      });
      const bad = await call(url, 'GET', '/v1/models', undefined, { 'anthropic-version': '2099-01-01' });
      expect(bad.status).toBe(400);
    });

    it('answers 404 not_found_error for a model id that does not exist (the prototype’s mistake)', async () => {
      const res = await call(
        url,
        'POST',
        '/v1/messages',
        extractionParams('x', { model: 'claude-sonnet-4-5-20250514' }),
      );
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({ type: 'not_found_error', message: 'model: claude-sonnet-4-5-20250514' });
    });

    it.each([
      ['{ max_tokens: undefined }', { max_tokens: undefined }, 'max_tokens: Field required'],
      ['{ max_tokens: 0 }', { max_tokens: 0 }, 'max_tokens: Input should be greater than or equal to 1'],
      ['{ max_tokens: 100_000 }', { max_tokens: 100_000 }, /maximum allowed number of output tokens/],
      ['{ messages: undefined }', { messages: undefined }, 'messages: Field required'],
      ['{ messages: [] }', { messages: [] }, 'messages: at least one message is required'],
      [
        '{ messages: [{ role: system, content: x }] }',
        { messages: [{ role: 'system', content: 'x' }] },
        "messages.0.role: Input should be 'user' or 'assistant'",
      ],
      ['{ model: undefined }', { model: undefined }, 'model: Field required'],
      ['{ temprature: 0 }', { temprature: 0 }, 'temprature: Extra inputs are not permitted'],
      [
        '{ tool_choice: { type: tool, name: nope } }',
        { tool_choice: { type: 'tool', name: 'nope' } },
        /tool_choice\.name/,
      ],
      ['{ tools: undefined }', { tools: undefined }, 'tool_choice may only be specified while providing tools.'],
      ['{ temperature: 2 }', { temperature: 2 }, 'temperature: Input should be a number between 0 and 1'],
    ])('rejects %s with 400 invalid_request_error', async (_label, patch, message) => {
      const params = extractionParams(TICKET_WITH_PROBLEMS);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined) delete params[k];
        else params[k] = v;
      }
      const res = await call(url, 'POST', '/v1/messages', params);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe('error');
      expect(res.body.error.type).toBe('invalid_request_error');
      if (typeof message === 'string') expect(res.body.error.message).toBe(message);
      else expect(res.body.error.message).toMatch(message);
    });

    it('rejects a body that is not JSON', async () => {
      const res = await call(url, 'POST', '/v1/messages', '{"model": ');
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
    });
  });

  describe('forced tool use', () => {
    it('answers with a schema-valid tool_use built from the ticket, quotes verbatim', async () => {
      const res = await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITH_PROBLEMS));
      expect(res.status).toBe(200);
      expect(res.headers.get('request-id')).toMatch(/^req_011C/);
      const msg = res.body;
      expect(msg).toMatchObject({
        id: expect.stringMatching(/^msg_01/),
        type: 'message',
        role: 'assistant',
        model: SONNET,
        stop_reason: 'tool_use',
        stop_sequence: null,
      });
      expect(msg.content).toHaveLength(1);
      const block = msg.content[0];
      expect(block).toMatchObject({
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_01/),
        name: EXTRACTION_TOOL.name,
      });
      expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, block.input)).toEqual([]);
      expect(block.input.status).toBe('issues_found');
      expect(block.input.issues.length).toBeGreaterThan(0);
      for (const issue of block.input.issues) {
        expect(TICKET_WITH_PROBLEMS).toContain(issue.representative_quote);
        expect(issue.summary.length).toBeLessThanOrEqual(200);
      }
      // Only the ticket is mined, not the instructions around it.
      expect(JSON.stringify(block.input)).not.toContain('Analyze this ticket');
    });

    it('answers "no product issue" for a ticket without problems', async () => {
      const res = await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITHOUT_PROBLEMS));
      expect(res.body.content[0].input).toMatchObject({ status: 'no_product_issue', issues: [] });
      expect(res.body.stop_reason).toBe('tool_use');
    });

    it('lets a test override the responder, which sees the ticket text and the tool', async () => {
      const seen: string[] = [];
      stub.responder = (req) => {
        seen.push(req.ticketText, req.tool?.name ?? '', req.model);
        return req.customId === undefined && req.ticketText.includes('special')
          ? { status: 'no_product_issue', reason: 'custom', issues: [] }
          : undefined;
      };
      const custom = await call(url, 'POST', '/v1/messages', extractionParams('A special ticket.'));
      expect(custom.body.content[0].input).toEqual({ status: 'no_product_issue', reason: 'custom', issues: [] });
      expect(seen).toEqual(['\nA special ticket.\n', EXTRACTION_TOOL.name, SONNET]);
      // A responder can start from the default answer and alter it.
      stub.responder = (req) => ({ ...(req.defaultInput() as object), reason: 'edited' });
      const edited = await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITH_PROBLEMS));
      expect(edited.body.content[0].input).toMatchObject({ status: 'issues_found', reason: 'edited' });
      stub.responder = () => undefined;
      // Returning undefined falls back to the default extraction.
      const fallback = await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITH_PROBLEMS));
      expect(fallback.body.content[0].input.status).toBe('issues_found');
    });

    it('answers native structured output (output_config.format) with JSON text that follows the schema', async () => {
      const params = extractionParams(TICKET_WITH_PROBLEMS, {
        tools: undefined,
        tool_choice: undefined,
        output_config: { format: { type: 'json_schema', schema: EXTRACTION_TOOL.input_schema } },
      });
      delete params['tools'];
      delete params['tool_choice'];
      const res = await call(url, 'POST', '/v1/messages', params);
      expect(res.status).toBe(200);
      expect(res.body.stop_reason).toBe('end_turn');
      const value = JSON.parse(res.body.content[0].text);
      expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, value)).toEqual([]);
      expect(value.status).toBe('issues_found');
    });

    it('stops with max_tokens and an incomplete tool input when the answer does not fit', async () => {
      const res = await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITH_PROBLEMS, { max_tokens: 40 }));
      expect(res.status).toBe(200);
      expect(res.body.stop_reason).toBe('max_tokens');
      expect(res.body.usage.output_tokens).toBe(40);
      const block = res.body.content[0];
      expect(block.type).toBe('tool_use');
      expect(validateJsonSchema(EXTRACTION_TOOL.input_schema, block.input).length).toBeGreaterThan(0);
    });
  });

  describe('text answers', () => {
    it('answers plain prompts with a text block (default: the problem sentences), overridable', async () => {
      const params = { model: SONNET, max_tokens: 200, messages: [{ role: 'user', content: TICKET_WITH_PROBLEMS }] };
      const res = await call(url, 'POST', '/v1/messages', params);
      expect(res.body.stop_reason).toBe('end_turn');
      expect(res.body.content[0].type).toBe('text');
      expect(res.body.content[0].text).toContain('CSV export fails with error 500');
      stub.textResponder = () => 'Export failures on large reports';
      const named = await call(url, 'POST', '/v1/messages', params);
      expect(named.body.content[0].text).toBe('Export failures on large reports');
    });
  });

  describe('usage, count_tokens and the ledger', () => {
    it('counts input as ceil(chars/4) per block and output from the answer size; count_tokens agrees', async () => {
      const params = {
        model: SONNET,
        max_tokens: 500,
        system: 'S'.repeat(40),
        messages: [{ role: 'user', content: 'U'.repeat(41) }],
      };
      const count = await call(url, 'POST', '/v1/messages/count_tokens', {
        model: SONNET,
        system: params.system,
        messages: params.messages,
      });
      expect(count.status).toBe(200);
      expect(count.body).toEqual({ input_tokens: 10 + 11 });
      stub.textResponder = () => 'x'.repeat(17);
      const res = await call(url, 'POST', '/v1/messages', params);
      expect(res.body.usage).toEqual({
        input_tokens: 21,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        service_tier: 'standard',
      });
    });

    it('count_tokens validates the model too', async () => {
      const res = await call(url, 'POST', '/v1/messages/count_tokens', {
        model: 'claude-nope',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(res.status).toBe(404);
    });

    it('records every request with headers, raw body and usage, and keeps totals', async () => {
      await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITH_PROBLEMS));
      await call(url, 'POST', '/v1/messages', extractionParams(TICKET_WITHOUT_PROBLEMS));
      await call(url, 'POST', '/v1/messages', extractionParams('x', { model: 'claude-nope' }));
      expect(stub.requests.map((r) => r.status)).toEqual([200, 200, 404]);
      const first = stub.requests[0];
      expect(first?.headers['x-api-key']).toBeDefined();
      expect(first?.headers['anthropic-version']).toBe('2023-06-01');
      expect(first?.retryCount).toBe(0);
      expect(JSON.parse(first?.rawBody ?? '')).toEqual(extractionParams(TICKET_WITH_PROBLEMS));
      expect(first?.usage?.input_tokens).toBeGreaterThan(0);
      expect(stub.requests[2]?.errorType).toBe('not_found_error');

      expect(stub.usageLedger).toHaveLength(2);
      expect(stub.usageLedger.every((r) => r.batch === false && r.model === SONNET)).toBe(true);
      const totals = stub.totals();
      const sum = (k: 'input_tokens' | 'output_tokens') => stub.usageLedger.reduce((s, r) => s + r.usage[k], 0);
      expect(totals).toMatchObject({
        messages: 2,
        input_tokens: sum('input_tokens'),
        output_tokens: sum('output_tokens'),
      });
      expect(totals.realtime.messages).toBe(2);
      expect(totals.batch.messages).toBe(0);
      expect(totals.byModel[SONNET]?.messages).toBe(2);
    });

    it('receivedText() returns every string it was sent', async () => {
      const email = 'jane.doe@acme.example';
      await call(url, 'POST', '/v1/messages', extractionParams(`Contact ${email} about the broken export.`));
      const all = stub.receivedText().join('\n');
      expect(all).toContain(email);
      expect(all).toContain('You extract product problems from support tickets.');
      expect(stub.receivedText().join('\n')).not.toContain('4111 1111 1111 1111');
    });
  });

  describe('models', () => {
    it('lists the known models in the documented page format', async () => {
      const res = await call(url, 'GET', '/v1/models');
      expect(res.status).toBe(200);
      const ids = res.body.data.map((m: { id: string }) => m.id);
      expect(ids).toEqual(['claude-sonnet-4-6', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929']);
      expect(res.body.data[2]).toEqual({
        type: 'model',
        id: SONNET,
        display_name: 'Claude Sonnet 4.5',
        created_at: '2025-09-29T00:00:00Z',
      });
      expect(res.body).toMatchObject({ has_more: false, first_id: 'claude-sonnet-4-6', last_id: SONNET });

      const page1 = await call(url, 'GET', '/v1/models?limit=2');
      expect(page1.body).toMatchObject({
        has_more: true,
        first_id: 'claude-sonnet-4-6',
        last_id: 'claude-haiku-4-5-20251001',
      });
      const page2 = await call(url, 'GET', `/v1/models?limit=2&after_id=${page1.body.last_id}`);
      expect(page2.body).toMatchObject({ has_more: false, data: [{ id: SONNET }] });
    });

    it('retrieves one model, resolves aliases, and answers 404 for unknown ids', async () => {
      expect((await call(url, 'GET', `/v1/models/${SONNET}`)).body.id).toBe(SONNET);
      expect((await call(url, 'GET', '/v1/models/claude-sonnet-4-5')).body.id).toBe(SONNET);
      const missing = await call(url, 'GET', '/v1/models/claude-sonnet-4-5-20250514');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual({ type: 'not_found_error', message: 'model: claude-sonnet-4-5-20250514' });
    });

    it('takes a configurable model list', async () => {
      const other = new AnthropicStub({ models: ['claude-opus-4-6'] });
      const { url: u } = await other.start();
      try {
        const list = await call(u, 'GET', '/v1/models');
        expect(list.body.data).toEqual([
          { type: 'model', id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: expect.any(String) },
        ]);
        expect((await call(u, 'POST', '/v1/messages', extractionParams('x'))).status).toBe(404);
      } finally {
        await other.stop();
      }
    });
  });

  it('handles concurrent requests, each recorded once', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(url, 'POST', '/v1/messages', extractionParams(`Ticket ${i}: the export fails with error ${i}.`)),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const quotes = results.map((r) => r.body.content[0].input.issues[0].representative_quote);
    expect(new Set(quotes).size).toBe(40);
    expect(stub.requests).toHaveLength(40);
    expect(stub.totals().messages).toBe(40);
    expect(new Set(stub.usageLedger.map((r) => r.messageId)).size).toBe(40);
  });

  it('answers 404 for unknown paths', async () => {
    const res = await call(url, 'GET', '/v1/completions');
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('not_found_error');
  });
});
