import { MODEL_PRICES, Pricing, usageFromApi } from './pricing';

describe('Pricing', () => {
  const pricing = new Pricing(MODEL_PRICES);
  const usage = usageFromApi({
    input_tokens: 1_000_000,
    output_tokens: 1_000_000,
    cache_creation_input_tokens: 2_000_000,
    cache_read_input_tokens: 1_000_000,
    cache_creation: { ephemeral_5m_input_tokens: 1_000_000, ephemeral_1h_input_tokens: 1_000_000 },
  });

  it('prices Sonnet 4.x at 3/15 with cache write 1.25× (5 min) / 2× (1 h) and read 0.1×', () => {
    expect(pricing.cost('claude-sonnet-4-5-20250929', usage, false)).toBeCloseTo(3 + 15 + 3.75 + 6 + 0.3, 6);
  });

  it('halves everything in batches', () => {
    expect(pricing.cost('claude-sonnet-4-6', usage, true)).toBeCloseTo((3 + 15 + 3.75 + 6 + 0.3) / 2, 6);
  });

  it('matches the longest prefix and returns null for unknown models', () => {
    const plain = usageFromApi({ input_tokens: 1_000_000, output_tokens: 0 });
    expect(pricing.cost('claude-haiku-4-5-20251001', plain, false)).toBeCloseTo(1, 6);
    expect(pricing.cost('claude-opus-4-6', plain, false)).toBeCloseTo(5, 6);
    expect(pricing.cost('claude-opus-4-1', plain, false)).toBeCloseTo(15, 6);
    expect(pricing.cost('gpt-4', plain, false)).toBeNull();
  });

  it('counts cache writes without a split as 5-minute writes', () => {
    expect(usageFromApi({ input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 30 })).toEqual({
      inputTokens: 1,
      outputTokens: 2,
      cacheWrite5mTokens: 30,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
    });
  });
});
