import type { LimiterClock, SleepFn } from './rate-limiter';

export type ZendeskAuth = { email: string; apiToken: string } | { oauthToken: string };

/** One HTTP attempt, reported to `onRequest` (metrics). */
export interface ZendeskRequestInfo {
  method: string;
  /** URL path, no query string. */
  path: string;
  /** HTTP status; 0 = no response (network error or timeout). */
  status: number;
  /** Real ms from sending to the end of the body. */
  durationMs: number;
  /** 1-based attempt number within the call (429 retries included). */
  attempt: number;
  /** The answer was a 429. */
  rateLimited: boolean;
}

export interface ZendeskClientStats {
  /** HTTP attempts sent. */
  requests: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Attempts that were repeated (after a 429, 5xx, network error or timeout). */
  retries: number;
  /** Attempts that failed other than by 429: network errors, timeouts, 5xx and other 4xx. */
  errors: number;
  /** Clock ms spent waiting (limiter queues, Retry-After, backoff), summed over concurrent calls. */
  waitedMs: number;
}

export interface ZendeskClientOptions {
  /** `https://{subdomain}.zendesk.com`, or an override (proxy, simulator). A path prefix is kept. */
  baseUrl: string;
  auth: ZendeskAuth;
  /** Account plan limit per minute. Default 200 (Team, the lowest plan). Never raised by response headers. */
  requestsPerMinute?: number;
  /**
   * Limit shared by all incremental export endpoints. Unset: 10 until the server says otherwise (its
   * `zendesk-ratelimit-incremental-exports` header; 30 with High Volume), then what it says. Set: a cap that
   * headers only lower.
   */
  incrementalPerMinute?: number;
  /** Real ms per attempt, headers and body (not divided by `timeScale`). Default 30,000. */
  timeoutMs?: number;
  /** Attempts per call for 5xx, network errors and timeouts. Default 6. */
  maxAttempts?: number;
  /** Consecutive 429s tolerated per call before `ZendeskRateLimitError`. Default 20. */
  max429Retries?: number;
  /** Backoff base and cap (ms, before `timeScale`). Defaults 500 and 30,000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Time source for windows and Retry-After (ms). Default `Date.now`. */
  clock?: LimiterClock;
  /** How to wait. Default `setTimeout`. Tests may pass a virtual clock's sleep. */
  sleep?: SleepFn;
  /** Random source in [0, 1) for the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * TEST ONLY. Divides every wait (rate-limit windows, Retry-After, backoff) so a test can run against a
   * simulator with the same `timeScale`. Default 1; never set it in production.
   */
  timeScale?: number;
  /** Metrics hook, called after every HTTP attempt. Exceptions are ignored. */
  onRequest?: (info: ZendeskRequestInfo) => void;
  userAgent?: string;
}

/** A rate-limit scope: the whole account, or the incremental export endpoints. */
export type Scope = 'account' | 'incremental';

/** One HTTP attempt's outcome, as `send` returns it. */
export interface Attempt {
  status: number;
  headers: Headers | null;
  /** The body of a 2xx answer, as bytes (parsed by the caller). */
  body: Buffer | null;
  /** The body of any other answer, as text (error details). */
  text: string;
  error: unknown;
  timedOut: boolean;
  /** Real ms. */
  durationMs: number;
}
