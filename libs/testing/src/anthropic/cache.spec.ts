import { AnthropicStub } from './stub';
import type { AnthropicUsage } from './types';
import { promptUnits, estimateTokens } from './prompt-cache';
import {
  EXTRACTION_TOOL,
  HAIKU,
  ManualClock,
  SONNET,
  TICKET_WITHOUT_PROBLEMS,
  TICKET_WITH_PROBLEMS,
  call,
  extractionParams,
} from './spec-helpers';

const TOOL_TOKENS = estimateTokens(JSON.stringify(EXTRACTION_TOOL));

/** A system prompt of `tokens` tokens (4 characters each), cached with the given TTL. */
function cachedSystem(tokens: number, ttl?: '5m' | '1h', marker = 'T'): Array<Record<string, unknown>> {
  return [
    {
      type: 'text',
      text: marker.repeat(tokens * 4),
      cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' },
    },
  ];
}

function ticketTokens(ticket: string): number {
  return estimateTokens(`Analyze this ticket.\n<ticket id="1">\n${ticket}\n</ticket>`);
}

describe('AnthropicStub: prompt caching', () => {
  const clock = new ManualClock();
  const stub = new AnthropicStub({ clock });
  let url = '';

  beforeAll(async () => {
    url = (await stub.start()).url;
  });
  afterAll(() => stub.stop());
  beforeEach(() => stub.reset());

  const send = async (params: Record<string, unknown>) => {
    const res = await call(url, 'POST', '/v1/messages', params);
    expect(res.status).toBe(200);
    return res.body.usage as AnthropicUsage;
  };

  it('writes the cached prefix (tools → system) on the first call and reads it on the next, for any ticket', async () => {
    const system = cachedSystem(1100);
    const prefix = TOOL_TOKENS + 1100;

    const first = await send(extractionParams(TICKET_WITH_PROBLEMS, { system }));
    expect(first).toMatchObject({
      cache_creation_input_tokens: prefix,
      cache_read_input_tokens: 0,
      input_tokens: ticketTokens(TICKET_WITH_PROBLEMS),
      cache_creation: { ephemeral_5m_input_tokens: prefix, ephemeral_1h_input_tokens: 0 },
    });

    const second = await send(extractionParams(TICKET_WITH_PROBLEMS, { system }));
    expect(second).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: prefix,
      input_tokens: ticketTokens(TICKET_WITH_PROBLEMS),
    });

    const otherTicket = await send(extractionParams(TICKET_WITHOUT_PROBLEMS, { system }));
    expect(otherTicket).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: prefix,
      input_tokens: ticketTokens(TICKET_WITHOUT_PROBLEMS),
    });

    // The prefix is keyed by its exact content: one character changed is a new entry.
    const changed = await send(extractionParams(TICKET_WITH_PROBLEMS, { system: cachedSystem(1100, undefined, 'U') }));
    expect(changed).toMatchObject({ cache_creation_input_tokens: prefix, cache_read_input_tokens: 0 });

    const totals = stub.totals();
    expect(totals.cache_creation_input_tokens).toBe(2 * prefix);
    expect(totals.cache_read_input_tokens).toBe(2 * prefix);
  });

  it('silently skips caching below the minimum cacheable length (1024 tokens for Sonnet)', async () => {
    const small = cachedSystem(1024 - TOOL_TOKENS - 1);
    for (let i = 0; i < 2; i++) {
      const usage = await send(extractionParams(TICKET_WITH_PROBLEMS, { system: small }));
      expect(usage).toMatchObject({
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        input_tokens: 1023 + ticketTokens(TICKET_WITH_PROBLEMS),
      });
    }
    const exact = cachedSystem(1024 - TOOL_TOKENS);
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system: exact }))).cache_creation_input_tokens).toBe(
      1024,
    );
  });

  it('uses 4096 tokens as the minimum for Haiku 4.5, and keys entries by model', async () => {
    const system = cachedSystem(2000);
    const haiku = [
      await send(extractionParams(TICKET_WITH_PROBLEMS, { model: HAIKU, system })),
      await send(extractionParams(TICKET_WITH_PROBLEMS, { model: HAIKU, system })),
    ];
    expect(haiku.map((u) => u.cache_creation_input_tokens + u.cache_read_input_tokens)).toEqual([0, 0]);

    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_creation_input_tokens).toBe(
      TOOL_TOKENS + 2000,
    );
    const big = cachedSystem(4200);
    expect(
      (await send(extractionParams(TICKET_WITH_PROBLEMS, { model: HAIKU, system: big }))).cache_creation_input_tokens,
    ).toBe(TOOL_TOKENS + 4200);
    // Same prefix on another model: a new entry, not a read.
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system: big }))).cache_creation_input_tokens).toBe(
      TOOL_TOKENS + 4200,
    );
    expect(stub.minCacheableTokens(HAIKU)).toBe(4096);
    expect(stub.minCacheableTokens(SONNET)).toBe(1024);
  });

  it('expires entries after 5 minutes, refreshing the TTL on each read', async () => {
    const system = cachedSystem(1100);
    expect(
      (await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_creation_input_tokens,
    ).toBeGreaterThan(0);
    clock.advance(4 * 60_000);
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_read_input_tokens).toBeGreaterThan(0);
    clock.advance(4 * 60_000); // 8 minutes after the write, 4 after the refresh
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_read_input_tokens).toBeGreaterThan(0);
    clock.advance(5 * 60_000 + 1);
    const expired = await send(extractionParams(TICKET_WITH_PROBLEMS, { system }));
    expect(expired).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: TOOL_TOKENS + 1100 });
  });

  it('keeps ttl "1h" entries for an hour and reports them as 1-hour writes', async () => {
    const system = cachedSystem(1100, '1h');
    const write = await send(extractionParams(TICKET_WITH_PROBLEMS, { system }));
    expect(write.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: TOOL_TOKENS + 1100,
    });
    clock.advance(50 * 60_000);
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_read_input_tokens).toBe(
      TOOL_TOKENS + 1100,
    );
    clock.advance(60 * 60_000 + 1);
    expect((await send(extractionParams(TICKET_WITH_PROBLEMS, { system }))).cache_read_input_tokens).toBe(0);
  });

  it('reads the longest cached prefix and writes the rest up to the last breakpoint', async () => {
    const system = cachedSystem(1100);
    const conversation = (ticket: string) => [
      { role: 'user', content: [{ type: 'text', text: ticket, cache_control: { type: 'ephemeral' } }] },
    ];
    const a1 = await send(extractionParams('', { system, messages: conversation(TICKET_WITH_PROBLEMS) }));
    const ticketTok = estimateTokens(TICKET_WITH_PROBLEMS);
    expect(a1).toMatchObject({
      cache_creation_input_tokens: TOOL_TOKENS + 1100 + ticketTok,
      cache_read_input_tokens: 0,
      input_tokens: 0,
    });
    const a2 = await send(extractionParams('', { system, messages: conversation(TICKET_WITH_PROBLEMS) }));
    expect(a2).toMatchObject({
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: TOOL_TOKENS + 1100 + ticketTok,
      input_tokens: 0,
    });
    const b = await send(extractionParams('', { system, messages: conversation(TICKET_WITHOUT_PROBLEMS) }));
    expect(b).toMatchObject({
      cache_read_input_tokens: TOOL_TOKENS + 1100,
      cache_creation_input_tokens: estimateTokens(TICKET_WITHOUT_PROBLEMS),
      input_tokens: 0,
    });
  });

  it('invalidates cached message blocks, not tools and system, when tool_choice changes', async () => {
    const system = cachedSystem(1100);
    const messages = [
      { role: 'user', content: [{ type: 'text', text: TICKET_WITH_PROBLEMS, cache_control: { type: 'ephemeral' } }] },
    ];
    await send(extractionParams('', { system, messages }));
    const auto = await send(extractionParams('', { system, messages, tool_choice: { type: 'any' } }));
    expect(auto).toMatchObject({
      cache_read_input_tokens: TOOL_TOKENS + 1100,
      cache_creation_input_tokens: estimateTokens(TICKET_WITH_PROBLEMS),
    });
  });

  it('rejects more than 4 breakpoints and a 1h breakpoint after a 5m one', async () => {
    const block = (t: string, ttl?: string) => ({
      type: 'text',
      text: t,
      cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' },
    });
    const five = await call(
      url,
      'POST',
      '/v1/messages',
      extractionParams('x', { system: [block('a'), block('b'), block('c'), block('d'), block('e')] }),
    );
    expect(five.status).toBe(400);
    expect(five.body.error.message).toBe('A maximum of 4 blocks with cache_control may be provided. Found 5.');
    const order = await call(
      url,
      'POST',
      '/v1/messages',
      extractionParams('x', { system: [block('a', '5m'), block('b', '1h')] }),
    );
    expect(order.status).toBe(400);
    const badType = await call(
      url,
      'POST',
      '/v1/messages',
      extractionParams('x', { system: [{ type: 'text', text: 'a', cache_control: { type: 'persistent' } }] }),
    );
    expect(badType.status).toBe(400);
  });

  it('takes a configurable minimum', async () => {
    const tiny = new AnthropicStub({ clock, minCacheableTokens: 1 });
    const { url: u } = await tiny.start();
    try {
      const params = extractionParams(TICKET_WITH_PROBLEMS, { system: cachedSystem(10) });
      await call(u, 'POST', '/v1/messages', params);
      const second = await call(u, 'POST', '/v1/messages', params);
      expect(second.body.usage.cache_read_input_tokens).toBe(TOOL_TOKENS + 10);
      expect(tiny.cacheEntries()).toBe(1);
    } finally {
      await tiny.stop();
    }
  });

  it('cuts the prompt into blocks in prefix order (tools → system → messages)', () => {
    const units = promptUnits(extractionParams('hello', { system: cachedSystem(3) }), estimateTokens);
    expect(units.map((u) => [u.section, u.path, u.cacheTtl])).toEqual([
      ['tools', 'tools.0', undefined],
      ['system', 'system.0', '5m'],
      ['messages', 'messages.0.content', undefined],
    ]);
  });
});
