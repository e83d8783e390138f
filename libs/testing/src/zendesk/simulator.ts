/**
 * ZendeskSimulator: an HTTP server speaking the parts of the Zendesk Support API the product uses.
 * Node built-ins only. See README.md in this folder for the supported surface.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { Clock, systemClock } from './clock';
import { PlantedProblemInfo, TicketLabel, ThreadComment, toApiComment, ZendeskDataset, ZendeskDatasetOptions } from './dataset';
import { INCREMENTAL_LIMIT, INCREMENTAL_LIMIT_HIGH_VOLUME, PLAN_LIMITS, RollingWindow, ZendeskPlan } from './rate-limit';
import { NewComment, TicketPatch, ZendeskComment, ZendeskOrganization, ZendeskTicket, ZendeskTicketStatus, ZendeskUser } from './types';

// ---------------------------------------------------------------------------------------------
// Options and public types
// ---------------------------------------------------------------------------------------------

export const DEFAULT_SIM_EMAIL = 'admin@acme-analytics.example.com';
export const DEFAULT_SIM_API_TOKEN = 'sim-api-token';
export const DEFAULT_SIM_OAUTH_TOKEN = 'sim-oauth-token';

export type SimRole = 'admin' | 'agent';

export interface SimApiToken {
  email: string;
  token: string;
  /** Default admin. Agents get 403 on incremental exports (admin-only in Zendesk). */
  role?: SimRole;
}

export interface SimOAuthToken {
  token: string;
  /** User the token belongs to (for users/me). Default: the dataset's first admin. */
  email?: string;
  role?: SimRole;
}

export interface ZendeskSimulatorOptions {
  /** A dataset, or options to generate one (the simulator's clock is passed on). */
  dataset?: ZendeskDataset | ZendeskDatasetOptions;
  /** Time source for rate limits, Retry-After expiry, "now" of changes and start_time checks. */
  clock?: Clock;
  /**
   * Speeds up protocol time: with timeScale 100 a rate-limit "minute" lasts 600 ms of clock time
   * and `Retry-After: N` means N * 1000 / timeScale ms of clock time. Default 1.
   */
  timeScale?: number;
  /** Plan for the account-wide limit. Default 'enterprise' (700/min). */
  plan?: ZendeskPlan;
  /** High Volume add-on: account limit 2500 and incremental limit 30 per minute. */
  highVolume?: boolean;
  /** Explicit limits (override the plan), or false to disable rate limiting. */
  rateLimit?: false | { perMinute?: number; incrementalPerMinute?: number };
  /**
   * Spellings of the account-wide rate-limit headers sent (real responses use all three):
   * `x-rate-limit` (`X-Rate-Limit`, `X-Rate-Limit-Remaining`), `ratelimit` (`ratelimit-limit/remaining/reset`),
   * `rate-limit` (`rate-limit`, `rate-limit-remaining`, `rate-limit-reset`). Default all three.
   */
  rateLimitHeaders?: Array<'x-rate-limit' | 'ratelimit' | 'rate-limit'>;
  /**
   * Names of the per-endpoint incremental-export header (`total=10; remaining=9; resets=41`). Default
   * `zendesk-ratelimit-incremental-exports`; Zendesk also sends `zendesk-ratelimit-incremental-exports-cursor`
   * and `zendesk-rate-limit-...` spellings.
   */
  incrementalHeaderNames?: string[];
  /** 429s without `Retry-After` (like edge-protection answers): only the reset headers say when to retry. */
  omitRetryAfter?: boolean;
  /** Ignore `include=comment_count` (the count is an optional side-load a client cannot rely on). */
  commentCount?: boolean;
  /** API tokens accepted (Basic `{email}/token:{token}`). Default one admin token. */
  apiTokens?: SimApiToken[];
  /** OAuth access tokens accepted (Bearer). Default one admin token. */
  oauthTokens?: Array<string | SimOAuthToken>;
  /** Default true. When false every request is treated as the first admin. */
  requireAuth?: boolean;
  /**
   * Like Zendesk, leave out of exports the changes of the last N seconds (they come next time).
   * Default 0 (off).
   */
  exportLagSec?: number;
  /** Search does not see tickets created in the last N seconds (indexing delay). Default 0. */
  searchIndexDelaySec?: number;
  /** gzip responses when the client accepts it. Default false. */
  compression?: boolean;
  /** Keep at most this many request log entries (oldest dropped; counters keep counting). Default 200,000. */
  requestLogLimit?: number;
  /**
   * A request on another connection is only counted as ignoring a Retry-After when it arrives at
   * least this many real ms after the 429 was sent (requests already in flight are not the
   * client's fault). Requests on the same connection always count. Default 20.
   */
  violationGraceMs?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
}

export type FaultKind = '429' | '500' | '502' | '503' | 'slow' | 'drop';

/**
 * An injected fault. Push onto `simulator.faults`. The first matching fault applies to a request;
 * `skip` and `count` are decremented as requests match, and a fault is removed when its count
 * reaches 0.
 */
export interface SimFault {
  kind: FaultKind;
  /** Tested against the request path (string: substring match). Default: every request. */
  match?: RegExp | string;
  method?: string;
  /** Number of requests affected. Default 1. Use Infinity for "until removed". */
  count?: number;
  /** Let this many matching requests through first. Default 0. */
  skip?: number;
  /** 'slow': real ms to wait before answering normally. Default 2000. */
  delayMs?: number;
  /** '429' (default 1) and '503' (default none): Retry-After in seconds. */
  retryAfterSec?: number;
  /** '429': which requests a client must hold back. Default: 'incremental' on incremental paths, else 'account'. */
  scope?: 'account' | 'incremental';
}

export interface SimRequestLogEntry {
  id: number;
  method: string;
  path: string;
  /** Raw query string including the leading "?" (or ""). */
  query: string;
  /** Route name, e.g. 'incremental.tickets.cursor', 'tickets.comments'. */
  endpoint: string;
  status: number;
  /** Clock time (ms) at arrival. */
  time: number;
  /** Real ms spent answering. */
  durationMs: number;
  /** Sent before an announced Retry-After had expired. */
  early: boolean;
  /** How much too early (clock ms); 0 when not early. */
  earlyByMs: number;
  auth: 'token' | 'oauth' | null;
  fault?: FaultKind;
  /** For 429s: which limit answered. */
  limitedBy?: 'account' | 'incremental' | 'fault';
  retryAfterSec?: number;
  /** Number of records in the response (tickets, comments, events, results). */
  items?: number;
}

export interface SimStats {
  requests: number;
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  /** 429s from the simulated limits. */
  rateLimited: number;
  /** Faults applied. */
  faultsInjected: number;
  /** Requests sent before an announced Retry-After expired. */
  violations: number;
  unauthorized: number;
}

export interface SimStartResult {
  url: string;
  port: number;
}

interface Principal {
  scheme: 'token' | 'oauth';
  email: string;
  role: SimRole;
}

interface Block {
  until: number;
  announcedReal: number;
  socket: Socket | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

const NOT_FOUND = { error: 'RecordNotFound', description: 'Not found' };
const INCREMENTAL_429 = {
  error: 'APIRateLimitExceeded',
  description: 'Number of allowed incremental export API requests per minute exceeded',
};
const ACCOUNT_429 = { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' };
const STATUS_ORDER: ZendeskTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

// ---------------------------------------------------------------------------------------------
// The simulator
// ---------------------------------------------------------------------------------------------

export class ZendeskSimulator {
  readonly dataset: ZendeskDataset;
  readonly clock: Clock;
  readonly timeScale: number;
  /** Injected faults, applied in order. */
  readonly faults: SimFault[] = [];
  /** Every request (bounded by `requestLogLimit`). */
  readonly requestLog: SimRequestLogEntry[] = [];
  readonly stats: SimStats = emptyStats();

  private readonly options: ZendeskSimulatorOptions;
  private readonly accountWindow: RollingWindow | null;
  private readonly incrementalWindow: RollingWindow | null;
  private readonly tokens: SimApiToken[];
  private readonly oauth: SimOAuthToken[];
  private readonly blocks: { account: Block | null; incremental: Block | null } = { account: null, incremental: null };
  private server: Server | null = null;
  private baseUrl = '';
  private requestSeq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: ZendeskSimulatorOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new Error('timeScale must be > 0');
    this.dataset =
      options.dataset instanceof ZendeskDataset
        ? options.dataset
        : new ZendeskDataset({ clock: this.clock, ...(options.dataset ?? {}) });
    if (options.dataset instanceof ZendeskDataset && options.clock) this.dataset.clock = options.clock;

    const plan = options.plan ?? 'enterprise';
    const highVolume = options.highVolume ?? (plan === 'enterprise_plus' || plan === 'high_volume');
    if (options.rateLimit === false) {
      this.accountWindow = null;
      this.incrementalWindow = null;
    } else {
      const perMinute = options.rateLimit?.perMinute ?? (options.highVolume ? 2500 : PLAN_LIMITS[plan]);
      const incremental = options.rateLimit?.incrementalPerMinute ?? (highVolume ? INCREMENTAL_LIMIT_HIGH_VOLUME : INCREMENTAL_LIMIT);
      this.accountWindow = new RollingWindow(perMinute, this.minuteMs);
      this.incrementalWindow = new RollingWindow(incremental, this.minuteMs);
    }
    this.tokens = options.apiTokens ?? [{ email: DEFAULT_SIM_EMAIL, token: DEFAULT_SIM_API_TOKEN, role: 'admin' }];
    this.oauth = (options.oauthTokens ?? [DEFAULT_SIM_OAUTH_TOKEN]).map((t) => (typeof t === 'string' ? { token: t } : t));
  }

  /** Clock ms that make one protocol minute. */
  get minuteMs(): number {
    return 60_000 / this.timeScale;
  }

  /** Clock ms a client must wait for a `Retry-After: sec`. */
  retryAfterToMs(sec: number): number {
    return (sec * 1000) / this.timeScale;
  }

  get limits(): { perMinute: number | null; incrementalPerMinute: number | null } {
    return { perMinute: this.accountWindow?.limit ?? null, incrementalPerMinute: this.incrementalWindow?.limit ?? null };
  }

  /** Requests sent before an announced Retry-After expired. */
  get violations(): number {
    return this.stats.violations;
  }

  get url(): string {
    if (!this.server) throw new Error('Simulator not started');
    return this.baseUrl;
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------------------------

  async start(port = 0): Promise<SimStartResult> {
    if (this.server) return { url: this.baseUrl, port: (this.server.address() as AddressInfo).port };
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    server.keepAliveTimeout = 5_000;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const actual = (server.address() as AddressInfo).port;
    this.baseUrl = `http://${host}:${actual}`;
    this.dataset.baseUrl = this.baseUrl;
    return { url: this.baseUrl, port: actual };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Test helpers
  // -------------------------------------------------------------------------------------------

  /** Adds a fault and returns it. */
  injectFault(fault: SimFault): SimFault {
    this.faults.push(fault);
    return fault;
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Clears the request log, counters, rate-limit windows and announced Retry-After blocks. */
  resetTraffic(): void {
    this.requestLog.length = 0;
    Object.assign(this.stats, emptyStats());
    this.accountWindow?.reset();
    this.incrementalWindow?.reset();
    this.blocks.account = null;
    this.blocks.incremental = null;
  }

  /** Number of logged requests to an endpoint (see {@link SimRequestLogEntry.endpoint}). */
  requestsTo(endpoint: string): number {
    return this.stats.byEndpoint[endpoint] ?? 0;
  }

  touchTickets(ids: Iterable<number>): void {
    this.dataset.touchTickets(ids);
  }

  updateTicket(id: number, patch: TicketPatch): ZendeskTicket {
    return this.dataset.updateTicket(id, patch);
  }

  addComment(id: number, comment: NewComment): ZendeskComment {
    return this.dataset.addComment(id, comment);
  }

  redactCommentText(ticketId: number, commentId: number, text: string): ZendeskComment {
    return this.dataset.redactCommentText(ticketId, commentId, text);
  }

  deleteTicket(id: number): void {
    this.dataset.deleteTicket(id);
  }

  addVoiceComment(id: number, call: Parameters<ZendeskDataset['addVoiceComment']>[1]): ZendeskComment {
    return this.dataset.addVoiceComment(id, call);
  }

  setCommentPublic(ticketId: number, commentId: number, isPublic: boolean): void {
    this.dataset.setCommentPublic(ticketId, commentId, isPublic);
  }

  mergeTickets(sourceIds: number[], targetId: number): void {
    this.dataset.mergeTickets(sourceIds, targetId);
  }

  scrubTicket(id: number): void {
    this.dataset.scrubTicket(id);
  }

  addTickets(count: number): number[] {
    return this.dataset.addTickets(count);
  }

  labelOf(ticketId: number): TicketLabel | null {
    return this.dataset.labelOf(ticketId);
  }

  labels(): TicketLabel[] {
    return this.dataset.labels();
  }

  plantedProblems(): PlantedProblemInfo[] {
    return ZendeskDataset.plantedProblems();
  }

  /**
   * The environment the product needs to talk to this simulator (started) with its default API token: the client's
   * request limit per minute, and the shared time scale when protocol time runs faster than the clock.
   */
  productEnv(rateLimitPerMinute: number): Record<string, string> {
    return {
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_API_URL: this.url,
      ZENDESK_EMAIL: this.tokens[0]?.email ?? DEFAULT_SIM_EMAIL,
      ZENDESK_API_TOKEN: this.tokens[0]?.token ?? DEFAULT_SIM_API_TOKEN,
      ZENDESK_RATE_LIMIT: String(rateLimitPerMinute),
      ...(this.timeScale !== 1 ? { ZENDESK_SIM_TIME_SCALE: String(this.timeScale) } : {}),
    };
  }

  /** Authorization header value for the default API token (or the given credentials). */
  basicAuthHeader(email = this.tokens[0]?.email ?? DEFAULT_SIM_EMAIL, token = this.tokens[0]?.token ?? DEFAULT_SIM_API_TOKEN): string {
    return `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
  }

  bearerAuthHeader(token = this.oauth[0]?.token ?? DEFAULT_SIM_OAUTH_TOKEN): string {
    return `Bearer ${token}`;
  }

  // -------------------------------------------------------------------------------------------
  // Request handling
  // -------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const realStart = performance.now();
    const now = this.clock.now();
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const path = url.pathname;
    const incremental = path.startsWith('/api/v2/incremental/');
    const entry: SimRequestLogEntry = {
      id: ++this.requestSeq,
      method: req.method ?? 'GET',
      path,
      query: url.search,
      endpoint: endpointName(path),
      status: 0,
      time: now,
      durationMs: 0,
      early: false,
      earlyByMs: 0,
      auth: null,
    };
    this.stats.requests++;
    this.stats.byEndpoint[entry.endpoint] = (this.stats.byEndpoint[entry.endpoint] ?? 0) + 1;
    this.checkEarly(entry, req.socket, now, realStart, incremental);

    const finish = (status: number): void => {
      entry.status = status;
      entry.durationMs = performance.now() - realStart;
      this.stats.byStatus[String(status)] = (this.stats.byStatus[String(status)] ?? 0) + 1;
      this.log(entry);
    };

    try {
      // 1. Injected faults
      const fault = this.takeFault(path, entry.method);
      if (fault) {
        entry.fault = fault.kind;
        this.stats.faultsInjected++;
        if (fault.kind === 'slow') {
          await this.sleepReal(fault.delayMs ?? 2000);
          if (!this.server) {
            req.socket.destroy();
            return finish(0);
          }
        } else if (fault.kind === 'drop') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': '65536' });
          res.write('{"tickets":[{"url":"');
          res.flushHeaders();
          const t = setTimeout(() => {
            this.timers.delete(t);
            req.socket.destroy();
          }, 5);
          this.timers.add(t);
          return finish(0);
        } else if (fault.kind === '429') {
          const scope = fault.scope ?? (incremental ? 'incremental' : 'account');
          const retryAfter = fault.retryAfterSec ?? 1;
          entry.limitedBy = 'fault';
          entry.retryAfterSec = retryAfter;
          this.announceBlock(scope, now, retryAfter, req.socket, res);
          return finish(this.send(req, res, 429, scope === 'incremental' ? INCREMENTAL_429 : ACCOUNT_429, this.fault429Headers(scope, retryAfter)));
        } else {
          const status = Number(fault.kind);
          const headers: Record<string, string> = {};
          if (fault.retryAfterSec !== undefined) headers['retry-after'] = String(fault.retryAfterSec);
          const body =
            status === 503
              ? { error: 'ServiceUnavailable', description: 'Service temporarily unavailable' }
              : { error: 'InternalServerError', description: 'Something went wrong' };
          return finish(this.send(req, res, status, body, headers));
        }
      }

      // 2. Authentication
      const principal = this.authenticate(req);
      if (!principal) {
        this.stats.unauthorized++;
        return finish(
          this.send(req, res, 401, { error: "Couldn't authenticate you" }, { 'www-authenticate': 'Basic realm="Web Password"' }),
        );
      }
      entry.auth = principal.scheme;

      // 3. Rate limits
      const rateHeaders = this.applyRateLimits(entry, req, res, now, incremental);
      if (rateHeaders === null) return finish(429);

      // 4. Route
      if (entry.method !== 'GET') {
        return finish(this.send(req, res, 405, { error: 'MethodNotAllowed', description: 'Only GET is simulated' }, { ...rateHeaders, allow: 'GET' }));
      }
      const { body, items } = this.route(path, url.searchParams, principal, now);
      entry.items = items;
      return finish(this.send(req, res, 200, body, rateHeaders));
    } catch (err) {
      if (err instanceof HttpError) {
        return finish(this.send(req, res, err.status, err.body, err.headers));
      }
      const message = err instanceof Error ? err.message : String(err);
      return finish(this.send(req, res, 500, { error: 'InternalServerError', description: message }));
    }
  }

  private log(entry: SimRequestLogEntry): void {
    const limit = this.options.requestLogLimit ?? 200_000;
    this.requestLog.push(entry);
    if (this.requestLog.length > limit) this.requestLog.splice(0, this.requestLog.length - limit);
  }

  private checkEarly(entry: SimRequestLogEntry, socket: Socket, now: number, realNow: number, incremental: boolean): void {
    const grace = this.options.violationGraceMs ?? 20;
    const scopes: Array<'account' | 'incremental'> = incremental ? ['account', 'incremental'] : ['account'];
    for (const scope of scopes) {
      const b = this.blocks[scope];
      if (!b) continue;
      if (now >= b.until) {
        this.blocks[scope] = null;
        continue;
      }
      const causal = b.socket === socket ? realNow >= b.announcedReal : realNow - b.announcedReal >= grace;
      if (causal) {
        entry.early = true;
        entry.earlyByMs = Math.max(entry.earlyByMs, b.until - now);
      }
    }
    if (entry.early) this.stats.violations++;
  }

  private announceBlock(scope: 'account' | 'incremental', now: number, retryAfterSec: number, socket: Socket, res: ServerResponse): void {
    const until = now + this.retryAfterToMs(retryAfterSec);
    const existing = this.blocks[scope];
    const block: Block = { until: Math.max(until, existing && existing.until > now ? existing.until : 0), announcedReal: Infinity, socket };
    this.blocks[scope] = block;
    res.once('finish', () => {
      block.announcedReal = performance.now();
    });
  }

  private takeFault(path: string, method: string): SimFault | null {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i] as SimFault;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.match !== undefined) {
        const ok = typeof f.match === 'string' ? path.includes(f.match) : f.match.test(path);
        if (!ok) continue;
      }
      if ((f.skip ?? 0) > 0) {
        f.skip = (f.skip ?? 0) - 1;
        continue;
      }
      const count = f.count ?? 1;
      f.count = count - 1;
      if (f.count <= 0) this.faults.splice(i, 1);
      return f;
    }
    return null;
  }

  private sleepReal(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private authenticate(req: IncomingMessage): Principal | null {
    if (this.options.requireAuth === false) return { scheme: 'token', email: this.dataset.adminUser.email, role: 'admin' };
    const header = req.headers.authorization ?? '';
    const space = header.indexOf(' ');
    if (space < 0) return null;
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'basic') {
      let decoded: string;
      try {
        decoded = Buffer.from(value, 'base64').toString('utf8');
      } catch {
        return null;
      }
      const colon = decoded.indexOf(':');
      if (colon < 0) return null;
      const user = decoded.slice(0, colon);
      const secret = decoded.slice(colon + 1);
      if (!user.endsWith('/token')) return null; // password auth is not accepted
      const email = user.slice(0, -'/token'.length).toLowerCase();
      const match = this.tokens.find((t) => t.email.toLowerCase() === email && t.token === secret);
      return match ? { scheme: 'token', email: match.email, role: match.role ?? 'admin' } : null;
    }
    if (scheme === 'bearer') {
      const match = this.oauth.find((t) => t.token === value);
      return match ? { scheme: 'oauth', email: match.email ?? this.dataset.adminUser.email, role: match.role ?? 'admin' } : null;
    }
    return null;
  }

  /** Counts the request against the limits; returns headers, or null when a 429 was sent. */
  private applyRateLimits(
    entry: SimRequestLogEntry,
    req: IncomingMessage,
    res: ServerResponse,
    now: number,
    incremental: boolean,
  ): Record<string, string> | null {
    const account = this.accountWindow;
    const inc = this.incrementalWindow;
    if (!account || !inc) return {};
    const toSec = (ms: number): number => Math.max(1, Math.ceil((ms * this.timeScale) / 1000));
    const headers = (): Record<string, string> => {
      const spellings = this.options.rateLimitHeaders ?? ['x-rate-limit', 'ratelimit', 'rate-limit'];
      const limit = String(account.limit);
      const remaining = String(account.remaining(now));
      const reset = String(toSec(account.msUntilReset(now)));
      const h: Record<string, string> = {};
      if (spellings.includes('x-rate-limit')) Object.assign(h, { 'x-rate-limit': limit, 'x-rate-limit-remaining': remaining });
      if (spellings.includes('ratelimit')) Object.assign(h, { 'ratelimit-limit': limit, 'ratelimit-remaining': remaining, 'ratelimit-reset': reset });
      if (spellings.includes('rate-limit')) Object.assign(h, { 'rate-limit': limit, 'rate-limit-remaining': remaining, 'rate-limit-reset': reset });
      if (incremental) {
        const value = `total=${inc.limit}; remaining=${inc.remaining(now)}; resets=${toSec(inc.msUntilReset(now))}`;
        for (const name of this.options.incrementalHeaderNames ?? ['zendesk-ratelimit-incremental-exports']) h[name] = value;
      }
      return h;
    };
    let limitedBy: 'account' | 'incremental' | null = null;
    let waitMs = 0;
    if (account.used(now) >= account.limit) {
      limitedBy = 'account';
      waitMs = account.msUntilAvailable(now);
    } else if (incremental && inc.used(now) >= inc.limit) {
      limitedBy = 'incremental';
      waitMs = inc.msUntilAvailable(now);
    }
    if (limitedBy) {
      const retryAfter = toSec(waitMs);
      entry.limitedBy = limitedBy;
      entry.retryAfterSec = retryAfter;
      this.stats.rateLimited++;
      this.announceBlock(limitedBy, now, retryAfter, req.socket, res);
      const h = headers();
      if (!this.options.omitRetryAfter) h['retry-after'] = String(retryAfter);
      else if (limitedBy === 'account') {
        // Without Retry-After the reset headers must say when the window frees up.
        for (const name of ['ratelimit-reset', 'rate-limit-reset']) if (h[name] !== undefined) h[name] = String(retryAfter);
      } else {
        for (const name of this.options.incrementalHeaderNames ?? ['zendesk-ratelimit-incremental-exports'])
          h[name] = `total=${inc.limit}; remaining=0; resets=${retryAfter}`;
      }
      this.send(req, res, 429, limitedBy === 'incremental' ? INCREMENTAL_429 : ACCOUNT_429, h);
      return null;
    }
    account.tryTake(now);
    if (incremental) inc.tryTake(now);
    return headers();
  }

  /**
   * Headers of an injected 429: `Retry-After`, or with `omitRetryAfter` only the reset of the limited scope
   * (`resets=` of the incremental header, or the account `*-reset` headers in the configured spellings).
   */
  private fault429Headers(scope: 'account' | 'incremental', retryAfter: number): Record<string, string> {
    if (!this.options.omitRetryAfter) return { 'retry-after': String(retryAfter) };
    const h: Record<string, string> = {};
    if (scope === 'incremental') {
      for (const name of this.options.incrementalHeaderNames ?? ['zendesk-ratelimit-incremental-exports'])
        h[name] = `total=${this.incrementalWindow?.limit ?? 10}; remaining=0; resets=${retryAfter}`;
      return h;
    }
    const spellings = this.options.rateLimitHeaders ?? ['x-rate-limit', 'ratelimit', 'rate-limit'];
    if (spellings.includes('ratelimit')) h['ratelimit-reset'] = String(retryAfter);
    if (spellings.includes('rate-limit')) h['rate-limit-reset'] = String(retryAfter);
    return h;
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    let payload: Buffer = Buffer.from(JSON.stringify(body));
    const out: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-zendesk-api-version': 'v2',
      'x-simulator': 'pim-zendesk-simulator',
      ...headers,
    };
    if (headers['retry-after'] !== undefined) {
      out['x-sim-retry-after-ms'] = String(Math.round(this.retryAfterToMs(Number(headers['retry-after']))));
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    if (this.options.compression && payload.length > 1024 && /\bgzip\b/.test(accept)) {
      payload = gzipSync(payload);
      out['content-encoding'] = 'gzip';
    }
    out['content-length'] = String(payload.length);
    res.writeHead(status, out);
    res.end(payload);
    return status;
  }

  // -------------------------------------------------------------------------------------------
  // Routes
  // -------------------------------------------------------------------------------------------

  private route(path: string, q: URLSearchParams, principal: Principal, now: number): { body: unknown; items?: number } {
    const p = path.replace(/\.json$/, '').replace(/\/+$/, '');
    let m: RegExpExecArray | null;
    if (p.startsWith('/api/v2/incremental/') && principal.role !== 'admin') {
      throw new HttpError(403, {
        error: 'Forbidden',
        description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.',
      });
    }
    if (p === '/api/v2/incremental/tickets/cursor') return this.cursorExport(q, now);
    if (p === '/api/v2/incremental/tickets') return this.timeExport(q, now);
    if (p === '/api/v2/incremental/ticket_events') return this.eventExport(q, now);
    if (p === '/api/v2/users/me') {
      const user = this.dataset.findUserByEmail(principal.email) ?? { ...this.dataset.adminUser, email: principal.email, role: principal.role };
      return { body: { user } };
    }
    if (p === '/api/v2/tickets/show_many') {
      const tickets = this.idsParam(q).map((id) => this.dataset.getTicket(id)).filter((t): t is ZendeskTicket => t !== null && t.status !== 'deleted');
      return { body: { tickets }, items: tickets.length };
    }
    if (p === '/api/v2/users/show_many') {
      const users = this.idsParam(q).map((id) => this.dataset.getUser(id)).filter((u): u is ZendeskUser => u !== null);
      return { body: { users }, items: users.length };
    }
    if ((m = /^\/api\/v2\/tickets\/(\d+)\/comments$/.exec(p))) return this.comments(Number(m[1]), q);
    if ((m = /^\/api\/v2\/tickets\/(\d+)$/.exec(p))) {
      const ticket = this.dataset.getTicket(Number(m[1]));
      if (!ticket || ticket.status === 'deleted') throw new HttpError(404, NOT_FOUND);
      return { body: { ticket }, items: 1 };
    }
    if ((m = /^\/api\/v2\/users\/(\d+)$/.exec(p))) {
      const user = this.dataset.getUser(Number(m[1]));
      if (!user) throw new HttpError(404, NOT_FOUND);
      return { body: { user }, items: 1 };
    }
    if ((m = /^\/api\/v2\/organizations\/(\d+)$/.exec(p))) {
      const organization = this.dataset.getOrganization(Number(m[1]));
      if (!organization) throw new HttpError(404, NOT_FOUND);
      return { body: { organization }, items: 1 };
    }
    if (p === '/api/v2/search') return this.search(q, now);
    throw new HttpError(404, { error: 'InvalidEndpoint', description: 'Not found' });
  }

  private idsParam(q: URLSearchParams): number[] {
    const raw = q.get('ids') ?? '';
    const ids = raw.split(',').filter((s) => s.trim() !== '');
    if (ids.length === 0 || ids.some((s) => !/^\d+$/.test(s.trim()))) {
      throw new HttpError(400, { error: 'InvalidValue', description: 'ids must be a comma separated list of ids' });
    }
    if (ids.length > 100) throw new HttpError(400, { error: 'InvalidValue', description: 'ids: at most 100 ids' });
    return ids.map((s) => Number(s.trim()));
  }

  private perPage(q: URLSearchParams, name: string, def: number, max: number): number {
    const raw = q.get(name);
    if (raw === null || raw === '') return def;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) {
      throw new HttpError(400, { error: 'InvalidPaginationParameter', description: `${name} must be a positive integer` });
    }
    return Math.min(max, Number(raw));
  }

  private startTime(q: URLSearchParams, now: number): number {
    const raw = q.get('start_time');
    if (raw === null || raw === '' || !/^\d+$/.test(raw)) {
      throw new HttpError(400, { error: 'InvalidValue', description: 'start_time is required and must be a unix timestamp in seconds' });
    }
    const st = Number(raw);
    if (st * 1000 > now) {
      throw new HttpError(400, { error: 'InvalidValue', description: 'Too recent start_time. Use a start_time older than 1 minute' });
    }
    return st;
  }

  private includes(q: URLSearchParams): Set<string> {
    return new Set(
      (q.get('include') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
  }

  private sideload(body: Record<string, unknown>, tickets: ZendeskTicket[], include: Set<string>): void {
    if (include.has('users')) {
      const ids = new Set<number>();
      for (const t of tickets) {
        for (const id of [t.requester_id, t.submitter_id, t.assignee_id]) if (id !== null) ids.add(id);
      }
      body['users'] = [...ids].map((id) => this.dataset.getUser(id)).filter((u): u is ZendeskUser => u !== null);
    }
    if (include.has('organizations')) {
      const ids = new Set<number>();
      for (const t of tickets) if (t.organization_id !== null) ids.add(t.organization_id);
      body['organizations'] = [...ids]
        .map((id) => this.dataset.getOrganization(id))
        .filter((o): o is ZendeskOrganization => o !== null);
    }
    if (include.has('comment_count') && this.options.commentCount !== false) {
      for (const t of tickets) (t as ZendeskTicket & { comment_count?: number }).comment_count = this.dataset.commentCountOf(t.id);
    }
  }

  private exportEnd(now: number): number {
    const lag = this.options.exportLagSec ?? 0;
    const total = this.dataset.ticketCount;
    if (lag <= 0) return total;
    return this.dataset.positionAtTime(Math.floor(now / 1000) - lag + 1);
  }

  private exportQuery(q: URLSearchParams, extra: Record<string, string>): string {
    const keep = new URLSearchParams();
    for (const key of ['per_page', 'include', 'exclude_deleted']) {
      const v = q.get(key);
      if (v !== null) keep.set(key, v);
    }
    for (const [k, v] of Object.entries(extra)) keep.set(k, v);
    return keep.toString();
  }

  private exportTickets(positions: number[], q: URLSearchParams): ZendeskTicket[] {
    const excludeDeleted = q.get('exclude_deleted') === 'true';
    const out: ZendeskTicket[] = [];
    for (const pos of positions) {
      const { ticketId } = this.dataset.atPosition(pos);
      const ticket = this.dataset.getTicket(ticketId) as ZendeskTicket;
      if (excludeDeleted && ticket.status === 'deleted') continue;
      out.push({ ...ticket });
    }
    return out;
  }

  /** GET /api/v2/incremental/tickets/cursor.json */
  private cursorExport(q: URLSearchParams, now: number): { body: unknown; items: number } {
    const perPage = this.perPage(q, 'per_page', 1000, 1000);
    const end = this.exportEnd(now);
    const cursorParam = q.get('cursor');
    let from: number;
    let to: number;
    let fallbackSeq: number;
    if (cursorParam !== null && cursorParam !== '') {
      const c = decodeCursor(cursorParam, ['a', 'b']);
      if (!c) throw new HttpError(400, { error: 'InvalidValue', description: 'Invalid cursor' });
      const pos = this.dataset.positionAfterSeq(c.value);
      if (c.dir === 'a') {
        from = pos;
        to = Math.min(end, from + perPage);
      } else {
        // before-cursor: the page ending just before the ticket with this seq
        to = Math.min(end, Math.max(0, pos - 1));
        from = Math.max(0, to - perPage);
      }
      fallbackSeq = c.dir === 'a' ? c.value : from > 0 ? this.dataset.atPosition(from - 1).seq : 0;
    } else {
      const st = this.startTime(q, now);
      from = this.dataset.positionAtTime(st);
      to = Math.min(end, from + perPage);
      fallbackSeq = from > 0 ? this.dataset.atPosition(from - 1).seq : 0;
    }
    if (to < from) to = from;
    const positions: number[] = [];
    for (let p = from; p < to; p++) positions.push(p);
    const tickets = this.exportTickets(positions, q);
    const afterSeq = to > from ? this.dataset.atPosition(to - 1).seq : fallbackSeq;
    const afterCursor = encodeCursor('a', afterSeq);
    const beforeCursor = to > from ? encodeCursor('b', this.dataset.atPosition(from).seq) : null;
    const base = `${this.baseUrl}/api/v2/incremental/tickets/cursor.json`;
    const body: Record<string, unknown> = {
      tickets,
      after_url: `${base}?${this.exportQuery(q, { cursor: afterCursor })}`,
      after_cursor: afterCursor,
      before_url: beforeCursor ? `${base}?${this.exportQuery(q, { cursor: beforeCursor })}` : null,
      before_cursor: beforeCursor,
      end_of_stream: to >= end,
    };
    this.sideload(body, tickets, this.includes(q));
    return { body, items: tickets.length };
  }

  /** GET /api/v2/incremental/tickets.json (time-based) */
  private timeExport(q: URLSearchParams, now: number): { body: unknown; items: number } {
    const perPage = this.perPage(q, 'per_page', 1000, 1000);
    const st = this.startTime(q, now);
    const end = this.exportEnd(now);
    const from = this.dataset.positionAtTime(st);
    let to = Math.min(end, from + perPage);
    // Like Zendesk: never split tickets sharing the last timestamp across pages.
    if (to > from) {
      const lastGts = this.dataset.atPosition(to - 1).gts;
      while (to < end && this.dataset.atPosition(to).gts === lastGts) to++;
    }
    const positions: number[] = [];
    for (let p = from; p < to; p++) positions.push(p);
    const tickets = this.exportTickets(positions, q);
    let endTime = to > from ? this.dataset.atPosition(to - 1).gts : st;
    if (endTime === st && to > from) endTime = st + 1; // everything at st was returned
    const body: Record<string, unknown> = {
      tickets,
      next_page: `${this.baseUrl}/api/v2/incremental/tickets.json?${this.exportQuery(q, { start_time: String(endTime) })}`,
      count: tickets.length,
      end_of_stream: to >= end,
      end_time: endTime,
    };
    this.sideload(body, tickets, this.includes(q));
    return { body, items: tickets.length };
  }

  /** GET /api/v2/incremental/ticket_events.json */
  private eventExport(q: URLSearchParams, now: number): { body: unknown; items: number } {
    const perPage = this.perPage(q, 'per_page', 1000, 1000);
    const st = this.startTime(q, now);
    const includeComments = this.includes(q).has('comment_events');
    const ds = this.dataset;
    const total = ds.eventCount;
    const lag = this.options.exportLagSec ?? 0;
    const end = lag > 0 ? ds.eventPositionAtTime(Math.floor(now / 1000) - lag + 1) : total;
    const from = ds.eventPositionAtTime(st);
    let to = Math.min(end, from + perPage);
    if (to > from) {
      const lastTs = ds.eventTimestampAt(to - 1);
      while (to < end && ds.eventTimestampAt(to) === lastTs) to++;
    }
    const events = [];
    for (let p = from; p < to; p++) events.push(ds.eventAt(p, includeComments));
    let endTime = to > from ? ds.eventTimestampAt(to - 1) : st;
    if (endTime === st && to > from) endTime = st + 1;
    const keep = new URLSearchParams();
    for (const key of ['per_page', 'include']) {
      const v = q.get(key);
      if (v !== null) keep.set(key, v);
    }
    keep.set('start_time', String(endTime));
    return {
      body: {
        ticket_events: events,
        next_page: `${this.baseUrl}/api/v2/incremental/ticket_events.json?${keep.toString()}`,
        count: events.length,
        end_of_stream: to >= end,
        end_time: endTime,
      },
      items: events.length,
    };
  }

  /** GET /api/v2/tickets/{id}/comments */
  private comments(ticketId: number, q: URLSearchParams): { body: unknown; items: number } {
    if (!this.dataset.hasTicket(ticketId) || this.dataset.isDeleted(ticketId)) throw new HttpError(404, NOT_FOUND);
    let all: ThreadComment[] = this.dataset.getComments(ticketId);
    const desc = q.get('sort_order') === 'desc' || q.get('sort') === '-created_at';
    if (desc) all = all.slice().reverse();
    const include = this.includes(q);
    const base = `${this.baseUrl}/api/v2/tickets/${ticketId}/comments.json`;
    const cursorMode = [...q.keys()].some((k) => k.startsWith('page['));
    const withUsers = (body: Record<string, unknown>, page: ZendeskComment[]): Record<string, unknown> => {
      if (include.has('users')) {
        const ids = [...new Set(page.map((c) => c.author_id))];
        body['users'] = ids.map((id) => this.dataset.getUser(id)).filter((u): u is ZendeskUser => u !== null);
      }
      return body;
    };
    if (cursorMode) {
      const rawSize = q.get('page[size]');
      let size = 100;
      if (rawSize !== null) {
        if (!/^\d+$/.test(rawSize) || Number(rawSize) < 1) {
          throw new HttpError(400, { error: 'InvalidPaginationParameter', description: 'page[size] must be a positive integer' });
        }
        if (Number(rawSize) > 100) {
          throw new HttpError(400, { error: 'InvalidPaginationParameter', description: 'page[size] must be less than or equal to 100' });
        }
        size = Number(rawSize);
      }
      let from = 0;
      let to: number;
      const after = q.get('page[after]');
      const before = q.get('page[before]');
      if (after) {
        const c = decodeCursor(after, ['c']);
        if (!c) throw new HttpError(400, { error: 'InvalidPaginationParameter', description: 'Invalid page[after] cursor' });
        from = c.value + 1;
        to = Math.min(all.length, from + size);
      } else if (before) {
        const c = decodeCursor(before, ['c']);
        if (!c) throw new HttpError(400, { error: 'InvalidPaginationParameter', description: 'Invalid page[before] cursor' });
        to = Math.max(0, Math.min(all.length, c.value));
        from = Math.max(0, to - size);
      } else {
        to = Math.min(all.length, size);
      }
      const page = all.slice(from, to).map(toApiComment);
      const hasMore = to < all.length;
      const afterCursor = to > from ? encodeCursor('c', to - 1) : null;
      const beforeCursor = to > from ? encodeCursor('c', from) : null;
      const sizeQ = `page[size]=${size}${desc ? '&sort_order=desc' : ''}`;
      const sideQ = include.size > 0 ? `&include=${[...include].join(',')}` : '';
      const body = {
        comments: page,
        meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
        links: {
          prev: beforeCursor && from > 0 ? `${base}?${sizeQ}&page[before]=${beforeCursor}${sideQ}` : null,
          next: afterCursor && hasMore ? `${base}?${sizeQ}&page[after]=${afterCursor}${sideQ}` : null,
        },
      };
      return { body: withUsers(body, page), items: page.length };
    }
    // Offset pagination (Zendesk's default when no page[...] parameter is given)
    const perPage = this.perPage(q, 'per_page', 100, 100);
    const pageNo = this.perPage(q, 'page', 1, Number.MAX_SAFE_INTEGER);
    const from = (pageNo - 1) * perPage;
    const page = all.slice(from, from + perPage).map(toApiComment);
    const body = {
      comments: page,
      next_page: from + perPage < all.length ? `${base}?page=${pageNo + 1}&per_page=${perPage}` : null,
      previous_page: pageNo > 1 ? `${base}?page=${pageNo - 1}&per_page=${perPage}` : null,
      count: all.length,
    };
    return { body: withUsers(body, page), items: page.length };
  }

  /** GET /api/v2/search.json — small query language subset; 1,000-result window. */
  private search(q: URLSearchParams, now: number): { body: unknown; items: number } {
    const query = q.get('query');
    if (!query) throw new HttpError(400, { error: 'InvalidValue', description: 'query is required' });
    const perPage = this.perPage(q, 'per_page', 100, 100);
    const pageNo = this.perPage(q, 'page', 1, Number.MAX_SAFE_INTEGER);
    if (pageNo * perPage > 1000) {
      throw new HttpError(422, {
        error: 'invalid',
        description: 'Invalid search: Requested response size was greater than Search Response Limits',
      });
    }
    const parsed = parseSearch(query);
    const ds = this.dataset;
    type Result = Record<string, unknown> & { result_type: string };
    let results: Result[] = [];
    const matchText = (hay: string): boolean => parsed.text.every((w) => hay.includes(w));
    if (parsed.type === 'user') {
      results = ds
        .users()
        .filter((u) => matchText(`${u.name} ${u.email}`.toLowerCase()))
        .map((u) => ({ ...u, result_type: 'user' }));
    } else if (parsed.type === 'organization') {
      results = ds
        .organizations()
        .filter((o) => matchText(o.name.toLowerCase()))
        .map((o) => ({ ...o, result_type: 'organization' }));
    } else {
      const delay = this.options.searchIndexDelaySec ?? 0;
      const visibleUntil = Math.floor(now / 1000) - delay;
      const matches: Array<{ id: number; created: number; updated: number }> = [];
      for (const id of ds.ticketIds()) {
        const f = ds.ticketFacts(id);
        if (!f || f.status === 'deleted' || f.createdAt > visibleUntil) continue;
        if (!parsed.filters.every((flt) => flt(f))) continue;
        if (parsed.text.length > 0 || parsed.tags.length > 0) {
          const t = ds.getTicket(id) as ZendeskTicket;
          if (!parsed.tags.every((tag) => t.tags.includes(tag))) continue;
          if (parsed.text.length > 0 && !matchText(`${t.subject}\n${t.description}`.toLowerCase())) continue;
        }
        matches.push({ id, created: f.createdAt, updated: f.updatedAt });
      }
      const sortBy = q.get('sort_by') ?? 'updated_at';
      const asc = q.get('sort_order') === 'asc';
      matches.sort((a, b) => {
        const d = sortBy === 'created_at' ? a.created - b.created : a.updated - b.updated;
        return (asc ? d : -d) || (asc ? a.id - b.id : b.id - a.id);
      });
      const count = matches.length;
      const pageItems = matches.slice((pageNo - 1) * perPage, pageNo * perPage);
      const tickets = pageItems.map((m) => ({ ...(ds.getTicket(m.id) as ZendeskTicket), result_type: 'ticket' }));
      return { body: this.searchBody(tickets, count, pageNo, perPage, q), items: tickets.length };
    }
    const count = results.length;
    const page = results.slice((pageNo - 1) * perPage, pageNo * perPage);
    return { body: this.searchBody(page, count, pageNo, perPage, q), items: page.length };
  }

  private searchBody(results: unknown[], count: number, pageNo: number, perPage: number, q: URLSearchParams): unknown {
    const link = (page: number): string => {
      const p = new URLSearchParams(q);
      p.set('page', String(page));
      p.set('per_page', String(perPage));
      return `${this.baseUrl}/api/v2/search.json?${p.toString()}`;
    };
    const reachable = Math.min(count, 1000);
    return {
      results,
      facets: null,
      next_page: pageNo * perPage < reachable ? link(pageNo + 1) : null,
      previous_page: pageNo > 1 ? link(pageNo - 1) : null,
      count,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function emptyStats(): SimStats {
  return { requests: 0, byEndpoint: {}, byStatus: {}, rateLimited: 0, faultsInjected: 0, violations: 0, unauthorized: 0 };
}

export function endpointName(path: string): string {
  const p = path.replace(/\.json$/, '').replace(/\/+$/, '');
  if (p === '/api/v2/incremental/tickets/cursor') return 'incremental.tickets.cursor';
  if (p === '/api/v2/incremental/tickets') return 'incremental.tickets';
  if (p === '/api/v2/incremental/ticket_events') return 'incremental.ticket_events';
  if (p === '/api/v2/users/me') return 'users.me';
  if (p === '/api/v2/tickets/show_many') return 'tickets.show_many';
  if (p === '/api/v2/users/show_many') return 'users.show_many';
  if (/^\/api\/v2\/tickets\/\d+\/comments$/.test(p)) return 'tickets.comments';
  if (/^\/api\/v2\/tickets\/\d+$/.test(p)) return 'tickets.show';
  if (/^\/api\/v2\/users\/\d+$/.test(p)) return 'users.show';
  if (/^\/api\/v2\/organizations\/\d+$/.test(p)) return 'organizations.show';
  if (p === '/api/v2/search') return 'search';
  return 'unknown';
}

function encodeCursor(dir: string, value: number): string {
  return Buffer.from(`${dir}:${value}`).toString('base64url');
}

function decodeCursor(cursor: string, dirs: string[]): { dir: string; value: number } | null {
  let text: string;
  try {
    text = Buffer.from(cursor, 'base64url').toString('utf8');
  } catch {
    return null;
  }
  const m = /^([a-z]):(\d+)$/.exec(text);
  if (!m || !dirs.includes(m[1] as string)) return null;
  return { dir: m[1] as string, value: Number(m[2]) };
}

interface ParsedSearch {
  type: 'ticket' | 'user' | 'organization';
  text: string[];
  tags: string[];
  filters: Array<(f: { status: ZendeskTicketStatus; createdAt: number; updatedAt: number; organizationId: number | null; requesterId: number | null }) => boolean>;
}

/**
 * Supported: `type:ticket|user|organization`, `status:x`, `status<x`, `status>x` (and <=, >=),
 * `created>2024-01-31` / `created<...` / `updated>...` (date or ISO time), `tags:x`,
 * `organization:id`, `requester:id`, and free words (all must occur in subject or description).
 */
export function parseSearch(query: string): ParsedSearch {
  const out: ParsedSearch = { type: 'ticket', text: [], tags: [], filters: [] };
  const tokens = query.match(/"[^"]*"|\S+/g) ?? [];
  for (const raw of tokens) {
    const token = raw.replace(/^"|"$/g, '');
    const m = /^(\w+)(:|<=|>=|<|>)(.+)$/.exec(raw);
    if (!m) {
      if (token.trim()) out.text.push(token.toLowerCase());
      continue;
    }
    const [, key, op, value] = m as unknown as [string, string, string, string];
    const k = key.toLowerCase();
    if (k === 'type') {
      if (value === 'user' || value === 'organization' || value === 'ticket') out.type = value;
    } else if (k === 'status') {
      const idx = STATUS_ORDER.indexOf(value as ZendeskTicketStatus);
      out.filters.push((f) => {
        const s = STATUS_ORDER.indexOf(f.status);
        if (op === ':') return f.status === value;
        if (op === '<') return s < idx;
        if (op === '<=') return s <= idx;
        if (op === '>') return s > idx;
        return s >= idx;
      });
    } else if (k === 'created' || k === 'updated') {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) continue;
      const t = Math.floor(ms / 1000);
      const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
      out.filters.push((f) => {
        const v = k === 'created' ? f.createdAt : f.updatedAt;
        if (op === ':') return dayOnly ? v >= t && v < t + 86_400 : v === t;
        if (op === '<') return v < t;
        if (op === '<=') return v <= (dayOnly ? t + 86_399 : t);
        if (op === '>') return v > (dayOnly ? t + 86_399 : t);
        return v >= t;
      });
    } else if (k === 'tags' || k === 'tag') {
      out.tags.push(value.toLowerCase());
    } else if (k === 'organization' && /^\d+$/.test(value)) {
      out.filters.push((f) => f.organizationId === Number(value));
    } else if (k === 'requester' && /^\d+$/.test(value)) {
      out.filters.push((f) => f.requesterId === Number(value));
    } else {
      out.text.push(token.toLowerCase());
    }
  }
  return out;
}
