import { sleep } from '@app/common/async';
import { retryAfterMs } from '@app/common/retry-after';
import { IssueDraft, Provider, TrackerClient, TrackerIssue } from '../tracker.types';

/** A tracker call that failed: `status` is the HTTP status (0 for no answer); messages never hold credentials. */
export class TrackerError extends Error {
  constructor(
    readonly provider: Provider,
    message: string,
    readonly status: number,
  ) {
    super(`${provider === 'jira' ? 'Jira' : 'Linear'}: ${message}`);
  }
}

/** The longest Retry-After honoured in a request's own retries; longer waits fail the call (the next sync retries). */
const MAX_WAIT_MS = 60_000;
const ATTEMPTS = 4;

export interface TrackerResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One JSON request to a tracker with a timeout, retried on 429 (after Retry-After, or Linear's reset time), 5xx and
 * network failures with backoff. Answers whatever status came last; throws `TrackerError` when nothing answered.
 */
export async function trackerFetch(
  provider: Provider,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown },
  options: { timeoutMs?: number; retryBaseMs?: number } = {},
): Promise<TrackerResponse> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = options.retryBaseMs ?? 500;
  let last: TrackerResponse | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {
        method: init.method,
        headers: { accept: 'application/json', 'content-type': 'application/json', ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON: kept as text */
      }
      last = { status: response.status, headers: response.headers, body };
      const limited = response.status === 429 || rateLimited(body);
      if (!limited && response.status < 500) return last;
      if (attempt === ATTEMPTS) return last;
      const wait = limited ? (waitOf(response.headers) ?? base * 2 ** attempt) : base * 2 ** (attempt - 1);
      if (wait > MAX_WAIT_MS) return last;
      await sleep(wait);
    } catch (error) {
      if (attempt === ATTEMPTS) {
        const { name } = error as { name?: string };
        const what = name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'connection failed';
        throw new TrackerError(provider, what, 0);
      }
      await sleep(base * 2 ** (attempt - 1));
    }
  }
  throw new TrackerError(provider, 'no answer', 0);
}

/** A tracker's client: its options, and its JSON requests made through `trackerFetch` as its provider. */
export abstract class HttpTrackerClient<Options> implements TrackerClient {
  abstract readonly provider: Provider;

  constructor(
    protected readonly options: Options,
    private readonly retryBaseMs?: number,
  ) {}

  abstract create(draft: IssueDraft): Promise<TrackerIssue>;
  abstract read(key: string): Promise<TrackerIssue | null>;

  protected request(
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<TrackerResponse> {
    return trackerFetch(this.provider, url, { method, headers, body }, { retryBaseMs: this.retryBaseMs });
  }
}

/** Retry-After, or Linear's `X-RateLimit-Requests-Reset` (epoch ms). */
function waitOf(headers: Headers): number | undefined {
  const after = retryAfterMs(headers);
  if (after !== undefined) return after;
  const reset = Number(headers.get('x-ratelimit-requests-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now()) : undefined;
}

/** A GraphQL answer whose errors say RATELIMITED (Linear may answer so with a 400). */
function rateLimited(body: unknown): boolean {
  const errors = (body as { errors?: Array<{ extensions?: { code?: string } }> } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e?.extensions?.code === 'RATELIMITED');
}
