import { AnthropicStub, ANTHROPIC_STUB_API_KEY } from '@pim/testing';
import { AnalysisHaltedError } from '../analyzer';
import { TEST_TAXONOMY, ticket } from '../testing';
import { ClaudeAnalyzer } from './claude-analyzer';
import { SPEND_LIMIT_MESSAGE } from '@app/llm/retry';
import { TOOL_NAME } from './tool-schema';

const MODEL = 'claude-sonnet-4-6';

describe('ClaudeAnalyzer (against the Anthropic stub)', () => {
  let stub: AnthropicStub;
  let analyzer: ClaudeAnalyzer;
  const export500 = ticket(
    1,
    'CSV export times out',
    'Hi, the CSV export times out for reports with more than 50k rows. It is blocking our month-end close. Call me on +1 (415) 555-0134 or mail ana@globex.example.com.',
    'Thanks, we are looking into it.',
  );

  beforeAll(async () => {
    stub = new AnthropicStub();
    await stub.start();
  });
  afterAll(() => stub.stop());
  beforeEach(() => {
    stub.reset();
    analyzer = new ClaudeAnalyzer({
      apiKey: ANTHROPIC_STUB_API_KEY,
      baseUrl: stub.url,
      model: MODEL,
      retry: { baseDelayMs: 20 },
    });
  });

  it('extracts issues with a forced tool call, taxonomy enums and a cached system block', async () => {
    const first = await analyzer.analyze(export500, TEST_TAXONOMY);
    expect(first.status).toBe('issues_found');
    expect(first.issues[0]).toMatchObject({ category: 'reporting', subcategory: 'exports' });
    expect(first.issues[0]!.quote).toContain('CSV export times out');
    const request = stub.requests.find((r) => r.path === '/v1/messages')!.body as Record<string, any>;
    expect(request['tool_choice']).toEqual({ type: 'tool', name: TOOL_NAME });
    expect(request['tools'][0].input_schema.properties.issues.items.properties.category.enum).toContain('billing');
    expect(request['system'][0].cache_control).toEqual({ type: 'ephemeral' });
    expect(first.calls[0]!.usage.cacheWrite5mTokens).toBeGreaterThan(1024);

    const second = await analyzer.analyze(
      ticket(2, 'SSO loop', 'We are stuck in a SAML SSO login loop.'),
      TEST_TAXONOMY,
    );
    expect(second.calls[0]!.usage.cacheReadTokens).toBe(first.calls[0]!.usage.cacheWrite5mTokens);
    expect(second.calls[0]!.usage.cacheWrite5mTokens).toBe(0);
  });

  it('redacts personal data before it leaves the process', async () => {
    await analyzer.analyze(export500, TEST_TAXONOMY);
    const sent = stub.receivedText().join('\n');
    expect(sent).not.toContain('555-0134');
    expect(sent).not.toContain('ana@globex.example.com');
    expect(sent).toContain('[PHONE]');
    expect(sent).toContain('[EMAIL]');
  });

  it('answers no_product_issue for a thank-you note', async () => {
    const outcome = await analyzer.analyze(ticket(3, 'Thanks', 'Thank you, all good now.'), TEST_TAXONOMY);
    expect(outcome).toMatchObject({ status: 'no_product_issue', issues: [] });
    expect(outcome.reason).toBeTruthy();
  });

  it('retries 429 and 529 honouring retry-after', async () => {
    stub.injectFault({ kind: 'rate_limit', retryAfterSeconds: 0.3 });
    stub.injectFault({ kind: 'overloaded', retryAfterSeconds: 0.2 });
    const started = Date.now();
    const outcome = await analyzer.analyze(export500, TEST_TAXONOMY);
    expect(outcome.status).toBe('issues_found');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(stub.requests.filter((r) => r.path === '/v1/messages').map((r) => r.status)).toEqual([429, 529, 200]);
    expect(stub.violations).toEqual([]);
  });

  it('stops on a spend-limit 429 without retrying', async () => {
    stub.injectFault({ kind: 'spend_limit', count: Infinity });
    await expect(analyzer.analyze(export500, TEST_TAXONOMY)).rejects.toThrow(
      new AnalysisHaltedError(SPEND_LIMIT_MESSAGE),
    );
    expect(stub.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
    expect(stub.violations).toEqual([]);
  });

  it('retries a schema-invalid answer once, then fails the ticket with the reason', async () => {
    stub.injectFault({ kind: 'malformed_tool_input' });
    expect((await analyzer.analyze(export500, TEST_TAXONOMY)).status).toBe('issues_found');
    stub.injectFault({ kind: 'malformed_tool_input', count: 2 });
    const failed = await analyzer.analyze(export500, TEST_TAXONOMY);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/does not follow the schema.*after one retry/);
    expect(failed.calls).toHaveLength(2);
  });

  it('retries a max_tokens stop once with a larger budget', async () => {
    stub.injectFault({ kind: 'max_tokens' });
    const outcome = await analyzer.analyze(export500, TEST_TAXONOMY);
    expect(outcome.status).toBe('issues_found');
    const bodies = stub.requests.filter((r) => r.path === '/v1/messages').map((r) => (r.body as any).max_tokens);
    expect(bodies).toEqual([2048, 4096]);
    stub.injectFault({ kind: 'max_tokens', count: 2 });
    expect((await analyzer.analyze(export500, TEST_TAXONOMY)).reason).toMatch(/max_tokens.*also after a retry/);
  });

  it('checks the model id and says clearly when it does not exist', async () => {
    await expect(analyzer.check()).resolves.toBeUndefined();
    const wrong = new ClaudeAnalyzer({
      apiKey: ANTHROPIC_STUB_API_KEY,
      baseUrl: stub.url,
      model: 'claude-sonnet-4-5-20250514',
    });
    await expect(wrong.check()).rejects.toThrow(
      /ANALYSIS_MODEL "claude-sonnet-4-5-20250514" is not a model the Anthropic API offers/,
    );
  });

  it('stops when the API key is rejected', async () => {
    const bad = new ClaudeAnalyzer({ apiKey: 'sk-wrong-key', baseUrl: stub.url, model: MODEL });
    await expect(bad.analyze(export500, TEST_TAXONOMY)).rejects.toThrow(/rejected ANTHROPIC_API_KEY/);
  });
});
