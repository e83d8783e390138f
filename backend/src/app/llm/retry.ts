import Anthropic from '@anthropic-ai/sdk';
import { sleep as defaultSleep } from '@app/common/async';
import { errorMessage } from '@app/common/errors';
import { retryAfterMs } from '@app/common/retry-after';
import { AnalysisHaltedError } from './errors';

export const SPEND_LIMIT_MESSAGE =
  'Anthropic API monthly spend limit reached (enforced_spend_limit_reached): analysis stopped. Raise the limit in ' +
  'the Anthropic console; the next run analyses the remaining tickets.';

/** A call failed for this ticket only (bad request, retries exhausted): the ticket is marked failed. */
export class CallFailedError extends Error {
  override readonly name = 'CallFailedError';
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 8). */
  maxAttempts?: number;
  /** First backoff without a retry-after (default 1000 ms), doubled per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; status: number | undefined; message: string }) => void;
}

export function isSpendLimit(error: unknown): boolean {
  if (!(error instanceof Anthropic.APIError) || error.status !== 429) return false;
  if (error.errorCode === 'enforced_spend_limit_reached') return true;
  const body = error.error as { error?: { details?: { error_code?: string }; message?: string } } | undefined;
  return (
    body?.error?.details?.error_code === 'enforced_spend_limit_reached' ||
    /spend(ing)? limit/i.test(body?.error?.message ?? error.message)
  );
}

const describe = (error: unknown): string => {
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const type = body?.error?.type ?? error.type ?? 'error';
    const message = body?.error?.message ?? error.apiMessage ?? error.message;
    return error.status ? `${error.status} ${type}: ${message}` : `connection error: ${error.message}`;
  }
  return errorMessage(error);
};

/**
 * Classifies an API error: errors that stop the whole run become `AnalysisHaltedError` (spend limit, rejected
 * key, missing permission), other non-retryable ones `CallFailedError`; retryable ones return their delay.
 */
function classify(error: unknown): { retry: true; delayMs: number | undefined } | { retry: false; error: Error } {
  if (isSpendLimit(error)) return { retry: false, error: new AnalysisHaltedError(SPEND_LIMIT_MESSAGE) };
  if (error instanceof Anthropic.APIError) {
    const status = error.status;
    if (status === 401)
      return {
        retry: false,
        error: new AnalysisHaltedError(`The Anthropic API rejected ANTHROPIC_API_KEY (${describe(error)})`),
      };
    if (status === 403)
      return {
        retry: false,
        error: new AnalysisHaltedError(`The Anthropic API refused access (${describe(error)})`),
      };
    if (status === undefined || status === 408 || status === 409 || status === 429 || status >= 500)
      return { retry: true, delayMs: retryAfterMs(error.headers) };
    return { retry: false, error: new CallFailedError(`Anthropic API ${describe(error)}`) };
  }
  return { retry: false, error: error instanceof Error ? error : new Error(String(error)) };
}

/**
 * A shared pause: when one call is told to wait (`retry-after`), no call starts before that time, so parallel
 * workers do not keep hitting a rate limit the API has just announced.
 */
export class RateGate {
  private notBefore = 0;

  constructor(private readonly sleep: (ms: number) => Promise<void> = defaultSleep) {}

  closeFor(ms: number): void {
    this.notBefore = Math.max(this.notBefore, Date.now() + ms);
  }

  async pass(): Promise<void> {
    for (let wait = this.notBefore - Date.now(); wait > 0; wait = this.notBefore - Date.now()) await this.sleep(wait);
  }
}

/**
 * Runs an API call with retries on 408/409/429/5xx/529 and connection errors, waiting what `retry-after` says (or
 * an exponential backoff with jitter). The SDK's own retries are off (`maxRetries: 0`): it would retry a
 * spend-limit 429 too. A spend-limit 429 is never retried.
 */
export async function withRetries<T>(call: () => Promise<T>, gate: RateGate, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    await gate.pass();
    try {
      return await call();
    } catch (error) {
      const verdict = classify(error);
      if (!verdict.retry) throw verdict.error;
      if (attempt >= maxAttempts)
        throw new CallFailedError(`Anthropic API still failing after ${attempt} attempts (${describe(error)})`);
      const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (1 - Math.random() * 0.25);
      // A little past the announced time: the server's clock and ours differ by a few milliseconds.
      const delayMs = verdict.delayMs !== undefined ? verdict.delayMs + 50 : backoff;
      if (verdict.delayMs !== undefined) gate.closeFor(delayMs);
      options.onRetry?.({
        attempt,
        delayMs,
        status: error instanceof Anthropic.APIError ? error.status : undefined,
        message: describe(error),
      });
      await sleep(delayMs);
    }
  }
}
