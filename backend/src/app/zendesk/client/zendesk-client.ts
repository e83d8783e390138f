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
import { sleep } from '@app/common/async';
import { JsonDocument } from '@app/common/json-document';
import { rateLimitObservations, retryWaitMs } from './rate-limit-headers';
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
  ZendeskTicket,
  ZendeskTicketEvent,
  ZendeskUser,
} from './zendesk.types';
import type {
  Attempt,
  Scope,
  ZendeskClientOptions,
  ZendeskClientStats,
  ZendeskRequestInfo,
} from './zendesk-client.types';
import {
  authorizationHeader,
  eventsQuery,
  exportQuery,
  networkErrorText,
  nextStartTime,
  parseErrorBody,
  parseJson,
  positive,
  positiveId,
  TicketEventsParams,
  TicketExportParams,
} from './zendesk-request';

const INCREMENTAL_PREFIX = '/api/v2/incremental/';

/** One call of `getUrl` across its attempts. */
interface Call {
  method: string;
  /** URL path, no query string. */
  path: string;
  /** The rate-limit scopes the request counts against. */
  scopes: Scope[];
  /** 1-based number of the current attempt (429 retries included). */
  attempt: number;
  /** Attempts failed by 5xx, 408, network errors or timeouts. */
  failures: number;
  consecutive429: number;
}

/** What `classify` decided: the answer is the result, or the call is retried (after `waitMs`, when given). */
type Verdict = { done: true } | { done: false; waitMs?: number };
const COMMENTS_PAGE_SIZE = 100;
const SHOW_MANY_MAX = 100;
const MAX_COMMENT_PAGES = 1000;

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
    this.sleep = options.sleep ?? sleep;
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
  async exportTicketsCursor(params: TicketExportParams): Promise<TicketExportPage> {
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
  async exportTicketsCursorStream(params: TicketExportParams): Promise<TicketExportStream> {
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
  async ticketEventsStream(params: TicketEventsParams): Promise<TicketEventsStream> {
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
  async ticketEvents(params: TicketEventsParams): Promise<TicketEventsPage> {
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

  /**
   * A GET through the rate gate, with retries, in named steps: `permit` (wait for the limiters), `send`, `classify`
   * the answer (done, or retry after a wait; a failed call throws), `wait`.
   */
  private async getUrl<T>(url: URL, parse: (body: Buffer) => T = parseJson): Promise<T> {
    if (url.origin !== this.origin) throw new Error('ZendeskClient: refusing to send credentials to another origin');
    const path = url.pathname;
    const apiPath = path.slice(this.basePath.length);
    const call: Call = {
      method: 'GET',
      path,
      scopes: apiPath.startsWith(INCREMENTAL_PREFIX) ? ['incremental', 'account'] : ['account'],
      attempt: 0,
      failures: 0,
      consecutive429: 0,
    };
    for (;;) {
      call.attempt++;
      if (call.attempt > 1) this.counters.retries++;
      const permits = await this.permit(call.scopes, call.attempt > 1);
      const result = await this.send(url);
      const verdict = this.classify(call, result, permits);
      if (verdict.done) return this.parseBody(call, result, parse);
      if (verdict.waitMs !== undefined) await this.wait(verdict.waitMs);
    }
  }

  /**
   * What an answer means for the call: done (2xx), or a retry — at once after a 429 (the limiter holds the scope
   * until Retry-After has passed), after a backoff for 5xx, 408, network errors and timeouts. Throws when the call
   * has failed. Releases the permits and reports the attempt.
   */
  private classify(call: Call, result: Attempt, permits: LimiterPermit[]): Verdict {
    const receivedAt = this.clock.now();
    this.counters.requests++;
    if (result.headers) this.observe(result.headers, call.scopes, permits);
    if (result.status === 429) return this.rateLimited(call, result, permits, receivedAt);
    for (const p of permits) p.release();
    this.report(call.method, call.path, result, call.attempt, false);
    call.consecutive429 = 0;
    if (result.status >= 200 && result.status < 300) return { done: true };
    this.counters.errors++;
    const retryable = result.status === 0 || result.status === 408 || result.status >= 500;
    if (!retryable) throw this.httpError(result, call.method, call.path, call.attempt);
    call.failures++;
    if (call.failures >= this.maxAttempts) throw this.finalError(call, result);
    return { done: false, waitMs: this.backoffMs(call.failures, result, receivedAt) };
  }

  /**
   * A 429: nothing more is granted on the limited scope until Retry-After has passed (blocked before the permits
   * are released), then the call is retried; too many in a row fail it.
   */
  private rateLimited(call: Call, result: Attempt, permits: LimiterPermit[], receivedAt: number): Verdict {
    const scope = this.limitedScope(call.scopes, result.text);
    const waitMs = retryWaitMs(result.headers, receivedAt, scope, this.timeScale);
    this.limiters[scope].block(receivedAt + waitMs);
    for (const p of permits) p.release();
    this.counters.rateLimited++;
    this.report(call.method, call.path, result, call.attempt, true);
    call.consecutive429++;
    if (call.consecutive429 > this.max429Retries) {
      const init = this.errorInit(result, call.method, call.path, call.attempt);
      throw new ZendeskRateLimitError({ ...init, code: init.code ?? 'APIRateLimitExceeded' });
    }
    return { done: false };
  }

  /** Exponential backoff with full jitter, capped; at least what a Retry-After header asks. */
  private backoffMs(failures: number, result: Attempt, receivedAt: number): number {
    const delay =
      (this.random() * Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (failures - 1))) / this.timeScale;
    if (result.status > 0 && result.headers?.has('retry-after'))
      return Math.max(delay, retryWaitMs(result.headers, receivedAt, 'account', this.timeScale));
    return delay;
  }

  /** The error of a call out of attempts: a network error (no answer) or the last HTTP error. */
  private finalError(call: Call, result: Attempt): ZendeskApiError {
    if (result.status !== 0) return this.httpError(result, call.method, call.path, call.attempt);
    return new ZendeskNetworkError({
      status: 0,
      code: result.timedOut ? 'Timeout' : 'NetworkError',
      description: result.timedOut ? `no response within ${this.timeoutMs} ms` : networkErrorText(result.error),
      method: call.method,
      path: call.path,
      attempts: call.attempt,
      cause: result.error,
      timedOut: result.timedOut,
    });
  }

  /** A 2xx body parsed; a body that does not parse fails the call. */
  private parseBody<T>(call: Call, result: Attempt, parse: (body: Buffer) => T): T {
    try {
      return parse(result.body ?? Buffer.alloc(0));
    } catch {
      this.counters.errors++;
      throw new ZendeskApiError({
        status: result.status,
        code: 'InvalidResponse',
        description: 'response body is not JSON',
        method: call.method,
        path: call.path,
        attempts: call.attempt,
      });
    }
  }

  /** The rate gate: permits on every scope of the request (retries jump the queue), in `scopes` order. */
  private async permit(scopes: Scope[], front: boolean): Promise<LimiterPermit[]> {
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

  /** Tells the limiters what the response's rate-limit headers say. `permits` are in `scopes` order. */
  private observe(headers: Headers, scopes: Scope[], permits: LimiterPermit[]): void {
    const sentAt = (scope: Scope): number => (permits[scopes.indexOf(scope)] as LimiterPermit).grantedAt;
    const seen = rateLimitObservations(headers, this.timeScale);
    if (seen.account) this.limiters.account.observe({ ...seen.account, sentAt: sentAt('account') });
    if (scopes.includes('incremental') && seen.incremental)
      this.limiters.incremental.observe({ ...seen.incremental, sentAt: sentAt('incremental') });
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
