import Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchResult } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { createAnthropicClient } from '@app/llm/anthropic-client';
import { errorMessage } from '@app/common/errors';
import { REALTIME_CONCURRENCY } from '../analysis.constants';
import {
  AnalysisHaltedError,
  AnalysisOutcome,
  AnalysisTicket,
  Analyzer,
  BatchCapability,
  BilledCall,
  Interpretation,
  ModelCapability,
  PriorAttempts,
} from '../analyzer';
import { usageFromApi } from '@app/llm/pricing/pricing';
import type { Taxonomy } from '../taxonomy/taxonomy.types';
import { DEFAULT_PROMPT_LIMITS, PromptLimits, renderTicket, systemPrompt } from './prompt';
import { CallFailedError, RateGate, RetryOptions, withRetries } from '@app/llm/retry';
import { ClaudeBatches } from './claude-batches';
import { parseToolInput, toolDefinition, TOOL_NAME } from './tool-schema';

export interface ClaudeAnalyzerOptions {
  apiKey: string;
  baseUrl?: string;
  model: string;
  /** Output budget of the first call (default 2048); a `max_tokens` stop is retried once with `retryMaxTokens`. */
  maxTokens?: number;
  retryMaxTokens?: number;
  /** Mark the system block for prompt caching (default true; false only to measure the naive way). */
  cache?: boolean;
  retry?: RetryOptions;
  limits?: PromptLimits;
  /** A ready client (tests); otherwise one is built with `maxRetries: 0` (retries are ours). */
  client?: Anthropic;
}

export type { Interpretation, PriorAttempts } from '../analyzer';

/**
 * The `claude` analyzer: one forced tool call per ticket with a cached system block (instructions, taxonomy,
 * product context), text redacted before it leaves the process. Also builds and reads Message Batches.
 */
export class ClaudeAnalyzer implements Analyzer {
  readonly name = 'claude' as const;
  /** Realtime calls in flight at once. */
  readonly concurrency = REALTIME_CONCURRENCY;
  readonly models: ModelCapability = {
    use: (model) => this.useModel(model),
    list: () => this.listModels(),
    exists: (model) => this.modelExists(model),
  };
  readonly batch: BatchCapability = new ClaudeBatches(this);
  readonly client: Anthropic;
  private readonly gate = new RateGate();
  private current: string;
  /** Models `check` confirmed exist. */
  private readonly checked = new Set<string>();
  private memo: { key: string; system: string; tool: ReturnType<typeof toolDefinition> } | undefined;

  constructor(private readonly options: ClaudeAnalyzerOptions) {
    this.current = options.model;
    this.client =
      options.client ?? createAnthropicClient({ apiKey: options.apiKey, baseUrl: options.baseUrl, timeoutMs: 600_000 });
  }

  /** The model calls use: the constructor's, until `useModel` names another. */
  get model(): string {
    return this.current;
  }

  /**
   * Switches the model for the calls that follow (the analysis settings are read at the start of each run).
   * Calls already in flight keep the model they were built with.
   */
  useModel(model: string): void {
    this.current = model;
  }

  /** Confirms the current model exists (`GET /v1/models/{id}`); the answer is remembered per model once positive. */
  async check(): Promise<void> {
    const model = this.model;
    if (this.checked.has(model)) return;
    try {
      await withRetries(() => this.client.models.retrieve(model), this.gate, {
        ...this.options.retry,
        maxAttempts: 3,
      });
    } catch (error) {
      if (error instanceof AnalysisHaltedError) throw error;
      const message = errorMessage(error);
      if (/\b404\b|not_found/i.test(message))
        throw new AnalysisHaltedError(
          `ANALYSIS_MODEL "${model}" is not a model the Anthropic API offers (GET /v1/models/${model}: ${message}). ` +
            'Set ANALYSIS_MODEL (or the model in Settings → Analysis) to a current model id.',
        );
      throw new AnalysisHaltedError(`Could not check ANALYSIS_MODEL "${model}" with the Anthropic API: ${message}`);
    }
    this.checked.add(model);
  }

  /** Model ids the API offers this key (`GET /v1/models`, newest first, up to 100). */
  async listModels(): Promise<string[]> {
    const page = await withRetries(() => this.client.models.list({ limit: 100 }), this.gate, {
      ...this.options.retry,
      maxAttempts: 2,
    });
    return page.data.map((m) => m.id);
  }

  /** Whether the API knows this model id (`GET /v1/models/{id}`: 404 → false); other failures throw. */
  async modelExists(model: string): Promise<boolean> {
    try {
      await withRetries(() => this.client.models.retrieve(model), this.gate, { ...this.options.retry, maxAttempts: 2 });
      return true;
    } catch (error) {
      if (/\b404\b|not_found/i.test(errorMessage(error))) return false;
      throw error;
    }
  }

  /** The Messages params for one ticket; identical prefixes (tools, system) across tickets so the cache hits. */
  params(
    ticket: AnalysisTicket,
    taxonomy: Taxonomy,
    opts: { batch?: boolean; maxTokens?: number } = {},
  ): MessageCreateParamsNonStreaming {
    const key = `${taxonomy.version}:${taxonomy.updatedAt?.toISOString() ?? ''}`;
    if (this.memo?.key !== key) this.memo = { key, system: systemPrompt(taxonomy), tool: toolDefinition(taxonomy) };
    const { text } = renderTicket(ticket, taxonomy, this.options.limits ?? DEFAULT_PROMPT_LIMITS);
    const cache = this.options.cache !== false;
    return {
      model: this.model,
      max_tokens: opts.maxTokens ?? this.options.maxTokens ?? 2048,
      system: [
        {
          type: 'text',
          text: this.memo.system,
          // Batches run over up to an hour: the 1-hour TTL keeps the prefix cached across the whole batch.
          ...(cache
            ? { cache_control: { type: 'ephemeral' as const, ...(opts.batch ? { ttl: '1h' as const } : {}) } }
            : {}),
        },
      ],
      tools: [this.memo.tool],
      tool_choice: { type: 'tool', name: TOOL_NAME },
      messages: [{ role: 'user', content: text }],
    };
  }

  /** Reads a model answer: the tool input validated against the schema and taxonomy. */
  interpret(message: Message, taxonomy: Taxonomy): Interpretation {
    if (message.stop_reason === 'max_tokens')
      return {
        kind: 'max_tokens',
        reason: `the answer was cut off at max_tokens (${message.usage.output_tokens} tokens)`,
      };
    if (message.stop_reason === 'refusal')
      return { kind: 'refused', reason: 'the model declined to analyse this ticket' };
    const block = message.content.find((b) => b.type === 'tool_use' && b.name === TOOL_NAME);
    if (!block || block.type !== 'tool_use') return { kind: 'invalid', reason: `the answer has no ${TOOL_NAME} call` };
    const parsed = parseToolInput(block.input, taxonomy);
    if (!parsed.ok) return { kind: 'invalid', reason: `the answer does not follow the schema: ${parsed.error}` };
    return { kind: 'ok', ...parsed.value };
  }

  billed(message: Message, batchId?: string): BilledCall {
    return {
      model: message.model || this.model,
      batch: Boolean(batchId),
      batchId: batchId ?? null,
      usage: usageFromApi(message.usage),
    };
  }

  analyze(ticket: AnalysisTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome> {
    return this.analyzeRealtime(ticket, taxonomy, { calls: [], invalidAnswers: 0, maxTokenStops: 0 });
  }

  /**
   * Realtime analysis, continuing from earlier attempts (a batch answer that was cut off or invalid counts as
   * the first attempt): an invalid answer is retried once, a `max_tokens` stop once with a larger budget.
   */
  async analyzeRealtime(ticket: AnalysisTicket, taxonomy: Taxonomy, prior: PriorAttempts): Promise<AnalysisOutcome> {
    const calls = [...prior.calls];
    let { invalidAnswers, maxTokenStops } = prior;
    const failed = (reason: string): AnalysisOutcome => ({ status: 'failed', reason, issues: [], calls });
    for (;;) {
      const maxTokens = maxTokenStops > 0 ? (this.options.retryMaxTokens ?? 4096) : (this.options.maxTokens ?? 2048);
      let message: Message;
      try {
        const params = this.params(ticket, taxonomy, { maxTokens });
        message = await withRetries(() => this.client.messages.create(params), this.gate, this.options.retry);
      } catch (error) {
        if (error instanceof AnalysisHaltedError) throw error;
        return failed(error instanceof CallFailedError ? error.message : `unexpected error: ${errorMessage(error)}`);
      }
      calls.push(this.billed(message));
      const answer = this.interpret(message, taxonomy);
      switch (answer.kind) {
        case 'ok':
          return {
            status: answer.status,
            reason: answer.reason,
            issues: answer.issues,
            calls,
            frustration: answer.frustration,
          };
        case 'refused':
          return failed(answer.reason);
        case 'max_tokens':
          if (++maxTokenStops > 1) return failed(`${answer.reason}, also after a retry with ${maxTokens} tokens`);
          break;
        case 'invalid':
          if (++invalidAnswers > 1) return failed(`${answer.reason} (after one retry)`);
          break;
      }
    }
  }

  // --- Message Batches -----------------------------------------------------------------------------------------

  async submitBatch(requests: Array<{ custom_id: string; params: MessageCreateParamsNonStreaming }>): Promise<string> {
    const batch = await withRetries(
      () => this.client.messages.batches.create({ requests }),
      this.gate,
      this.options.retry,
    );
    return batch.id;
  }

  /** The batch's processing status (`in_progress`, `canceling` or `ended`). */
  async batchStatus(batchId: string): Promise<string> {
    const batch = await withRetries(
      () => this.client.messages.batches.retrieve(batchId),
      this.gate,
      this.options.retry,
    );
    return batch.processing_status;
  }

  /** Every result of an ended batch, keyed by `custom_id` (results come in any order). */
  async batchResults(batchId: string): Promise<Map<string, MessageBatchResult>> {
    return withRetries(
      async () => {
        const out = new Map<string, MessageBatchResult>();
        for await (const line of await this.client.messages.batches.results(batchId))
          out.set(line.custom_id, line.result);
        return out;
      },
      this.gate,
      this.options.retry,
    );
  }
}
