/**
 * Zendesk's rate-limit headers, in every spelling real responses use: what they say about the limits (for the
 * limiters) and how long a 429 or 503 asks to wait.
 */
import { retryAfterMs } from '@app/common/retry-after';
import type { RateLimitObservation } from './rate-limiter';
import type { Scope } from './zendesk-client.types';

/** Account-wide headers, in the three spellings real responses use (`ratelimit-*`, `x-rate-limit*`, `rate-limit-*`). */
const ACCOUNT_REMAINING_HEADERS = ['ratelimit-remaining', 'x-rate-limit-remaining', 'rate-limit-remaining'] as const;
const ACCOUNT_LIMIT_HEADERS = [
  'ratelimit-limit',
  'x-rate-limit',
  'rate-limit',
  'x-rate-limit-limit',
  'rate-limit-limit',
] as const;
const RESET_HEADERS = ['ratelimit-reset', 'rate-limit-reset', 'x-rate-limit-reset'] as const;
/** `zendesk-ratelimit-incremental-exports[-cursor]`, also spelled `zendesk-rate-limit-...`. */
const INCREMENTAL_HEADER = /^zendesk-rate-?limit-incremental-exports(-[a-z-]+)?$/i;

/** The incremental-export limit as a header states it: `total=10; remaining=9; resets=41`. */
export interface IncrementalLimit {
  total?: number;
  remaining?: number;
  resets?: number;
}

/** What a response's headers say about one scope's limit (without the time the request was sent). */
export type ScopeObservation = Omit<RateLimitObservation, 'sentAt'>;

/**
 * The limits a response advertises, per scope (absent: the response says nothing of that scope). Reset times
 * are clock ms, divided by `timeScale`; a reset header holding a Unix time is ignored here.
 */
export function rateLimitObservations(
  headers: Headers,
  timeScale: number,
): { account?: ScopeObservation; incremental?: ScopeObservation } {
  const out: { account?: ScopeObservation; incremental?: ScopeObservation } = {};
  const remaining = firstNumber(headers, ACCOUNT_REMAINING_HEADERS);
  const limit = firstNumber(headers, ACCOUNT_LIMIT_HEADERS);
  const reset = firstNumber(headers, RESET_HEADERS);
  const resetMs = reset !== undefined && reset < 1_000_000_000 ? (reset * 1000) / timeScale : undefined;
  if (remaining !== undefined || limit !== undefined) out.account = { remaining, limit, resetMs };
  const inc = incrementalLimitHeader(headers);
  if (inc)
    out.incremental = {
      remaining: inc.remaining,
      limit: inc.total,
      resetMs: inc.resets !== undefined ? (inc.resets * 1000) / timeScale : undefined,
    };
  return out;
}

/**
 * Clock ms to wait for a 429/503: Retry-After (seconds or HTTP date), else the reset header of the limited scope
 * (`resets=` of the incremental-export header; `ratelimit-reset`, `rate-limit-reset`, `x-rate-limit-reset`),
 * else a minute. Every second is divided by `timeScale`.
 */
export function retryWaitMs(headers: Headers | null, now: number, scope: Scope, timeScale: number): number {
  const retryAfter = retryAfterMs(headers, now, timeScale);
  if (retryAfter !== undefined) return retryAfter;
  const incrementalResets = scope === 'incremental' && headers ? incrementalLimitHeader(headers)?.resets : undefined;
  if (incrementalResets !== undefined) return (incrementalResets * 1000) / timeScale;
  for (const name of RESET_HEADERS) {
    const reset = headers?.get(name)?.trim();
    if (!reset || !/^\d+$/.test(reset)) continue;
    const n = Number(reset);
    // Seconds until the reset; a Unix time (as some proxies send) is converted.
    if (n > 1_000_000_000) return Math.max(0, n * 1000 - Date.now()) / timeScale;
    return (n * 1000) / timeScale;
  }
  const resets = headers ? incrementalLimitHeader(headers)?.resets : undefined;
  if (resets !== undefined) return (resets * 1000) / timeScale;
  return 60_000 / timeScale;
}

/**
 * The incremental-export limit from every per-endpoint header spelling; when several are sent, the tightest
 * (lowest total and remaining, latest reset) wins.
 */
export function incrementalLimitHeader(headers: Headers): IncrementalLimit | null {
  let out: IncrementalLimit | null = null;
  headers.forEach((value, name) => {
    if (!INCREMENTAL_HEADER.test(name)) return;
    const v = parseIncrementalHeader(value);
    if (!v) return;
    out ??= {};
    if (v.total !== undefined) out.total = Math.min(out.total ?? Infinity, v.total);
    if (v.remaining !== undefined) out.remaining = Math.min(out.remaining ?? Infinity, v.remaining);
    if (v.resets !== undefined) out.resets = Math.max(out.resets ?? 0, v.resets);
  });
  return out;
}

/** `total=10; remaining=9; resets=41` */
export function parseIncrementalHeader(v: string | null): IncrementalLimit | null {
  if (!v) return null;
  const out: IncrementalLimit = {};
  for (const part of v.split(/[;,]/)) {
    const [k, val] = part.split('=').map((s) => s.trim());
    if (!k || val === undefined || !/^\d+$/.test(val)) continue;
    if (k === 'total' || k === 'remaining' || k === 'resets') out[k] = Number(val);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The first of `names` holding a number. */
function firstNumber(headers: Headers, names: readonly string[]): number | undefined {
  for (const name of names) {
    const v = headers.get(name);
    if (v === null || v.trim() === '') continue;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}
