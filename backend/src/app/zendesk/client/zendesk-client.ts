/**
 * ZendeskClient: the only code that speaks Zendesk HTTP (Node's global fetch).
 *
 * - Auth: API token (Basic `{email}/token:{apiToken}`) or OAuth (Bearer). Credentials never appear in errors,
 *   stats or the metrics hook.
 * - Two client-side rolling-window limiters, FIFO and shared by all concurrent callers: the account limit
 *   (`requestsPerMinute`) and the incremental-export limit (`incrementalPerMinute`, all `/api/v2/incremental/`
 *   endpoints). Rate-limit headers lower the limit when the server advertises less and make room for traffic
 *   of other integrations on the same account.
 * - 429: nothing more is sent on the limited scope (account: everything; incremental: incremental endpoints)
 *   until `Retry-After` has passed, then the request is retried; only `max429Retries` consecutive 429s fail.
 * - 5xx/408, network errors and timeouts: exponential backoff with full jitter, up to `maxAttempts`.
 * - Other 4xx: no retry; `ZendeskApiError` (404 `RecordNotFound` → `ZendeskNotFoundError`).
 */
import { performance } from 'node:perf_hooks';
import { JsonDocument } from '../../common/json-document';
import { LimiterClock, LimiterPermit, RollingWindowLimiter, SleepFn } from './rate-limiter';
import {
  ZendeskApiError,
  ZendeskApiErrorInit,
  ZendeskNetworkError,
  ZendeskNotFoundError,
  ZendeskRateLimitError,
} from './zendesk.errors';
import {
  TicketEventsPage,
  TicketEventsStream,
  TicketExportPage,
  TicketExportStream,
  ZendeskComment,
  ZendeskOrganization,
  ZendeskSideload,
  ZendeskTicket,
  ZendeskTicketEvent,
  ZendeskUser,
} from './zendesk.types';

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

type Scope = 'account' | 'incremental';

interface Attempt {
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

const INCREMENTAL_PREFIX = '/api/v2/incremental/';
const COMMENTS_PAGE_SIZE = 100;
const SHOW_MANY_MAX = 100;
const MAX_COMMENT_PAGES = 1000;
const DESCRIPTION_MAX = 300;

const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class ZendeskClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly basePath: string;
  readonly #authorization: string;
  private readonly clock: LimiterClock;
  private readonly sleep: SleepFn;
  private readonly random: () => number;
  private readonly timeScale: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly max429Retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly userAgent: string;
  private readonly onRequest?: (info: ZendeskRequestInfo) => void;
  private readonly limiters: Record<Scope, RollingWindowLimiter>;
  private readonly counters: ZendeskClientStats = { requests: 0, rateLimited: 0, retries: 0, errors: 0, waitedMs: 0 };

  constructor(options: ZendeskClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error('ZendeskClient: baseUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new Error('ZendeskClient: baseUrl must be http(s)');
    if (url.username || url.password) throw new Error('ZendeskClient: baseUrl must not contain credentials');
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.baseUrl = `${this.origin}${this.basePath}`;
    this.#authorization = authorizationHeader(options.auth);

    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0) || !Number.isFinite(this.timeScale))
      throw new Error('ZendeskClient: timeScale must be > 0');
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.timeoutMs = positive(options.timeoutMs, 30_000, 'timeoutMs');
    this.maxAttempts = Math.floor(positive(options.maxAttempts, 6, 'maxAttempts'));
    this.max429Retries = Math.floor(positive(options.max429Retries, 20, 'max429Retries'));
    this.backoffBaseMs = positive(options.backoffBaseMs, 500, 'backoffBaseMs');
    this.backoffCapMs = positive(options.backoffCapMs, 30_000, 'backoffCapMs');
    this.userAgent = options.userAgent ?? 'product-issue-miner/1.0 (+zendesk-client)';
    this.onRequest = options.onRequest;
    const windowMs = 60_000 / this.timeScale;
    this.limiters = {
      account: new RollingWindowLimiter(
        'account',
        positive(options.requestsPerMinute, 200, 'requestsPerMinute'),
        windowMs,
        this.clock,
        this.sleep,
      ),
      incremental: new RollingWindowLimiter(
        'incremental',
        positive(options.incrementalPerMinute, 10, 'incrementalPerMinute'),
        windowMs,
        this.clock,
        this.sleep,
        { learnable: options.incrementalPerMinute === undefined },
      ),
    };
  }

  /** Counters since construction (a copy). */
  get stats(): ZendeskClientStats {
    return { ...this.counters };
  }

  /** Limits in force (configured, lowered when the server advertises less). */
  get limits(): { requestsPerMinute: number; incrementalPerMinute: number } {
    return { requestsPerMinute: this.limiters.account.limit, incrementalPerMinute: this.limiters.incremental.limit };
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints
  // -------------------------------------------------------------------------------------------

  /**
   * One page of the cursor-based Incremental Ticket Export. First call with `startTime` (unix seconds, at least
   * a minute in the past), then with the previous page's `afterCursor` until `endOfStream`. Deleted tickets
   * are included (status `deleted`).
   */
  async exportTicketsCursor(params: {
    startTime?: number;
    cursor?: string;
    perPage?: number;
    include?: ZendeskSideload[];
  }): Promise<TicketExportPage> {
    const q = exportQuery(params);
    const body = await this.get<{
      tickets?: ZendeskTicket[];
      users?: ZendeskUser[];
      organizations?: ZendeskOrganization[];
      after_cursor?: string | null;
      end_of_stream?: boolean;
    }>('/api/v2/incremental/tickets/cursor.json', q);
    return {
      tickets: body.tickets ?? [],
      users: body.users ?? [],
      organizations: body.organizations ?? [],
      afterCursor: body.after_cursor ?? null,
      endOfStream: body.end_of_stream === true,
    };
  }

  /**
   * The same page as `exportTicketsCursor`, read piece by piece: tickets, users and organizations are parsed one
   * at a time as they are iterated (see JsonDocument), so a caller that stores them in small batches never holds
   * the whole page. Only the request is made here.
   */
  async exportTicketsCursorStream(params: {
    startTime?: number;
    cursor?: string;
    perPage?: number;
    include?: ZendeskSideload[];
  }): Promise<TicketExportStream> {
    const q = exportQuery(params);
    const doc = await this.get('/api/v2/incremental/tickets/cursor.json', q, (body) => new JsonDocument(body));
    return {
      tickets: () => doc.elements<ZendeskTicket>('tickets'),
      users: () => doc.elements<ZendeskUser>('users'),
      organizations: () => doc.elements<ZendeskOrganization>('organizations'),
      afterCursor: doc.value<string | null>('after_cursor') ?? null,
      endOfStream: doc.value('end_of_stream') === true,
      release: () => doc.release(),
    };
  }

  /** The same page as `ticketEvents`, read piece by piece (see `exportTicketsCursorStream`). */
  async ticketEventsStream(params: {
    startTime: number;
    includeComments?: boolean;
    perPage?: number;
  }): Promise<TicketEventsStream> {
    const q = eventsQuery(params);
    const doc = await this.get('/api/v2/incremental/ticket_events.json', q, (body) => new JsonDocument(body));
    const count = doc.count('ticket_events');
    return {
      events: () => doc.elements<ZendeskTicketEvent>('ticket_events'),
      nextStartTime: nextStartTime(doc.value<number | null>('end_time'), doc.value<string | null>('next_page')),
      endOfStream: doc.value('end_of_stream') === true,
      count: doc.value<number>('count') ?? count,
      eventCount: count,
      release: () => doc.release(),
    };
  }

  /** One page of the Incremental Ticket Event export (time-based). Pass `nextStartTime` as the next `startTime`. */
  async ticketEvents(params: {
    startTime: number;
    includeComments?: boolean;
    perPage?: number;
  }): Promise<TicketEventsPage> {
    const q = eventsQuery(params);
    const body = await this.get<{
      ticket_events?: ZendeskTicketEvent[];
      next_page?: string | null;
      end_time?: number | null;
      end_of_stream?: boolean;
      count?: number;
    }>('/api/v2/incremental/ticket_events.json', q);
    const events = body.ticket_events ?? [];
    return {
      events,
      nextStartTime: nextStartTime(body.end_time, body.next_page),
      endOfStream: body.end_of_stream === true,
      count: body.count ?? events.length,
    };
  }

  /**
   * Every comment of a ticket, ascending by creation, following cursor pagination (pages of 100).
   * A deleted or unknown ticket → `ZendeskNotFoundError`.
   */
  async ticketComments(ticketId: number): Promise<ZendeskComment[]> {
    const id = positiveId(ticketId, 'ticketId');
    const path = `/api/v2/tickets/${id}/comments.json`;
    const out: ZendeskComment[] = [];
    let q = new URLSearchParams({ 'page[size]': String(COMMENTS_PAGE_SIZE) });
    let next: URL | null = null;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
      const body: {
        comments?: ZendeskComment[];
        meta?: { has_more?: boolean; after_cursor?: string | null };
        links?: { next?: string | null };
      } = next ? await this.getUrl(next) : await this.get(path, q);
      out.push(...(body.comments ?? []));
      if (!body.meta?.has_more) return out;
      const cursor = body.meta.after_cursor ?? null;
      const link = body.links?.next ?? null;
      const key = cursor ?? link ?? '';
      if (!key || seen.has(key)) {
        throw new ZendeskApiError({
          status: 200,
          code: 'InvalidPagination',
          description: 'has_more without a new cursor',
          method: 'GET',
          path,
          attempts: 1,
        });
      }
      seen.add(key);
      next = link ? this.sameOrigin(link) : null;
      if (!next) {
        if (!cursor) {
          throw new ZendeskApiError({
            status: 200,
            code: 'InvalidPagination',
            description: 'next page is on another origin and no cursor was given',
            method: 'GET',
            path,
            attempts: 1,
          });
        }
        q = new URLSearchParams({ 'page[size]': String(COMMENTS_PAGE_SIZE), 'page[after]': cursor });
      }
    }
    throw new ZendeskApiError({
      status: 200,
      code: 'InvalidPagination',
      description: `more than ${MAX_COMMENT_PAGES} pages`,
      method: 'GET',
      path,
      attempts: 1,
    });
  }

  /** A ticket by id. Deleted or unknown → `ZendeskNotFoundError`. */
  async getTicket(id: number): Promise<ZendeskTicket> {
    const body = await this.get<{ ticket: ZendeskTicket }>(`/api/v2/tickets/${positiveId(id, 'id')}.json`);
    return body.ticket;
  }

  /** Users by id, 100 per request (ids deduplicated; unknown ids are simply absent). */
  async showManyUsers(ids: readonly number[]): Promise<ZendeskUser[]> {
    const unique = [...new Set(ids.map((id) => positiveId(id, 'ids')))];
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += SHOW_MANY_MAX) chunks.push(unique.slice(i, i + SHOW_MANY_MAX));
    const pages = await Promise.all(
      chunks.map((chunk) =>
        this.get<{ users?: ZendeskUser[] }>(
          '/api/v2/users/show_many.json',
          new URLSearchParams({ ids: chunk.join(',') }),
        ),
      ),
    );
    return pages.flatMap((p) => p.users ?? []);
  }

  /** An organization by id. Unknown → `ZendeskNotFoundError`. */
  async getOrganization(id: number): Promise<ZendeskOrganization> {
    const body = await this.get<{ organization: ZendeskOrganization }>(
      `/api/v2/organizations/${positiveId(id, 'id')}.json`,
    );
    return body.organization;
  }

  /** The authenticated user (connection test). Bad credentials → `ZendeskApiError` with status 401. */
  async me(): Promise<ZendeskUser> {
    const body = await this.get<{ user: ZendeskUser }>('/api/v2/users/me.json');
    return body.user;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------

  private get<T>(path: string, query?: URLSearchParams, parse?: (body: Buffer) => T): Promise<T> {
    const qs = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
    return this.getUrl<T>(new URL(`${this.baseUrl}${path}${qs}`), parse);
  }

  /** A URL from a response (`links.next`, `after_url`) if it is on our origin and under our base path. */
  private sameOrigin(link: string): URL | null {
    try {
      const u = new URL(link, `${this.baseUrl}/`);
      if (u.origin !== this.origin || u.username || u.password) return null;
      if (this.basePath && !u.pathname.startsWith(`${this.basePath}/`)) return null;
      return u;
    } catch {
      return null;
    }
  }

  private async getUrl<T>(url: URL, parse: (body: Buffer) => T = parseJson): Promise<T> {
    if (url.origin !== this.origin) throw new Error('ZendeskClient: refusing to send credentials to another origin');
    const method = 'GET';
    const path = url.pathname;
    const apiPath = path.slice(this.basePath.length);
    const scopes: Scope[] = apiPath.startsWith(INCREMENTAL_PREFIX) ? ['incremental', 'account'] : ['account'];
    let attempt = 0;
    let failures = 0;
    let consecutive429 = 0;

    for (;;) {
      attempt++;
      if (attempt > 1) this.counters.retries++;
      const permits = await this.acquire(scopes, attempt > 1);
      const result = await this.send(url);
      const receivedAt = this.clock.now();
      this.counters.requests++;
      if (result.headers) this.observe(result.headers, scopes, permits);

      if (result.status === 429) {
        const scope = this.limitedScope(scopes, result.text);
        const waitMs = this.retryAfterMs(result.headers, receivedAt, scope);
        // Block before releasing: nothing on this scope is granted until Retry-After has passed.
        this.limiters[scope].block(receivedAt + waitMs);
        for (const p of permits) p.release();
        this.counters.rateLimited++;
        this.report(method, path, result, attempt, true);
        consecutive429++;
        if (consecutive429 > this.max429Retries) {
          const init = this.errorInit(result, method, path, attempt);
          throw new ZendeskRateLimitError({ ...init, code: init.code ?? 'APIRateLimitExceeded' });
        }
        continue;
      }
      for (const p of permits) p.release();
      this.report(method, path, result, attempt, false);
      consecutive429 = 0;

      if (result.status >= 200 && result.status < 300) {
        try {
          return parse(result.body ?? Buffer.alloc(0));
        } catch {
          this.counters.errors++;
          throw new ZendeskApiError({
            status: result.status,
            code: 'InvalidResponse',
            description: 'response body is not JSON',
            method,
            path,
            attempts: attempt,
          });
        }
      }

      this.counters.errors++;
      const retryable = result.status === 0 || result.status === 408 || result.status >= 500;
      if (!retryable) throw this.httpError(result, method, path, attempt);
      failures++;
      if (failures >= this.maxAttempts) {
        if (result.status === 0) {
          throw new ZendeskNetworkError({
            status: 0,
            code: result.timedOut ? 'Timeout' : 'NetworkError',
            description: result.timedOut ? `no response within ${this.timeoutMs} ms` : networkErrorText(result.error),
            method,
            path,
            attempts: attempt,
            cause: result.error,
            timedOut: result.timedOut,
          });
        }
        throw this.httpError(result, method, path, attempt);
      }
      let delay =
        (this.random() * Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (failures - 1))) / this.timeScale;
      if (result.status > 0 && result.headers?.has('retry-after'))
        delay = Math.max(delay, this.retryAfterMs(result.headers, receivedAt));
      await this.wait(delay);
    }
  }

  /** Acquires permits on every scope of the request; retries jump the queue. */
  private async acquire(scopes: Scope[], front: boolean): Promise<LimiterPermit[]> {
    for (;;) {
      const permits: LimiterPermit[] = [];
      for (const scope of scopes) {
        const p = await this.limiters[scope].acquire({ front });
        this.counters.waitedMs += p.waitedMs;
        permits.push(p);
      }
      // A 429 on an earlier scope may have arrived while we queued for a later one.
      const now = this.clock.now();
      const blocked = scopes.find((s) => this.limiters[s].blockedUntilMs > now);
      if (blocked === undefined) return permits;
      for (const p of permits) p.cancel();
      front = true;
    }
  }

  private async wait(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    const start = this.clock.now();
    const until = start + ms;
    await this.sleep(ms);
    // Timers may fire a little early by the clock: never come back before `until`.
    for (let guard = 0; guard < 100 && this.clock.now() < until; guard++)
      await this.sleep(Math.max(1, until - this.clock.now()));
    this.counters.waitedMs += this.clock.now() - start;
  }

  private async send(url: URL): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const started = performance.now();
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'GET',
        headers: { authorization: this.#authorization, accept: 'application/json', 'user-agent': this.userAgent },
        redirect: 'manual',
        signal: controller.signal,
      });
      const body = Buffer.from(await res.arrayBuffer());
      const ok = res.status >= 200 && res.status < 300;
      return {
        status: res.status,
        headers: res.headers,
        body: ok ? body : null,
        text: ok ? '' : body.toString('utf8'),
        error: null,
        timedOut: false,
        durationMs: performance.now() - started,
      };
    } catch (error) {
      return {
        status: 0,
        headers: null,
        body: null,
        text: '',
        error,
        timedOut,
        durationMs: performance.now() - started,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `permits` are in `scopes` order. */
  private observe(headers: Headers, scopes: Scope[], permits: LimiterPermit[]): void {
    const sentAt = (scope: Scope): number => (permits[scopes.indexOf(scope)] as LimiterPermit).grantedAt;
    const num = (name: string): number | undefined => {
      const v = headers.get(name);
      if (v === null || v.trim() === '') return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : undefined;
    };
    const first = (names: readonly string[]): number | undefined => {
      for (const name of names) {
        const v = num(name);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    const remaining = first(ACCOUNT_REMAINING_HEADERS);
    const limit = first(ACCOUNT_LIMIT_HEADERS);
    const reset = first(RESET_HEADERS);
    const resetMs = reset !== undefined && reset < 1_000_000_000 ? (reset * 1000) / this.timeScale : undefined;
    if (remaining !== undefined || limit !== undefined)
      this.limiters.account.observe({ remaining, limit, sentAt: sentAt('account'), resetMs });
    if (scopes.includes('incremental')) {
      const inc = incrementalLimitHeader(headers);
      if (inc)
        this.limiters.incremental.observe({
          remaining: inc.remaining,
          limit: inc.total,
          sentAt: sentAt('incremental'),
          resetMs: inc.resets !== undefined ? (inc.resets * 1000) / this.timeScale : undefined,
        });
    }
  }

  /**
   * Clock ms to wait for a 429/503: Retry-After (seconds or HTTP date), else the reset header of the limited scope
   * (`resets=` of the incremental-export header; `ratelimit-reset`, `rate-limit-reset`, `x-rate-limit-reset`),
   * else a minute.
   */
  private retryAfterMs(headers: Headers | null, now: number, scope: Scope = 'account'): number {
    const raw = headers?.get('retry-after')?.trim();
    if (raw) {
      if (/^\d+(\.\d+)?$/.test(raw)) return (Number(raw) * 1000) / this.timeScale;
      const date = Date.parse(raw);
      if (!Number.isNaN(date)) return Math.max(0, date - now);
    }
    const incrementalResets = scope === 'incremental' && headers ? incrementalLimitHeader(headers)?.resets : undefined;
    if (incrementalResets !== undefined) return (incrementalResets * 1000) / this.timeScale;
    for (const name of RESET_HEADERS) {
      const reset = headers?.get(name)?.trim();
      if (!reset || !/^\d+$/.test(reset)) continue;
      const n = Number(reset);
      // Seconds until the reset; a Unix time (as some proxies send) is converted.
      if (n > 1_000_000_000) return Math.max(0, n * 1000 - Date.now()) / this.timeScale;
      return (n * 1000) / this.timeScale;
    }
    const resets = headers ? incrementalLimitHeader(headers)?.resets : undefined;
    if (resets !== undefined) return (resets * 1000) / this.timeScale;
    return 60_000 / this.timeScale;
  }

  /** An incremental-limit 429 holds incremental endpoints; anything else holds the whole account. */
  private limitedScope(scopes: Scope[], text: string): Scope {
    if (!scopes.includes('incremental')) return 'account';
    const { code, description } = parseErrorBody(text);
    return /incremental/i.test(`${code ?? ''} ${description ?? ''}`) ? 'incremental' : 'account';
  }

  private report(method: string, path: string, r: Attempt, attempt: number, rateLimited: boolean): void {
    if (!this.onRequest) return;
    try {
      this.onRequest({ method, path, status: r.status, durationMs: r.durationMs, attempt, rateLimited });
    } catch {
      /* metrics must not break requests */
    }
  }

  private errorInit(r: Attempt, method: string, path: string, attempts: number): ZendeskApiErrorInit {
    const { code, description } = parseErrorBody(r.text);
    return { status: r.status, code, description, method, path, attempts };
  }

  private httpError(r: Attempt, method: string, path: string, attempts: number): ZendeskApiError {
    const init = this.errorInit(r, method, path, attempts);
    if (r.status === 404 && init.code === 'RecordNotFound') return new ZendeskNotFoundError(init);
    if (r.status >= 300 && r.status < 400)
      return new ZendeskApiError({
        ...init,
        code: init.code ?? 'Redirect',
        description: init.description ?? 'redirects are not followed',
      });
    return new ZendeskApiError(init);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const parseJson = (body: Buffer): never => JSON.parse(body.toString('utf8')) as never;

function exportQuery(params: { startTime?: number; cursor?: string; perPage?: number; include?: ZendeskSideload[] }) {
  const q = new URLSearchParams();
  if (params.cursor !== undefined && params.cursor !== '') q.set('cursor', params.cursor);
  else if (params.startTime !== undefined) q.set('start_time', String(unixSeconds(params.startTime, 'startTime')));
  else throw new TypeError('exportTicketsCursor: startTime or cursor is required');
  q.set('per_page', String(pageSize(params.perPage, 1000, 1000, 'perPage')));
  const include = [...new Set(params.include ?? [])];
  if (include.length > 0) q.set('include', include.join(','));
  return q;
}

function eventsQuery(params: { startTime: number; includeComments?: boolean; perPage?: number }) {
  const q = new URLSearchParams();
  q.set('start_time', String(unixSeconds(params.startTime, 'startTime')));
  if (params.includeComments) q.set('include', 'comment_events');
  if (params.perPage !== undefined) q.set('per_page', String(pageSize(params.perPage, 1000, 1000, 'perPage')));
  return q;
}

/** The event export's next start: `end_time`, else the `start_time` of `next_page`. */
function nextStartTime(endTime: unknown, nextPage: string | null | undefined): number | null {
  if (typeof endTime === 'number') return endTime;
  if (nextPage) {
    try {
      const st = new URL(nextPage).searchParams.get('start_time');
      if (st !== null && /^\d+$/.test(st)) return Number(st);
    } catch {
      /* no usable next_page */
    }
  }
  return null;
}

function authorizationHeader(auth: ZendeskAuth): string {
  if ('oauthToken' in auth) {
    if (!auth.oauthToken) throw new Error('ZendeskClient: auth.oauthToken is empty');
    return `Bearer ${auth.oauthToken}`;
  }
  if (!auth.email || !auth.apiToken) throw new Error('ZendeskClient: auth.email and auth.apiToken are required');
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`, 'utf8').toString('base64')}`;
}

function positive(value: number | undefined, def: number, name: string): number {
  if (value === undefined) return def;
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`ZendeskClient: ${name} must be a positive number`);
  return value;
}

function positiveId(id: number, name: string): number {
  if (!Number.isSafeInteger(id) || id < 1) throw new TypeError(`ZendeskClient: ${name} must be positive integers`);
  return id;
}

function unixSeconds(t: number, name: string): number {
  if (!Number.isFinite(t) || t < 0) throw new TypeError(`ZendeskClient: ${name} must be unix seconds`);
  return Math.floor(t);
}

function pageSize(v: number | undefined, def: number, max: number, name: string): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < 1) throw new TypeError(`ZendeskClient: ${name} must be a positive integer`);
  return Math.min(max, v);
}

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

/**
 * The incremental-export limit from every per-endpoint header spelling; when several are sent, the tightest
 * (lowest total and remaining, latest reset) wins.
 */
export function incrementalLimitHeader(
  headers: Headers,
): { total?: number; remaining?: number; resets?: number } | null {
  let out: { total?: number; remaining?: number; resets?: number } | null = null;
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
export function parseIncrementalHeader(
  v: string | null,
): { total?: number; remaining?: number; resets?: number } | null {
  if (!v) return null;
  const out: { total?: number; remaining?: number; resets?: number } = {};
  for (const part of v.split(/[;,]/)) {
    const [k, val] = part.split('=').map((s) => s.trim());
    if (!k || val === undefined || !/^\d+$/.test(val)) continue;
    if (k === 'total' || k === 'remaining' || k === 'resets') out[k] = Number(val);
  }
  return Object.keys(out).length > 0 ? out : null;
}

function parseErrorBody(text: string): { code: string | null; description: string | null } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: null, description: null };
  }
  if (!body || typeof body !== 'object') return { code: null, description: null };
  const b = body as Record<string, unknown>;
  let code: string | null = null;
  let description: string | null = null;
  if (typeof b['error'] === 'string') code = b['error'];
  else if (b['error'] && typeof b['error'] === 'object') {
    const e = b['error'] as Record<string, unknown>;
    if (typeof e['title'] === 'string') code = e['title'];
    if (typeof e['message'] === 'string') description = e['message'];
  }
  if (typeof b['description'] === 'string') description = b['description'];
  if (Array.isArray(b['errors']) && b['errors'][0] && typeof b['errors'][0] === 'object') {
    const e = b['errors'][0] as Record<string, unknown>;
    if (!code && typeof e['code'] === 'string') code = e['code'];
    if (!description && typeof e['detail'] === 'string') description = e['detail'];
  }
  return {
    code: code ? code.slice(0, 100) : null,
    description: description ? description.slice(0, DESCRIPTION_MAX) : null,
  };
}

function networkErrorText(err: unknown): string {
  const codes: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const o = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    else if (typeof o.name === 'string' && o.name !== 'Error' && o.name !== 'TypeError') codes.push(o.name);
    e = o.cause;
  }
  return codes.length > 0 ? `network error (${[...new Set(codes)].join(', ')})` : 'network error';
}
