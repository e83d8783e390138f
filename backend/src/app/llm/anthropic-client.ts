import Anthropic from '@anthropic-ai/sdk';

export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The SDK client with the documented authentication (`x-api-key`) and API version (ANTHROPIC.md): SDK 1.14 would
 * otherwise send the key as a bearer token and its own newer version header. `apiKey: null` stops the SDK from
 * looking for credentials elsewhere (environment, profiles); the header is the only credential sent. Retries are
 * ours (`withRetries`), never the SDK's: it would retry a spend-limit 429 too.
 */
export function createAnthropicClient(options: { apiKey: string; baseUrl?: string; timeoutMs: number }): Anthropic {
  return new Anthropic({
    apiKey: null,
    authToken: null,
    baseURL: options.baseUrl ?? null,
    defaultHeaders: { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
    maxRetries: 0,
    timeout: options.timeoutMs,
  });
}
