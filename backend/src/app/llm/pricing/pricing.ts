/** Token usage of one billed call, as the API reports it (`usage`). */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  /** cache_creation_input_tokens: the 5-minute and 1-hour parts (their prices differ). */
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
}

export interface PriceTable {
  multipliers: { batch: number; cacheWrite5m: number; cacheWrite1h: number; cacheRead: number };
  models: Array<{ prefix: string; input: number; output: number }>;
}

/** Reads the Anthropic `usage` object; a missing 5m/1h split counts every cache write as 5-minute. */
export function usageFromApi(usage: {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
}): CallUsage {
  const write = usage.cache_creation_input_tokens ?? 0;
  const write1h = Math.min(write, usage.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheWrite5mTokens: write - write1h,
    cacheWrite1hTokens: write1h,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
  };
}

/** Prices calls from a table kept in configuration (`model-prices.json`), never from constants in code. */
export class Pricing {
  private readonly models: PriceTable['models'];

  constructor(private readonly table: PriceTable) {
    this.models = [...table.models].sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Whether the table knows this model. */
  knows(model: string): boolean {
    return this.models.some((m) => model.startsWith(m.prefix));
  }

  /** USD for one call, or null when the model is not in the table. */
  cost(model: string, usage: CallUsage, batch: boolean): number | null {
    const price = this.models.find((m) => model.startsWith(m.prefix));
    if (!price) return null;
    const k = this.table.multipliers;
    const micro =
      usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWrite5mTokens * price.input * k.cacheWrite5m +
      usage.cacheWrite1hTokens * price.input * k.cacheWrite1h +
      usage.cacheReadTokens * price.input * k.cacheRead;
    return (micro / 1_000_000) * (batch ? k.batch : 1);
  }
}

// Bundled with the app (webpack and ts-jest both load JSON through require).
export const MODEL_PRICES: PriceTable = require('./model-prices.json');
