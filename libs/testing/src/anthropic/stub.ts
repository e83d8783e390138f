/**
 * An HTTP server that speaks the parts of the Anthropic API the product uses, so that the real
 * `@anthropic-ai/sdk` can be pointed at it with `baseURL`:
 *
 *   POST   /v1/messages                         forced tool use, JSON output, text; usage with prompt caching
 *   POST   /v1/messages/count_tokens
 *   POST   /v1/messages/batches                 GET /v1/messages/batches[/{id}[/results]]
 *   POST   /v1/messages/batches/{id}/cancel     DELETE /v1/messages/batches/{id}
 *   GET    /v1/models[/{id}]
 *
 * Every request is recorded (`requests`), every billed answer too (`usageLedger`, `totals()`); faults can be
 * queued (`injectFault`), retries that ignore `retry-after` are recorded (`violations`), and `receivedText()`
 * returns every string the stub was sent (to prove that redacted personal data never left the product).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildInputFromSchema, findProblemSentences } from './extraction';
import { AnthropicJsonSchema, deref, isPlainObject, validateJsonSchema } from './json-schema';
import { truncateJsonValue } from './partial-json';
import { PromptCache, TokenCounter, estimateTokens, promptUnits } from './prompt-cache';
import {
  AnthropicBatchOutcome,
  AnthropicResponder,
  AnthropicResponderRequest,
  AnthropicStubClock,
  AnthropicStubFault,
  AnthropicStubModel,
  AnthropicStubOptions,
  AnthropicStubRequestRecord,
  AnthropicStubTotals,
  AnthropicStubViolation,
  AnthropicTextResponder,
  AnthropicToolDefinition,
  AnthropicUsage,
  AnthropicUsageRecord,
  AnthropicUsageTotals,
} from './types';

export const ANTHROPIC_STUB_API_KEY = 'sk-ant-stub-0000000000000000';
export const ANTHROPIC_API_VERSION = '2023-06-01';

export const DEFAULT_ANTHROPIC_STUB_MODELS: AnthropicStubModel[] = [
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  {
    id: 'claude-haiku-4-5-20251001',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-15T00:00:00Z',
    aliases: ['claude-haiku-4-5'],
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
    aliases: ['claude-sonnet-4-5'],
  },
];

const MAX_MESSAGE_BODY_BYTES = 32 * 1024 * 1024;
const MAX_BATCH_BODY_BYTES = 256 * 1024 * 1024;
const BATCH_EXPIRY_MS = 24 * 60 * 60_000;

const MESSAGE_PARAMS = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'tools',
  'tool_choice',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'stream',
  'metadata',
  'thinking',
  'service_tier',
  'output_config',
  'output_format',
  'container',
  'mcp_servers',
  'context_management',
  'inference_geo',
]);
const COUNT_TOKENS_PARAMS = new Set([
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'output_format',
  'mcp_servers',
  'context_management',
]);
const CONTENT_BLOCK_TYPES = new Set([
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'search_result',
  'server_tool_use',
  'web_search_tool_result',
  'container_upload',
]);

/** `msg_01…`, `toolu_01…`, `msgbatch_01…`, `req_011C…`: prefix + base62. */
function randomId(prefix: string, length = 24): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += alphabet[b % 62];
  return `${prefix}${s}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function displayNameOf(id: string): string {
  const m = /^claude-([a-z]+)-(\d+)(?:-(\d))?(?:-\d{8})?$/.exec(id);
  if (!m) return id;
  const family = (m[1] ?? '').charAt(0).toUpperCase() + (m[1] ?? '').slice(1);
  return `Claude ${family} ${m[2]}${m[3] ? `.${m[3]}` : ''}`;
}

function defaultMinCacheable(id: string): number {
  if (/haiku-4|opus-4-[5-9]|opus-[5-9]/.test(id)) return 4096;
  if (/haiku-3/.test(id)) return 2048;
  return 1024;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const invalid = (message: string): ApiError => new ApiError(400, 'invalid_request_error', message);

function emptyTotals(): AnthropicUsageTotals {
  return {
    messages: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    ephemeral_5m_input_tokens: 0,
    ephemeral_1h_input_tokens: 0,
  };
}

function addUsage(t: AnthropicUsageTotals, u: AnthropicUsage): void {
  t.messages++;
  t.input_tokens += u.input_tokens;
  t.output_tokens += u.output_tokens;
  t.cache_creation_input_tokens += u.cache_creation_input_tokens;
  t.cache_read_input_tokens += u.cache_read_input_tokens;
  t.ephemeral_5m_input_tokens += u.cache_creation.ephemeral_5m_input_tokens;
  t.ephemeral_1h_input_tokens += u.cache_creation.ephemeral_1h_input_tokens;
}

/** Collects every string leaf of a JSON value. */
function collectStrings(v: unknown, out: string[], depth = 0): void {
  if (depth > 100) return;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collectStrings(x, out, depth + 1));
  else if (isPlainObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      collectStrings(x, out, depth + 1);
    }
  }
}

/** Joins the text of the user turns. */
function userTextOf(params: Record<string, unknown>): string {
  const messages = Array.isArray(params['messages']) ? params['messages'] : [];
  const parts: string[] = [];
  for (const m of messages) {
    if (!isPlainObject(m) || m['role'] !== 'user') continue;
    const c = m['content'];
    if (typeof c === 'string') parts.push(c);
    else if (Array.isArray(c)) {
      for (const b of c) {
        if (isPlainObject(b) && b['type'] === 'text' && typeof b['text'] === 'string') parts.push(b['text']);
        if (
          isPlainObject(b) &&
          b['type'] === 'document' &&
          isPlainObject(b['source']) &&
          typeof b['source']['data'] === 'string' &&
          b['source']['type'] === 'text'
        ) {
          parts.push(b['source']['data']);
        }
      }
    }
  }
  return parts.join('\n\n');
}

function systemTextOf(params: Record<string, unknown>): string {
  const s = params['system'];
  if (typeof s === 'string') return s;
  if (Array.isArray(s))
    return s.map((b) => (isPlainObject(b) && typeof b['text'] === 'string' ? b['text'] : '')).join('\n\n');
  return '';
}

/** The content of `<ticket …>…</ticket>` elements, if any; else the whole text. */
export function ticketTextOf(userText: string): string {
  const parts: string[] = [];
  const re = /<ticket\b[^>]*>([\s\S]*?)<\/ticket>/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(userText)) !== null) parts.push(m[1] ?? '');
  return parts.length > 0 ? parts.join('\n\n') : userText;
}

/** Default text answer: the problem sentences found, or that there are none. */
function defaultText(req: AnthropicResponderRequest): string {
  const problems = findProblemSentences(req.ticketText);
  if (problems.length === 0) return 'No product problem is described in this text.';
  return `Product problems described:\n${problems.map((p, i) => `${i + 1}. ${p.text}`).join('\n')}`;
}

/** A copy of a schema-valid `input` that is still valid JSON but violates `schema`. */
export function corruptToolInput(schema: AnthropicJsonSchema, input: unknown): unknown {
  const root = schema;
  const candidates: Array<() => unknown> = [];
  // 1. An enum value replaced by one outside the enum.
  candidates.push(() => {
    const copy = JSON.parse(JSON.stringify(input ?? {})) as unknown;
    const done = { v: false };
    const visit = (s: AnthropicJsonSchema, v: unknown, set: (x: unknown) => void, depth: number): void => {
      if (done.v || depth > 32) return;
      const d = deref(root, s);
      if (!isPlainObject(d)) return;
      if (Array.isArray(d['enum']) && typeof v !== 'object') {
        set('not_a_valid_value');
        done.v = true;
        return;
      }
      if (isPlainObject(v) && isPlainObject(d['properties'])) {
        for (const [k, sub] of Object.entries(d['properties'] as Record<string, AnthropicJsonSchema>)) {
          if (k in v) visit(sub, v[k], (x) => (v[k] = x), depth + 1);
        }
      }
      if (Array.isArray(v) && d['items'] !== undefined) {
        v.forEach((item, i) => visit(d['items'] as AnthropicJsonSchema, item, (x) => (v[i] = x), depth + 1));
      }
    };
    visit(root, copy, () => undefined, 0);
    return copy;
  });
  // 2. A required top-level property removed.
  candidates.push(() => {
    const d = deref(root, root);
    const copy = JSON.parse(JSON.stringify(input ?? {})) as Record<string, unknown>;
    const req = isPlainObject(d) && Array.isArray(d['required']) ? (d['required'] as string[]) : [];
    if (req[0] !== undefined && isPlainObject(copy)) delete copy[req[0]];
    return copy;
  });
  // 3. The first property given the wrong type.
  candidates.push(() => {
    const copy = JSON.parse(JSON.stringify(input ?? {})) as Record<string, unknown>;
    const first = isPlainObject(copy) ? Object.keys(copy)[0] : undefined;
    if (first !== undefined) copy[first] = typeof copy[first] === 'number' ? 'not a number' : 12345;
    else return { unexpected_field: 12345, issues: 'not an array' };
    return copy;
  });
  for (const make of candidates) {
    const v = make();
    if (validateJsonSchema(root, v).length > 0) return v;
  }
  return { unexpected_field: 12345 };
}

interface BatchItem {
  customId: string;
  params: unknown;
  result?: Record<string, unknown>;
}

interface BatchState {
  id: string;
  createdAt: number;
  endsAt: number | null;
  expiresAt: number;
  endedAt: number | null;
  cancelInitiatedAt: number | null;
  status: 'in_progress' | 'canceling' | 'ended';
  items: BatchItem[];
  /** request-id and headers of the creation request. */
  requestId: string;
  headers: Record<string, string>;
  origin: string;
  /** Set while the batch's requests are being processed. */
  finishing?: Promise<void>;
}

interface QueuedFault {
  fault: AnthropicStubFault;
  remaining: number;
}

interface RetryWindow {
  notBefore: number;
  requestId: string;
  retryAfterSeconds?: number;
  kind: 'retry_after' | 'spend_limit';
}

interface MessageResult {
  message: Record<string, unknown>;
  usage: AnthropicUsage;
  stopReason: string;
}

const POST_FAULTS = new Set(['malformed_tool_input', 'max_tokens']);

export class AnthropicStub {
  /** Every HTTP request received, in arrival order. */
  readonly requests: AnthropicStubRequestRecord[] = [];
  /** Every billed answer: realtime messages and succeeded batch requests (`batch: true`). */
  readonly usageLedger: AnthropicUsageRecord[] = [];
  /** Retries that did not honour `retry-after`, and repeats of a spend-limited request. */
  readonly violations: AnthropicStubViolation[] = [];

  responder: AnthropicResponder | undefined;
  textResponder: AnthropicTextResponder | undefined;

  private server: Server | undefined;
  private baseUrl = '';
  private readonly clock: AnthropicStubClock;
  private readonly count: TokenCounter;
  private readonly apiKeys: Set<string>;
  private readonly apiVersions: Set<string>;
  private readonly models: AnthropicStubModel[];
  private readonly modelIndex = new Map<string, AnthropicStubModel>();
  private readonly cache = new PromptCache();
  private readonly faultQueue: QueuedFault[] = [];
  private readonly batches = new Map<string, BatchState>();
  private readonly batchOverrides = new Map<string, { outcome: AnthropicBatchOutcome; remaining: number }>();
  private readonly retryWindows = new Map<string, RetryWindow>();
  private clientWindow: RetryWindow | undefined;
  private readonly received: string[] = [];

  constructor(private readonly options: AnthropicStubOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.count = options.tokenCounter ?? estimateTokens;
    this.apiKeys = new Set(options.apiKeys ?? [ANTHROPIC_STUB_API_KEY]);
    this.apiVersions = new Set(options.apiVersions ?? [ANTHROPIC_API_VERSION]);
    this.models = (options.models ?? DEFAULT_ANTHROPIC_STUB_MODELS).map((m) =>
      typeof m === 'string' ? { id: m } : { ...m },
    );
    this.models.forEach((m, i) => {
      m.display_name ??= displayNameOf(m.id);
      m.created_at ??= iso(Date.UTC(2025, 0, 1) + (this.models.length - i) * 86_400_000);
      this.modelIndex.set(m.id, m);
      for (const a of m.aliases ?? []) this.modelIndex.set(a, m);
    });
    this.responder = options.responder;
    this.textResponder = options.textResponder;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /** Starts listening (port 0: any free port) and returns the base URL to give the SDK as `baseURL`. */
  async start(port = 0): Promise<{ url: string }> {
    if (this.server) return { url: this.baseUrl };
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.sendError(
            res,
            randomId('req_011C'),
            new ApiError(500, 'api_error', `stub failure: ${(err as Error)?.message ?? String(err)}`),
          );
        }
      });
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    return { url: this.baseUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return this.baseUrl;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Test controls

  /** Queues a fault; faults are matched in order by path (and method / predicate). */
  injectFault(fault: AnthropicStubFault): this {
    this.faultQueue.push({ fault, remaining: fault.count ?? 1 });
    return this;
  }

  /** Faults still queued, with the number of requests each will still affect. */
  get pendingFaults(): Array<AnthropicStubFault & { remaining: number }> {
    return this.faultQueue.map((q) => ({ ...q.fault, remaining: q.remaining }));
  }

  clearFaults(): void {
    this.faultQueue.length = 0;
  }

  /** Sets the outcome of the batch request with this custom_id, for its next `times` batches (default 1). */
  setBatchOutcome(customId: string, outcome: AnthropicBatchOutcome, times = 1): this {
    this.batchOverrides.set(customId, { outcome, remaining: times });
    return this;
  }

  /** Ends every unfinished batch now (processing its requests). Returns how many batches ended. */
  async completeBatches(): Promise<number> {
    let n = 0;
    for (const b of this.batches.values()) {
      if (b.status === 'ended') continue;
      await this.finishBatch(b, b.status === 'canceling' ? 'cancel' : 'process');
      n++;
    }
    return n;
  }

  /** Every string the stub received: JSON string values and keys of bodies, raw non-JSON bodies, paths with queries. */
  receivedText(): string[] {
    return [...this.received];
  }

  /** Clears the prompt cache. */
  clearCache(): void {
    this.cache.clear();
  }

  /** Live prompt-cache entries. */
  cacheEntries(): number {
    return this.cache.liveEntries(this.clock.now());
  }

  /** Usage summed over the ledger: overall, realtime, batch, and per model. */
  totals(): AnthropicStubTotals {
    const all = emptyTotals();
    const realtime = emptyTotals();
    const batch = emptyTotals();
    const byModel: Record<string, AnthropicUsageTotals> = {};
    for (const r of this.usageLedger) {
      addUsage(all, r.usage);
      addUsage(r.batch ? batch : realtime, r.usage);
      addUsage((byModel[r.model] ??= emptyTotals()), r.usage);
    }
    return { ...all, realtime, batch, byModel };
  }

  /** Back to a fresh state: forgets requests, usage, violations, received text, faults, batches and overrides, the cache. */
  reset(): void {
    this.requests.length = 0;
    this.usageLedger.length = 0;
    this.violations.length = 0;
    this.received.length = 0;
    this.faultQueue.length = 0;
    this.batchOverrides.clear();
    this.batches.clear();
    this.retryWindows.clear();
    this.clientWindow = undefined;
    this.cache.clear();
  }

  /** The minimum cacheable prefix (tokens) used for a model. */
  minCacheableTokens(model: string): number {
    const o = this.options.minCacheableTokens;
    if (typeof o === 'number') return o;
    if (typeof o === 'function') return o(model);
    const m = this.modelIndex.get(model);
    return m?.minCacheableTokens ?? defaultMinCacheable(m?.id ?? model);
  }

  // -------------------------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomId('req_011C', 22);
    const url = new URL(req.url ?? '/', 'http://stub.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    const limit = path === '/v1/messages/batches' ? MAX_BATCH_BODY_BYTES : MAX_MESSAGE_BODY_BYTES;

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > limit) tooLarge = true;
      else chunks.push(b);
    }
    const rawBody = tooLarge ? '' : Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    let bodyParseError = false;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyParseError = true;
      }
    }
    const record: AnthropicStubRequestRecord = {
      requestId,
      time: this.clock.now(),
      method,
      path,
      query: url.search,
      headers,
      rawBody,
      body,
      status: 0,
    };
    const retryHeader = headers['x-stainless-retry-count'];
    if (retryHeader !== undefined && /^\d+$/.test(retryHeader)) record.retryCount = Number(retryHeader);
    this.requests.push(record);
    this.received.push(decodeURIComponent(url.pathname + url.search));
    if (body !== undefined) collectStrings(body, this.received);
    else if (rawBody !== '') this.received.push(rawBody);

    const respond = (
      status: number,
      payload: unknown,
      extra: Record<string, string> = {},
      contentType = 'application/json',
    ): void => {
      record.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': contentType, 'request-id': requestId, ...extra });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const fail = (err: ApiError): void => {
      record.status = err.status;
      record.errorType = err.type;
      this.sendError(res, requestId, err);
    };

    try {
      if (!path.startsWith('/v1/')) throw new ApiError(404, 'not_found_error', 'Not Found');
      const apiKey = headers['x-api-key'];
      if (apiKey === undefined || apiKey === '')
        throw new ApiError(401, 'authentication_error', 'x-api-key header is required');
      if (!this.apiKeys.has(apiKey)) throw new ApiError(401, 'authentication_error', 'invalid x-api-key');
      const version = headers['anthropic-version'];
      if (version === undefined || version === '') throw invalid('anthropic-version: header is required');
      if (!this.apiVersions.has(version)) throw invalid(`anthropic-version: invalid version "${version}"`);

      this.checkRetryDiscipline(method, path, rawBody, record);

      const fault = this.takeFault(method, path, body, headers);
      if (fault) {
        record.fault = fault.kind;
        const delay = fault.delayMs ?? (fault.kind === 'slow' ? 1000 : 0);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (fault.kind === 'disconnect') {
          record.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault.kind !== 'slow') throw this.faultError(fault, method, path, rawBody, requestId);
      }
      if (tooLarge)
        throw new ApiError(413, 'request_too_large', `Request exceeds the maximum allowed number of bytes (${limit}).`);
      if (bodyParseError) throw invalid('There was an error parsing the body of your request: it is not valid JSON.');

      await this.route(method, path, url, body, headers, record, respond);
    } catch (err) {
      fail(
        err instanceof ApiError
          ? err
          : new ApiError(
              500,
              'api_error',
              `Anthropic stub failure: ${err instanceof Error ? err.message : String(err)}`,
            ),
      );
    }
  }

  private sendError(res: ServerResponse, requestId: string, err: ApiError): void {
    if (res.destroyed || res.headersSent) return;
    const error: Record<string, unknown> = { type: err.type, message: err.message };
    if (err.details !== undefined) error['details'] = err.details;
    res.writeHead(err.status, { 'content-type': 'application/json', 'request-id': requestId, ...err.headers });
    res.end(JSON.stringify({ type: 'error', error, request_id: requestId }));
  }

  private async route(
    method: string,
    path: string,
    url: URL,
    body: unknown,
    headers: Record<string, string>,
    record: AnthropicStubRequestRecord,
    respond: (status: number, payload: unknown, extra?: Record<string, string>, contentType?: string) => void,
  ): Promise<void> {
    if (path === '/v1/messages' && method === 'POST') {
      const params = this.requireObject(body);
      if (params['stream'] === true)
        throw invalid('stream: streaming is not supported by the Anthropic stub; send stream: false');
      const fault = this.peekFault(method, path, body, headers);
      const result = await this.createMessage(params, {
        batch: false,
        headers,
        fault,
        onFaultUsed: () => this.consumeFault(fault),
      });
      if (fault && result.faultApplied) record.fault = fault.kind;
      record.usage = result.usage;
      record.model = String(result.message['model']);
      record.stopReason = result.stopReason;
      this.usageLedger.push({
        time: this.clock.now(),
        model: record.model,
        batch: false,
        requestId: record.requestId,
        messageId: String(result.message['id']),
        stopReason: result.stopReason,
        usage: result.usage,
      });
      respond(200, result.message, this.rateLimitHeaders());
      return;
    }
    if (path === '/v1/messages/count_tokens' && method === 'POST') {
      const params = this.requireObject(body);
      this.validateParams(params, 'count_tokens');
      const units = promptUnits(params, this.count);
      respond(200, { input_tokens: units.reduce((s, u) => s + u.tokens, 0) });
      return;
    }
    if (path === '/v1/models' && method === 'GET') {
      const sorted = [...this.models].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
      respond(
        200,
        this.page(
          sorted.map((m) => this.modelObject(m)),
          url,
        ),
      );
      return;
    }
    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (modelMatch && method === 'GET') {
      const id = decodeURIComponent(modelMatch[1] ?? '');
      const m = this.modelIndex.get(id);
      if (!m) throw new ApiError(404, 'not_found_error', `model: ${id}`);
      respond(200, this.modelObject(m));
      return;
    }

    if (path === '/v1/messages/batches' && method === 'POST') {
      const batch = this.createBatch(body, record.requestId, headers);
      respond(200, this.batchObject(batch));
      return;
    }
    if (path === '/v1/messages/batches' && method === 'GET') {
      await this.settleBatches();
      const list = [...this.batches.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      respond(
        200,
        this.page(
          list.map((b) => this.batchObject(b)),
          url,
        ),
      );
      return;
    }
    const batchMatch = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/.exec(path);
    if (batchMatch) {
      const id = decodeURIComponent(batchMatch[1] ?? '');
      const sub = batchMatch[2];
      await this.settleBatches();
      const batch = this.batches.get(id);
      if (!batch) throw new ApiError(404, 'not_found_error', `Message batch ${id} not found.`);
      if (sub === undefined && method === 'GET') {
        respond(200, this.batchObject(batch));
        return;
      }
      if (sub === undefined && method === 'DELETE') {
        if (batch.status !== 'ended')
          throw invalid(`Message batch ${id} cannot be deleted while it is still processing; cancel it first.`);
        this.batches.delete(id);
        respond(200, { id, type: 'message_batch_deleted' });
        return;
      }
      if (sub === '/cancel' && method === 'POST') {
        if (batch.status === 'in_progress') {
          batch.status = 'canceling';
          batch.cancelInitiatedAt = this.clock.now();
        }
        respond(200, this.batchObject(batch));
        return;
      }
      if (sub === '/results' && method === 'GET') {
        if (batch.status !== 'ended')
          throw invalid(
            `Message batch ${id} has not finished processing; results are available once processing_status is "ended".`,
          );
        const order = [...batch.items].sort((a, b) => {
          const ha = sha256(`${batch.id}:${a.customId}`);
          const hb = sha256(`${batch.id}:${b.customId}`);
          return ha < hb ? -1 : ha > hb ? 1 : 0;
        });
        if (order.length > 1 && order.every((it, i) => it === batch.items[i])) order.reverse();
        const lines = order.map((it) => JSON.stringify({ custom_id: it.customId, result: it.result })).join('\n');
        respond(200, lines + (lines ? '\n' : ''), {}, 'application/x-jsonl');
        return;
      }
    }
    throw new ApiError(404, 'not_found_error', `Not Found: ${method} ${path}`);
  }

  private requireObject(body: unknown): Record<string, unknown> {
    if (!isPlainObject(body)) throw invalid('The request body must be a JSON object.');
    return body;
  }

  private rateLimitHeaders(): Record<string, string> {
    const reset = iso(this.clock.now() + 60_000);
    return {
      'anthropic-ratelimit-requests-limit': '4000',
      'anthropic-ratelimit-requests-remaining': '3999',
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': '2000000',
      'anthropic-ratelimit-input-tokens-remaining': '2000000',
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-output-tokens-limit': '400000',
      'anthropic-ratelimit-output-tokens-remaining': '400000',
      'anthropic-ratelimit-output-tokens-reset': reset,
    };
  }

  private page(all: Array<Record<string, unknown>>, url: URL): Record<string, unknown> {
    const limitRaw = url.searchParams.get('limit');
    const limit = limitRaw === null ? 20 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalid('limit: Input should be an integer between 1 and 1000');
    const after = url.searchParams.get('after_id');
    const before = url.searchParams.get('before_id');
    let data: Array<Record<string, unknown>>;
    let hasMore: boolean;
    if (before !== null) {
      const i = all.findIndex((x) => x['id'] === before);
      const end = i < 0 ? 0 : i;
      const start = Math.max(0, end - limit);
      data = all.slice(start, end);
      hasMore = start > 0;
    } else {
      const i = after === null ? -1 : all.findIndex((x) => x['id'] === after);
      const start = after === null ? 0 : i < 0 ? all.length : i + 1;
      data = all.slice(start, start + limit);
      hasMore = start + limit < all.length;
    }
    return {
      data,
      has_more: hasMore,
      first_id: data[0]?.['id'] ?? null,
      last_id: data[data.length - 1]?.['id'] ?? null,
    };
  }

  private modelObject(m: AnthropicStubModel): Record<string, unknown> {
    return { type: 'model', id: m.id, display_name: m.display_name ?? displayNameOf(m.id), created_at: m.created_at };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Faults and retry discipline

  private faultMatches(
    f: AnthropicStubFault,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): boolean {
    const p = f.path ?? '/v1/messages';
    if (typeof p === 'string' ? p !== path : !p.test(path)) return false;
    if (f.method && f.method.toUpperCase() !== method) return false;
    if (f.match && !f.match({ method, path, body, headers })) return false;
    return true;
  }

  /** Takes (and counts down) the first matching fault that acts before the answer is built. */
  private takeFault(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): AnthropicStubFault | undefined {
    const q = this.faultQueue.find(
      (x) => !POST_FAULTS.has(x.fault.kind) && this.faultMatches(x.fault, method, path, body, headers),
    );
    if (!q) return undefined;
    q.remaining--;
    if (q.remaining <= 0) this.faultQueue.splice(this.faultQueue.indexOf(q), 1);
    return q.fault;
  }

  private peekFault(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): AnthropicStubFault | undefined {
    return this.faultQueue.find(
      (x) => POST_FAULTS.has(x.fault.kind) && this.faultMatches(x.fault, method, path, body, headers),
    )?.fault;
  }

  private consumeFault(fault: AnthropicStubFault | undefined): void {
    if (!fault) return;
    const q = this.faultQueue.find((x) => x.fault === fault);
    if (!q) return;
    q.remaining--;
    if (q.remaining <= 0) this.faultQueue.splice(this.faultQueue.indexOf(q), 1);
  }

  private faultError(
    f: AnthropicStubFault,
    method: string,
    path: string,
    rawBody: string,
    requestId: string,
  ): ApiError {
    const headers: Record<string, string> = { ...(f.headers ?? {}) };
    const key = `${method} ${path} ${sha256(rawBody)}`;
    const now = this.clock.now();
    const setWindow = (seconds: number): void => {
      const w: RetryWindow = {
        notBefore: now + seconds * 1000,
        requestId,
        retryAfterSeconds: seconds,
        kind: 'retry_after',
      };
      this.retryWindows.set(key, w);
      this.clientWindow = w;
    };
    switch (f.kind) {
      case 'rate_limit': {
        const s = f.retryAfterSeconds ?? 1;
        headers['retry-after'] = String(s);
        headers['anthropic-ratelimit-requests-limit'] = '50';
        headers['anthropic-ratelimit-requests-remaining'] = '0';
        headers['anthropic-ratelimit-requests-reset'] = iso(now + s * 1000);
        setWindow(s);
        return new ApiError(
          429,
          'rate_limit_error',
          f.message ??
            "This request would exceed your organization's rate limit of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
          headers,
        );
      }
      case 'overloaded':
        if (f.retryAfterSeconds !== undefined) {
          headers['retry-after'] = String(f.retryAfterSeconds);
          setWindow(f.retryAfterSeconds);
        }
        return new ApiError(529, 'overloaded_error', f.message ?? 'Overloaded', headers);
      case 'api_error':
        if (f.retryAfterSeconds !== undefined) {
          headers['retry-after'] = String(f.retryAfterSeconds);
          setWindow(f.retryAfterSeconds);
        }
        return new ApiError(500, 'api_error', f.message ?? 'Internal server error', headers);
      case 'spend_limit': {
        const d = new Date(now);
        const reset = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
        this.retryWindows.set(key, { notBefore: Infinity, requestId, kind: 'spend_limit' });
        return new ApiError(
          429,
          'rate_limit_error',
          f.message ??
            `You have reached your monthly spend limit: your organization has crossed its monthly API usage limit. You will regain access on ${reset} at 00:00 UTC.`,
          headers,
          { error_code: 'enforced_spend_limit_reached' },
        );
      }
      default:
        if (f.retryAfterSeconds !== undefined) {
          headers['retry-after'] = String(f.retryAfterSeconds);
          setWindow(f.retryAfterSeconds);
        }
        return new ApiError(f.status ?? 500, f.errorType ?? 'api_error', f.message ?? 'Injected error', headers);
    }
  }

  private checkRetryDiscipline(
    method: string,
    path: string,
    rawBody: string,
    record: AnthropicStubRequestRecord,
  ): void {
    const now = this.clock.now();
    const tolerance = this.options.retryAfterToleranceMs ?? 25;
    const key = `${method} ${path} ${sha256(rawBody)}`;
    const w = this.retryWindows.get(key);
    if (w) {
      if (w.kind === 'spend_limit') {
        this.violations.push({
          kind: 'retry_after_spend_limit',
          time: now,
          method,
          path,
          requestId: record.requestId,
          previousRequestId: w.requestId,
          message: `request ${record.requestId} repeats ${w.requestId}, which was refused because the monthly spend limit was reached`,
        });
        return;
      }
      this.retryWindows.delete(key);
      if (now + tolerance < w.notBefore) {
        this.violations.push({
          kind: 'early_retry',
          time: now,
          method,
          path,
          requestId: record.requestId,
          previousRequestId: w.requestId,
          retryAfterSeconds: w.retryAfterSeconds,
          earlyByMs: w.notBefore - now,
          message: `request ${record.requestId} retried ${w.requestId} ${w.notBefore - now} ms before its retry-after (${w.retryAfterSeconds} s) expired`,
        });
      }
      return;
    }
    const cw = this.clientWindow;
    if (
      this.options.violationScope === 'client' &&
      cw &&
      cw.kind === 'retry_after' &&
      now + tolerance < cw.notBefore &&
      path.startsWith('/v1/messages')
    ) {
      this.violations.push({
        kind: 'request_during_retry_after',
        time: now,
        method,
        path,
        requestId: record.requestId,
        previousRequestId: cw.requestId,
        retryAfterSeconds: cw.retryAfterSeconds,
        earlyByMs: cw.notBefore - now,
        message: `request ${record.requestId} sent ${cw.notBefore - now} ms before the retry-after of ${cw.requestId} expired`,
      });
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Messages

  private resolveModel(id: unknown): AnthropicStubModel {
    if (typeof id !== 'string' || id === '') throw invalid('model: Field required');
    const m = this.modelIndex.get(id);
    if (!m) throw new ApiError(404, 'not_found_error', `model: ${id}`);
    return m;
  }

  private validateCacheControl(block: unknown, where: string, seen: { n: number; sawFiveMinute: boolean }): void {
    if (!isPlainObject(block) || block['cache_control'] === undefined || block['cache_control'] === null) return;
    const cc = block['cache_control'];
    if (!isPlainObject(cc) || cc['type'] !== 'ephemeral')
      throw invalid(`${where}.cache_control.type: Input should be 'ephemeral'`);
    const ttl = cc['ttl'];
    if (ttl !== undefined && ttl !== '5m' && ttl !== '1h')
      throw invalid(`${where}.cache_control.ttl: Input should be '5m' or '1h'`);
    seen.n++;
    if (ttl === '1h' && seen.sawFiveMinute)
      throw invalid(
        `${where}.cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block`,
      );
    if (ttl !== '1h') seen.sawFiveMinute = true;
  }

  /** Validates Messages params like the API does; throws ApiError (400 / 404). */
  private validateParams(p: Record<string, unknown>, kind: 'messages' | 'count_tokens'): AnthropicStubModel {
    const allowed = kind === 'messages' ? MESSAGE_PARAMS : COUNT_TOKENS_PARAMS;
    if (this.options.strictParams !== false) {
      for (const k of Object.keys(p)) if (!allowed.has(k)) throw invalid(`${k}: Extra inputs are not permitted`);
    }
    const model = this.resolveModel(p['model']);
    if (kind === 'messages') {
      const mt = p['max_tokens'];
      if (mt === undefined) throw invalid('max_tokens: Field required');
      if (typeof mt !== 'number' || !Number.isInteger(mt)) throw invalid('max_tokens: Input should be a valid integer');
      if (mt < 1) throw invalid('max_tokens: Input should be greater than or equal to 1');
      const maxOut = model.maxOutputTokens ?? 64000;
      if (mt > maxOut)
        throw invalid(
          `max_tokens: ${mt} > ${maxOut}, which is the maximum allowed number of output tokens for ${model.id}`,
        );
    }
    const messages = p['messages'];
    if (messages === undefined) throw invalid('messages: Field required');
    if (!Array.isArray(messages)) throw invalid('messages: Input should be a valid list');
    if (messages.length === 0) throw invalid('messages: at least one message is required');
    const seen = { n: 0, sawFiveMinute: false };

    const tools = p['tools'];
    const toolNames = new Set<string>();
    if (tools !== undefined) {
      if (!Array.isArray(tools)) throw invalid('tools: Input should be a valid list');
      tools.forEach((t, i) => {
        if (!isPlainObject(t)) throw invalid(`tools.${i}: Input should be a valid dictionary`);
        const name = t['name'];
        if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(name))
          throw invalid(`tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
        if (toolNames.has(name)) throw invalid('tools: Tool names must be unique.');
        toolNames.add(name);
        if (t['type'] === undefined || t['type'] === 'custom') {
          const schema = t['input_schema'];
          if (schema === undefined) throw invalid(`tools.${i}.custom.input_schema: Field required`);
          if (!isPlainObject(schema) || schema['type'] !== 'object')
            throw invalid(`tools.${i}.custom.input_schema.type: Input should be 'object'`);
        }
        this.validateCacheControl(t, `tools.${i}`, seen);
      });
    }
    const tc = p['tool_choice'];
    if (tc !== undefined) {
      if (!isPlainObject(tc) || !['auto', 'any', 'tool', 'none'].includes(String(tc['type']))) {
        throw invalid("tool_choice: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
      }
      if (tc['type'] !== 'none' && toolNames.size === 0)
        throw invalid('tool_choice may only be specified while providing tools.');
      if (tc['type'] === 'tool') {
        if (typeof tc['name'] !== 'string') throw invalid('tool_choice.tool.name: Field required');
        if (!toolNames.has(tc['name']))
          throw invalid(`tool_choice.name: tool '${tc['name']}' is not among the provided tools`);
      }
    }
    const system = p['system'];
    if (system !== undefined) {
      if (Array.isArray(system)) {
        system.forEach((b, i) => {
          if (!isPlainObject(b) || b['type'] !== 'text' || typeof b['text'] !== 'string')
            throw invalid(`system.${i}: Input should be a text block {type: "text", text}`);
          if (b['text'] === '') throw invalid('system: text content blocks must be non-empty');
          this.validateCacheControl(b, `system.${i}`, seen);
        });
      } else if (typeof system !== 'string') {
        throw invalid('system: Input should be a valid string or list of text blocks');
      }
    }
    messages.forEach((m, i) => {
      if (!isPlainObject(m)) throw invalid(`messages.${i}: Input should be a valid dictionary`);
      if (m['role'] !== 'user' && m['role'] !== 'assistant')
        throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
      const c = m['content'];
      if (typeof c === 'string') {
        if (c === '' && !(i === messages.length - 1 && m['role'] === 'assistant'))
          throw invalid(
            `messages.${i}: all messages must have non-empty content except for the optional final assistant message`,
          );
      } else if (Array.isArray(c)) {
        c.forEach((b, j) => {
          if (!isPlainObject(b) || typeof b['type'] !== 'string')
            throw invalid(`messages.${i}.content.${j}: Input should be a valid dictionary with a type`);
          if (!CONTENT_BLOCK_TYPES.has(b['type']))
            throw invalid(`messages.${i}.content.${j}.type: unknown content block type '${b['type']}'`);
          if (b['type'] === 'text' && (typeof b['text'] !== 'string' || b['text'] === ''))
            throw invalid(`messages.${i}.content.${j}: text content blocks must be non-empty`);
          this.validateCacheControl(b, `messages.${i}.content.${j}`, seen);
        });
      } else {
        throw invalid(`messages.${i}.content: Input should be a valid string or list of content blocks`);
      }
    });
    if (seen.n > 4) throw invalid(`A maximum of 4 blocks with cache_control may be provided. Found ${seen.n}.`);

    const t = p['temperature'];
    if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 1))
      throw invalid('temperature: Input should be a number between 0 and 1');
    const thinking = p['thinking'];
    if (
      isPlainObject(thinking) &&
      thinking['type'] === 'enabled' &&
      isPlainObject(tc) &&
      (tc['type'] === 'tool' || tc['type'] === 'any')
    ) {
      throw invalid('Thinking may not be enabled when tool_choice forces tool use.');
    }
    if (kind === 'messages' && isPlainObject(thinking) && thinking['type'] === 'enabled') {
      const budget = thinking['budget_tokens'];
      if (typeof budget !== 'number' || budget < 1024)
        throw invalid('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
      if (typeof p['max_tokens'] === 'number' && budget >= p['max_tokens'])
        throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
    }
    return model;
  }

  /** The JSON schema of a native structured-output request, if any. */
  private outputFormatSchema(p: Record<string, unknown>): AnthropicJsonSchema | undefined {
    const oc = p['output_config'];
    const fmt = isPlainObject(oc) ? oc['format'] : p['output_format'];
    if (
      isPlainObject(fmt) &&
      fmt['type'] === 'json_schema' &&
      (isPlainObject(fmt['schema']) || typeof fmt['schema'] === 'boolean')
    ) {
      return fmt['schema'] as AnthropicJsonSchema;
    }
    return undefined;
  }

  /**
   * Produces the answer to one Messages request (realtime or batch). Throws ApiError for invalid params.
   * `fault` (malformed_tool_input / max_tokens) is applied when the answer is a tool call or JSON output.
   */
  private async createMessage(
    params: Record<string, unknown>,
    ctx: {
      batch: boolean;
      headers: Record<string, string>;
      customId?: string;
      fault?: AnthropicStubFault | { kind: 'malformed_tool_input' | 'max_tokens' };
      onFaultUsed?: () => void;
    },
  ): Promise<MessageResult & { faultApplied: boolean }> {
    const model = this.validateParams(params, 'messages');
    const units = promptUnits(params, this.count);
    const totalInput = units.reduce((s, u) => s + u.tokens, 0);
    const window = model.contextWindow ?? 200_000;
    if (totalInput > window) throw invalid(`prompt is too long: ${totalInput} tokens > ${window} maximum`);

    const tools = (Array.isArray(params['tools']) ? params['tools'] : []) as AnthropicToolDefinition[];
    const tc = isPlainObject(params['tool_choice']) ? params['tool_choice'] : undefined;
    const jsonSchema = this.outputFormatSchema(params);
    let tool: AnthropicToolDefinition | undefined;
    if (tools.length > 0 && tc?.['type'] !== 'none' && jsonSchema === undefined) {
      tool =
        tc?.['type'] === 'tool'
          ? tools.find((t) => t.name === tc['name'])
          : tools.find((t) => t['type'] === undefined || t['type'] === 'custom');
    }
    const schema = tool ? tool.input_schema : jsonSchema;
    const userText = userTextOf(params);
    const ticketText = ticketTextOf(userText);
    const maxIssues = this.options.maxIssues ?? 3;
    let defaultCache: { v: unknown } | undefined;
    const request: AnthropicResponderRequest = {
      params,
      model: model.id,
      tool,
      schema,
      userText,
      ticketText,
      systemText: systemTextOf(params),
      batch: ctx.batch,
      customId: ctx.customId,
      headers: ctx.headers,
      defaultInput: () => {
        defaultCache ??= {
          v:
            schema === undefined
              ? {}
              : buildInputFromSchema(schema, {
                  text: ticketText,
                  problems: findProblemSentences(ticketText, { max: maxIssues }),
                  now: this.clock.now(),
                }),
        };
        return defaultCache.v;
      },
    };

    const content: Array<Record<string, unknown>> = [];
    let stopReason = 'end_turn';
    let faultApplied = false;
    // Claim a response-shaping fault before any await, so that concurrent requests cannot both use a single one.
    const fault =
      ctx.fault?.kind === 'max_tokens' || (ctx.fault?.kind === 'malformed_tool_input' && schema !== undefined)
        ? ctx.fault
        : undefined;
    if (fault) ctx.onFaultUsed?.();
    const maxTokens = params['max_tokens'] as number;
    let outputTokens: number;

    if (schema !== undefined) {
      let value: unknown = this.responder ? await this.responder(request) : undefined;
      if (value === undefined) value = request.defaultInput();
      if (fault?.kind === 'malformed_tool_input') {
        value = corruptToolInput(schema, value);
        faultApplied = true;
      }
      const json = JSON.stringify(value);
      outputTokens = Math.max(1, this.count(json) + (tool ? this.count(tool.name) : 0));
      const forcedCut = fault?.kind === 'max_tokens';
      if (outputTokens > maxTokens || forcedCut) {
        // Generation stops mid-way: the input is whatever JSON was produced so far.
        const budgetChars = forcedCut
          ? Math.floor(json.length / 2)
          : Math.max(0, maxTokens * 4 - (tool ? tool.name.length : 0));
        value = truncateJsonValue(value, Math.min(budgetChars, json.length - 1));
        stopReason = 'max_tokens';
        outputTokens = forcedCut ? Math.min(maxTokens, Math.max(1, this.count(JSON.stringify(value)))) : maxTokens;
        if (forcedCut) faultApplied = true;
      } else {
        stopReason = tool ? 'tool_use' : 'end_turn';
      }
      if (tool) content.push({ type: 'tool_use', id: randomId('toolu_01', 22), name: tool.name, input: value });
      else
        content.push({
          type: 'text',
          text: stopReason === 'max_tokens' ? json.slice(0, maxTokens * 4) : JSON.stringify(value),
        });
    } else {
      let text = (this.textResponder ? await this.textResponder(request) : undefined) ?? defaultText(request);
      outputTokens = Math.max(1, this.count(text));
      if (outputTokens > maxTokens || fault?.kind === 'max_tokens') {
        const cut = fault?.kind === 'max_tokens' ? Math.floor(text.length / 2) : maxTokens * 4;
        text = text.slice(0, cut);
        outputTokens = Math.min(maxTokens, Math.max(1, this.count(text)));
        stopReason = 'max_tokens';
        faultApplied = fault?.kind === 'max_tokens';
      }
      content.push({ type: 'text', text });
    }

    const acc = this.cache.account(
      units,
      model.id,
      params['tool_choice'],
      this.clock.now(),
      this.minCacheableTokens(model.id),
    );
    const usage: AnthropicUsage = {
      input_tokens: acc.input_tokens,
      cache_creation_input_tokens: acc.cache_creation_input_tokens,
      cache_read_input_tokens: acc.cache_read_input_tokens,
      cache_creation: {
        ephemeral_5m_input_tokens: acc.ephemeral_5m_input_tokens,
        ephemeral_1h_input_tokens: acc.ephemeral_1h_input_tokens,
      },
      output_tokens: outputTokens,
      service_tier: ctx.batch ? 'batch' : 'standard',
    };
    const message: Record<string, unknown> = {
      id: randomId('msg_01', 22),
      type: 'message',
      role: 'assistant',
      model: model.id,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    };
    return { message, usage, stopReason, faultApplied };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Batches

  private createBatch(body: unknown, requestId: string, headers: Record<string, string>): BatchState {
    const b = this.requireObject(body);
    if (this.options.strictParams !== false) {
      for (const k of Object.keys(b)) if (k !== 'requests') throw invalid(`${k}: Extra inputs are not permitted`);
    }
    const requests = b['requests'];
    if (requests === undefined) throw invalid('requests: Field required');
    if (!Array.isArray(requests)) throw invalid('requests: Input should be a valid list');
    if (requests.length === 0) throw invalid('requests: List should have at least 1 item after validation, not 0');
    if (requests.length > 100_000)
      throw invalid(`requests: List should have at most 100000 items after validation, not ${requests.length}`);
    const ids = new Set<string>();
    const items: BatchItem[] = requests.map((r, i) => {
      if (!isPlainObject(r)) throw invalid(`requests.${i}: Input should be a valid dictionary`);
      const cid = r['custom_id'];
      if (typeof cid !== 'string') throw invalid(`requests.${i}.custom_id: Field required`);
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(cid))
        throw invalid(`requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      if (ids.has(cid)) throw invalid(`Duplicate custom_id '${cid}': custom_id must be unique within a message batch.`);
      ids.add(cid);
      if (!isPlainObject(r['params'])) throw invalid(`requests.${i}.params: Field required`);
      if (r['params']['stream'] === true)
        throw invalid(`requests.${i}.params.stream: streaming is not supported in message batches`);
      return { customId: cid, params: r['params'] };
    });
    const now = this.clock.now();
    const delay = this.options.batchProcessingMs === undefined ? 1000 : this.options.batchProcessingMs;
    const batch: BatchState = {
      id: randomId('msgbatch_01', 22),
      createdAt: now,
      endsAt: delay === null ? null : now + delay,
      expiresAt: now + BATCH_EXPIRY_MS,
      endedAt: null,
      cancelInitiatedAt: null,
      status: 'in_progress',
      items,
      requestId,
      headers,
      origin: headers['host'] ? `http://${headers['host']}` : this.baseUrl,
    };
    this.batches.set(batch.id, batch);
    return batch;
  }

  private batchObject(b: BatchState): Record<string, unknown> {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const it of b.items) {
      const t = it.result ? String(it.result['type']) : 'processing';
      if (t in counts) counts[t as keyof typeof counts]++;
    }
    if (b.status !== 'ended') {
      counts.processing = b.items.length;
      counts.succeeded = counts.errored = counts.canceled = counts.expired = 0;
    }
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: b.status,
      request_counts: counts,
      ended_at: b.endedAt === null ? null : iso(b.endedAt),
      created_at: iso(b.createdAt),
      expires_at: iso(b.expiresAt),
      archived_at: null,
      cancel_initiated_at: b.cancelInitiatedAt === null ? null : iso(b.cancelInitiatedAt),
      results_url: b.status === 'ended' ? `${b.origin}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  /** Ends batches whose time has come (processing delay elapsed, cancellation requested, or 24 h passed). */
  private async settleBatches(): Promise<void> {
    const now = this.clock.now();
    for (const b of this.batches.values()) {
      if (b.status === 'ended') continue;
      if (b.status === 'canceling') await this.finishBatch(b, 'cancel');
      else if (b.endsAt !== null && now >= b.endsAt && b.endsAt < b.expiresAt) await this.finishBatch(b, 'process');
      else if (now >= b.expiresAt) await this.finishBatch(b, 'expire');
    }
  }

  private takeBatchOutcome(customId: string, params: unknown): AnthropicBatchOutcome {
    const o = this.batchOverrides.get(customId);
    if (o) {
      o.remaining--;
      if (o.remaining <= 0) this.batchOverrides.delete(customId);
      return o.outcome;
    }
    return this.options.batchOutcome?.(customId, params) ?? 'succeeded';
  }

  private finishBatch(b: BatchState, how: 'process' | 'cancel' | 'expire'): Promise<void> {
    b.finishing ??= this.processBatch(b, how);
    return b.finishing;
  }

  private async processBatch(b: BatchState, how: 'process' | 'cancel' | 'expire'): Promise<void> {
    const canceling = b.status === 'canceling';
    for (const it of b.items) {
      if (it.result) continue;
      if (how === 'cancel' || canceling) {
        it.result = { type: 'canceled' };
        continue;
      }
      if (how === 'expire') {
        it.result = { type: 'expired' };
        continue;
      }
      const outcome = this.takeBatchOutcome(it.customId, it.params);
      const type = typeof outcome === 'string' ? outcome : outcome.type;
      if (type === 'expired' || type === 'canceled') {
        it.result = { type };
        continue;
      }
      if (type === 'errored') {
        const o = typeof outcome === 'object' ? outcome : undefined;
        it.result = {
          type: 'errored',
          error: {
            type: 'error',
            error: { type: o?.errorType ?? 'api_error', message: o?.message ?? 'Internal server error' },
            request_id: randomId('req_011C', 22),
          },
        };
        continue;
      }
      try {
        const fault = type === 'malformed_tool_input' || type === 'max_tokens' ? { kind: type } : undefined;
        const params = this.requireObject(it.params);
        const r = await this.createMessage(params, { batch: true, headers: b.headers, customId: it.customId, fault });
        this.usageLedger.push({
          time: this.clock.now(),
          model: String(r.message['model']),
          batch: true,
          requestId: b.requestId,
          messageId: String(r.message['id']),
          batchId: b.id,
          customId: it.customId,
          stopReason: r.stopReason,
          usage: r.usage,
        });
        it.result = { type: 'succeeded', message: r.message };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        it.result = {
          type: 'errored',
          error: {
            type: 'error',
            error: { type: err.type, message: err.message },
            request_id: randomId('req_011C', 22),
          },
        };
      }
    }
    b.endedAt = this.clock.now();
    b.status = 'ended';
  }
}
