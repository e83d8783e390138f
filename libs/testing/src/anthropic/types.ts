/** Public types of the Anthropic API stub. */
import type { AnthropicJsonSchema } from './json-schema';

/** Time source of the stub (cache TTLs, batch processing, retry-after windows). Same shape as the Zendesk simulator's clock. */
export interface AnthropicStubClock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export interface AnthropicStubModel {
  id: string;
  display_name?: string;
  /** RFC 3339. */
  created_at?: string;
  /** Other ids that resolve to this model (e.g. `claude-sonnet-4-5`). */
  aliases?: string[];
  /** Minimum cacheable prefix in tokens (default by model family: 1024 Sonnet, 4096 Haiku 4.5 / Opus 4.5+, 2048 Haiku 3). */
  minCacheableTokens?: number;
  /** Largest accepted `max_tokens` (default 64000). */
  maxOutputTokens?: number;
  /** Largest prompt in tokens (default 200000). */
  contextWindow?: number;
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  service_tier: 'standard' | 'batch';
}

export interface AnthropicToolDefinition {
  name: string;
  description?: string;
  input_schema: AnthropicJsonSchema;
  [key: string]: unknown;
}

/** What a responder sees: the Messages params and the text extracted from them. */
export interface AnthropicResponderRequest {
  /** The Messages API params as received (realtime body or a batch request's `params`). */
  params: Record<string, unknown>;
  model: string;
  /** The tool being answered (forced by `tool_choice`, or the first tool); undefined for text / JSON-output answers. */
  tool: AnthropicToolDefinition | undefined;
  /** The schema the answer must follow: the tool's `input_schema`, or `output_config.format.schema`. */
  schema: AnthropicJsonSchema | undefined;
  /** All text of the user turns, joined by blank lines. */
  userText: string;
  /** `userText` narrowed to the content of `<ticket …>…</ticket>` elements when there are any. */
  ticketText: string;
  /** System prompt text. */
  systemText: string;
  batch: boolean;
  customId: string | undefined;
  /** Request headers (lower-case names); batch items get the headers of the batch creation request. */
  headers: Record<string, string>;
  /** The default extraction answer for this request (lazy). */
  defaultInput(): unknown;
}

/**
 * Produces a tool input (or a JSON-output value) for a request. Return `undefined` to fall back to the default
 * extraction. The value is sent as is: a responder may return something schema-invalid on purpose.
 */
export type AnthropicResponder = (request: AnthropicResponderRequest) => unknown;

/** Produces the text of a plain (non-tool) answer; `undefined` falls back to the default. */
export type AnthropicTextResponder = (request: AnthropicResponderRequest) => string | undefined;

export type AnthropicFaultKind =
  /** 429 rate_limit_error with `retry-after` (seconds, default 1). */
  | 'rate_limit'
  /** 529 overloaded_error (with `retry-after` only when `retryAfterSeconds` is set). */
  | 'overloaded'
  /** 500 api_error. */
  | 'api_error'
  /** 429 rate_limit_error: monthly spend limit reached, `error.details.error_code: "enforced_spend_limit_reached"`, no retry-after. */
  | 'spend_limit'
  /** 200 with a tool_use input that is valid JSON but violates the tool's input_schema. */
  | 'malformed_tool_input'
  /** 200 with `stop_reason: "max_tokens"` and a cut-off (incomplete) tool input. */
  | 'max_tokens'
  /** Waits `delayMs` (real time), then answers normally. */
  | 'slow'
  /** Closes the connection without an answer (the SDK sees a connection error). */
  | 'disconnect'
  /** Any error: `status`, `errorType`, `message`. */
  | 'error';

export interface AnthropicStubFault {
  kind: AnthropicFaultKind;
  /** Request path the fault applies to: exact string (default `/v1/messages`) or a RegExp. */
  path?: string | RegExp;
  /** HTTP method (default: any). */
  method?: string;
  /** How many matching requests it affects (default 1; `Infinity` for a persistent fault). */
  count?: number;
  /** `retry-after` seconds for rate_limit (default 1) and overloaded (default none); fractions are sent as is. */
  retryAfterSeconds?: number;
  /** Real-time delay before answering (any kind; `slow` defaults to 1000 ms). */
  delayMs?: number;
  /** For kind `error`. */
  status?: number;
  errorType?: string;
  message?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Further narrowing, e.g. on the body. */
  match?: (request: { method: string; path: string; body: unknown; headers: Record<string, string> }) => boolean;
}

export type AnthropicBatchOutcomeType =
  'succeeded' | 'errored' | 'expired' | 'canceled' | 'malformed_tool_input' | 'max_tokens';

export type AnthropicBatchOutcome =
  AnthropicBatchOutcomeType | { type: 'errored'; errorType?: string; message?: string };

/** One HTTP request the stub received. */
export interface AnthropicStubRequestRecord {
  requestId: string;
  time: number;
  method: string;
  path: string;
  /** Query string including `?`, or ''. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  status: number;
  errorType?: string;
  fault?: AnthropicFaultKind;
  /** Set for successful `POST /v1/messages`. */
  usage?: AnthropicUsage;
  model?: string;
  stopReason?: string;
  /** `x-stainless-retry-count` sent by the SDK (0 for a first attempt). */
  retryCount?: number;
}

/** One billed answer: a realtime message or a succeeded batch request. */
export interface AnthropicUsageRecord {
  time: number;
  model: string;
  batch: boolean;
  /** `request-id` of the HTTP request (realtime) or of the batch creation request. */
  requestId: string;
  messageId: string;
  batchId?: string;
  customId?: string;
  stopReason: string;
  usage: AnthropicUsage;
}

export interface AnthropicUsageTotals {
  /** Number of billed answers. */
  messages: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

export interface AnthropicStubTotals extends AnthropicUsageTotals {
  realtime: AnthropicUsageTotals;
  batch: AnthropicUsageTotals;
  byModel: Record<string, AnthropicUsageTotals>;
}

export interface AnthropicStubViolation {
  /** `early_retry`: the same request came back before its retry-after expired; `retry_after_spend_limit`: a request
   *  that got the spend-limit error was sent again; `request_during_retry_after` (scope `client` only): another
   *  request was sent while a retry-after was running. */
  kind: 'early_retry' | 'retry_after_spend_limit' | 'request_during_retry_after';
  time: number;
  method: string;
  path: string;
  requestId: string;
  /** The request that got the 429/529. */
  previousRequestId: string;
  retryAfterSeconds?: number;
  earlyByMs?: number;
  message: string;
}

export interface AnthropicStubOptions {
  /** Accepted `x-api-key` values (default `[ANTHROPIC_STUB_API_KEY]`). */
  apiKeys?: string[];
  /** Accepted `anthropic-version` values (default `['2023-06-01']`). */
  apiVersions?: string[];
  /** Known models (default: claude-sonnet-4-5-20250929, claude-haiku-4-5-20251001, claude-sonnet-4-6). */
  models?: Array<string | AnthropicStubModel>;
  /** Overrides the per-model minimum cacheable prefix (tokens). */
  minCacheableTokens?: number | ((model: string) => number);
  /** Tool-input / JSON-output responder (default: extraction from the ticket text). */
  responder?: AnthropicResponder;
  /** Text responder for answers without tools. */
  textResponder?: AnthropicTextResponder;
  /** Most issues the default responder reports per ticket (default 3). */
  maxIssues?: number;
  /** Default `Date.now`. */
  clock?: AnthropicStubClock;
  /** Default ceil(chars / 4). */
  tokenCounter?: (text: string) => number;
  /** Clock milliseconds from creation until a batch ends (default 1000); `null`: only `completeBatches()` ends batches. */
  batchProcessingMs?: number | null;
  /** Outcome of each batch request (default `succeeded`); `setBatchOutcome` takes precedence. */
  batchOutcome?: (customId: string, params: unknown) => AnthropicBatchOutcome | undefined;
  /** A retry this many ms before the retry-after expiry still counts as on time (default 25: timer jitter). */
  retryAfterToleranceMs?: number;
  /** `request` (default): only a repeat of the same request is checked against its retry-after; `client`: any request. */
  violationScope?: 'request' | 'client';
  /** Reject unknown top-level Messages params like the real API (default true). */
  strictParams?: boolean;
  /** Bind address (default 127.0.0.1). */
  host?: string;
}
