import { Inject, Injectable, Logger } from '@nestjs/common';
import { BATCH_CHUNK, BATCH_GIVE_UP_MS, BATCH_POLL, LOAD_PAGE, REALTIME_CONCURRENCY } from './analysis.constants';
import { TimeSlicer } from '../common/event-loop';
import { AnalysisRecordsService } from './analysis-records.service';
import { AnalysisTicketsService, LoadedTicket } from './analysis-tickets.service';
import { AnalysisHaltedError, AnalysisOutcome, ANALYZER, Analyzer } from './analyzer';
import { ClaudeAnalyzer, PriorAttempts } from './claude/claude-analyzer';
import { AnalysisBatch, BatchRequestRef } from './entities/analysis-batch.entity';
import { AnalysisBatchRepository } from './repositories/analysis-batch.repository';
import { AnalysisSettingsService } from './settings/analysis-settings.service';
import { TaxonomyService } from './taxonomy/taxonomy.service';
import type { Taxonomy } from './taxonomy/taxonomy.types';

export interface AnalysisProgress {
  /** Progress of the analyze phase. */
  report(done: number, total: number): Promise<void>;
  /** Per-ticket failures, recorded in the run without failing it. */
  errors(errors: Array<{ ref: string; message: string }>): Promise<void>;
}

export interface AnalysisSummary {
  analyzer: string;
  mode: 'realtime' | 'batch' | 'local';
  tickets: number;
  issuesFound: number;
  noProductIssue: number;
  failed: number;
  batches: number;
}

/** What one write of results records, for the counters of a chunk of a shared run. */
export interface AnalysisTally {
  done: number;
  issuesFound: number;
  noProductIssue: number;
  failed: number;
}

/**
 * The hooks of a chunk of a shared run (see sync/chunks): the worker holding the chunk checks and holds its claim
 * around every write of results, and can stop the work (its claim was lost, or the process is stopping).
 */
export interface ChunkHooks {
  /** Per-ticket failures, recorded in the run without failing it. */
  errors(errors: Array<{ ref: string; message: string }>): Promise<void>;
  /** Runs one write of results (a page of local results, one ticket's Claude result) under the chunk's claim. */
  fence(write: () => Promise<void>, tally: AnalysisTally): Promise<void>;
  /** True once the chunk must stop: nothing more is written, and `analyzeChunk` throws `AnalysisInterruptedError`. */
  stopped(): boolean;
}

/**
 * How a run's analyze phase can go: ticket by ticket (local analyzer, Claude realtime), which workers can share in
 * chunks, or through Message Batches, which the run's coordinator keeps to itself (a batch is already processed in
 * parallel at Anthropic; splitting it across workers would only multiply polling).
 */
export type AnalysisPlan = { shareable: false } | { shareable: true; ids: number[]; model: string };

/** Thrown by `analyzeChunk` when its hooks said stop: the chunk's unwritten tickets are left for another worker. */
export class AnalysisInterruptedError extends Error {
  override readonly name = 'AnalysisInterruptedError';
  constructor() {
    super('analysis of the chunk was interrupted');
  }
}

const tallyOf = (outcomes: AnalysisOutcome[]): AnalysisTally => ({
  done: outcomes.length,
  issuesFound: outcomes.filter((o) => o.status === 'issues_found').length,
  noProductIssue: outcomes.filter((o) => o.status === 'no_product_issue').length,
  failed: outcomes.filter((o) => o.status === 'failed').length,
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over items with at most `limit` in flight; stops taking new items once `stopped()` is true. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>, stopped: () => boolean) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopped()) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The analyze phase of a run: every ticket whose text changed (or whose last analysis failed) is analysed once.
 * With the `claude` analyzer, large runs go through Message Batches (50% price), the rest realtime under a
 * concurrency limit. Every ticket ends with an analysis record; a run-stopping error (spend limit, wrong model)
 * is thrown after in-flight work is recorded, and the tickets not reached stay pending for the next run.
 */
@Injectable()
export class AnalysisService {
  private readonly logger = new Logger(AnalysisService.name);

  constructor(
    @Inject(ANALYZER) private readonly analyzer: Analyzer,
    private readonly batches: AnalysisBatchRepository,
    private readonly taxonomy: TaxonomyService,
    private readonly tickets: AnalysisTicketsService,
    private readonly records: AnalysisRecordsService,
    private readonly settings: AnalysisSettingsService,
  ) {}

  get analyzerName(): string {
    return this.analyzer.name;
  }

  async analyzePending(runId: string | null, progress: AnalysisProgress): Promise<AnalysisSummary> {
    // The mode and model are read per run: an admin's change applies from the next run on.
    const settings = await this.settings.effective();
    const claude = this.analyzer instanceof ClaudeAnalyzer ? this.analyzer : null;
    claude?.useModel(settings.model);
    await this.analyzer.check();
    const taxonomy = await this.taxonomy.get();
    const state = new RunState(runId, progress);

    // Batches submitted by an interrupted run are polled, not submitted again.
    const open = claude ? await this.batches.findOpen() : [];
    const inOpen = new Set(open.flatMap((b) => b.requests.map((r) => r.ticketId)));
    const ids = (await this.tickets.pendingIds()).filter((id) => !inOpen.has(id));
    state.total = inOpen.size + ids.length;
    await state.report();

    const mode = settings.mode;
    const useBatch = claude !== null && (mode === 'batch' || (mode === 'auto' && ids.length >= settings.batchMinimum));
    const summary = (): AnalysisSummary => ({
      analyzer: this.analyzer.name,
      mode: claude ? (useBatch || open.length ? 'batch' : 'realtime') : 'local',
      tickets: state.done,
      ...state.counts,
      batches: open.length + submitted.length,
    });
    const submitted: AnalysisBatch[] = [];
    try {
      for (const batch of open) await this.completeBatch(claude!, batch, taxonomy, state);
      if (useBatch) {
        for (let i = 0; i < ids.length; i += BATCH_CHUNK)
          submitted.push(await this.submitBatch(claude!, ids.slice(i, i + BATCH_CHUNK), taxonomy, runId));
        for (const batch of submitted) await this.completeBatch(claude!, batch, taxonomy, state);
      } else {
        await this.realtime(ids, taxonomy, state);
      }
    } catch (error) {
      if (error instanceof AnalysisHaltedError)
        this.logger.error(`analysis stopped after ${state.done} of ${state.total} tickets: ${error.message}`);
      throw error;
    }
    const result = summary();
    this.logger.log(
      `analysed ${result.tickets} tickets (${result.mode}): ${result.issuesFound} with issues, ${result.noProductIssue} without, ${result.failed} failed`,
    );
    return result;
  }

  /**
   * How this run's analyze phase goes (see `AnalysisPlan`): the pending tickets when they can be shared out, with
   * the model every worker must use (the settings are read once per run, by its coordinator).
   */
  async plan(): Promise<AnalysisPlan> {
    const settings = await this.settings.effective();
    const claude = this.analyzer instanceof ClaudeAnalyzer ? this.analyzer : null;
    const ids = await this.tickets.pendingIds();
    if (!claude) return { shareable: true, ids, model: this.analyzer.model };
    // Message Batches (and batches an interrupted run left open) stay with the coordinator: `analyzePending`.
    const open = await this.batches.countOpen();
    const mode = settings.mode;
    const useBatch = mode === 'batch' || (mode === 'auto' && ids.length >= settings.batchMinimum);
    if (open || useBatch) return { shareable: false };
    return { shareable: true, ids, model: settings.model };
  }

  /**
   * Analyses one chunk of a shared run (local analyzer, or Claude realtime): those of `ids` still pending that this
   * run has not recorded yet (a chunk taken over from a worker that died part-way resumes where it stopped). Every
   * write of results goes through `hooks.fence`; a run-stopping error (spend limit, wrong model) is thrown after
   * in-flight work is recorded, like `analyzePending`.
   */
  async analyzeChunk(runId: string, ids: number[], model: string, hooks: ChunkHooks): Promise<AnalysisTally> {
    const claude = this.analyzer instanceof ClaudeAnalyzer ? this.analyzer : null;
    claude?.useModel(model);
    await this.analyzer.check();
    const taxonomy = await this.taxonomy.get();
    const todo = await this.tickets.pendingAmong(ids, runId);
    const state = new RunState(runId, { report: async () => undefined, errors: (e) => hooks.errors(e) }, hooks);
    state.total = todo.length;
    await this.realtime(todo, taxonomy, state);
    return { done: state.done, ...state.counts };
  }

  private async realtime(ids: number[], taxonomy: Taxonomy, state: RunState): Promise<void> {
    for (let i = 0; i < ids.length && !state.halted && !state.stopped(); i += LOAD_PAGE) {
      const loaded = await this.tickets.load(ids.slice(i, i + LOAD_PAGE));
      const page = [...loaded.values()].filter((t) => !t.deleted);
      if (this.analyzer.name === 'local') {
        await this.localPage(page, taxonomy, state);
        continue;
      }
      await eachLimit(
        page,
        this.analyzer.name === 'claude' ? REALTIME_CONCURRENCY : 1,
        (ticket) => state.guard(() => this.analyzeOne(ticket, state, () => this.analyzer.analyze(ticket, taxonomy))),
        () => state.halted !== null || state.stopped(),
      );
    }
    state.rethrow();
  }

  /**
   * The local analyzer is CPU-bound and makes no calls: a page of tickets is analysed in turn, then written in one
   * transaction. A ticket the analyzer throws on is recorded as failed with the reason (retried next run).
   */
  private async localPage(page: LoadedTicket[], taxonomy: Taxonomy, state: RunState): Promise<void> {
    const entries: Array<{ ticket: LoadedTicket; outcome: AnalysisOutcome }> = [];
    let slice = Date.now();
    for (const ticket of page) {
      // Let requests in between: the page is CPU work on the event loop.
      if (Date.now() - slice > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
        if (state.stopped()) return; // a shared run's chunk told to stop: nothing of this page is written
      }
      let outcome: AnalysisOutcome;
      try {
        outcome = await this.analyzer.analyze(ticket, taxonomy);
      } catch (error) {
        outcome = {
          status: 'failed',
          reason: `local analyzer error: ${(error as Error).message}`,
          issues: [],
          calls: [],
        };
      }
      entries.push({ ticket, outcome });
    }
    if (state.stopped()) return;
    await state.fence(
      () => this.records.recordMany(entries, { runId: state.runId, analyzer: 'local', model: this.analyzer.model }),
      tallyOf(entries.map((e) => e.outcome)),
    );
    for (const { ticket, outcome } of entries) await state.finished(ticket.zendeskId, outcome);
  }

  private async analyzeOne(
    ticket: LoadedTicket,
    state: RunState,
    run: () => Promise<AnalysisOutcome>,
    batchId: string | null = null,
  ): Promise<void> {
    await this.save(ticket, await run(), state, batchId);
  }

  private async save(ticket: LoadedTicket, outcome: AnalysisOutcome, state: RunState, batchId: string | null) {
    await state.fence(
      async () => {
        await this.records.record(ticket, outcome, {
          runId: state.runId,
          analyzer: this.analyzer.name,
          model: this.analyzer.model,
          batchId,
        });
      },
      tallyOf([outcome]),
    );
    await state.finished(ticket.zendeskId, outcome);
  }

  private async submitBatch(claude: ClaudeAnalyzer, ids: number[], taxonomy: Taxonomy, runId: string | null) {
    const loaded = await this.tickets.load(ids);
    const refs: BatchRequestRef[] = [];
    const requests: Array<{ custom_id: string; params: ReturnType<ClaudeAnalyzer['params']> }> = [];
    // Rendering (redaction) of thousands of tickets is CPU work: in slices, so the API keeps answering.
    const slicer = new TimeSlicer();
    for (const t of [...loaded.values()].filter((x) => !x.deleted)) {
      // custom_id: ^[a-zA-Z0-9_-]{1,64}$, unique within the batch.
      const ref = {
        customId: `t${t.zendeskId}-${t.contentHash.slice(0, 16)}`,
        ticketId: t.zendeskId,
        contentHash: t.contentHash,
      };
      refs.push(ref);
      requests.push({ custom_id: ref.customId, params: claude.params(t, taxonomy, { batch: true }) });
      await slicer.maybeYield();
    }
    const id = await claude.submitBatch(requests);
    this.logger.log(`submitted batch ${id} with ${requests.length} tickets`);
    return this.batches.insertSubmitted({ id, runId, model: claude.model, requests: refs });
  }

  /** Polls a batch until it ends, records its results, and analyses realtime whatever it did not answer usably. */
  private async completeBatch(claude: ClaudeAnalyzer, batch: AnalysisBatch, taxonomy: Taxonomy, state: RunState) {
    const started = Date.now();
    let delay = BATCH_POLL.firstMs;
    let status = await claude.batchStatus(batch.id);
    while (status !== 'ended' && Date.now() - started < BATCH_GIVE_UP_MS) {
      await sleep(delay);
      delay = Math.min(BATCH_POLL.maxMs, delay * BATCH_POLL.factor);
      status = await claude.batchStatus(batch.id);
    }
    const results = status === 'ended' ? await claude.batchResults(batch.id) : new Map();
    const retry: Array<{ ticket: LoadedTicket; prior: PriorAttempts }> = [];
    for (let i = 0; i < batch.requests.length; i += LOAD_PAGE) {
      const refs = batch.requests.slice(i, i + LOAD_PAGE);
      const loaded = await this.tickets.load(refs.map((r) => r.ticketId));
      for (const ref of refs) {
        const ticket = loaded.get(ref.ticketId);
        const result = results.get(ref.customId);
        const message = result?.type === 'succeeded' ? result.message : null;
        const call = message ? claude.billed(message, batch.id) : null;
        // Changed, deleted or already recorded (a restart) since submission: the answer is not used.
        if (
          !ticket ||
          ticket.deleted ||
          ticket.contentHash !== ref.contentHash ||
          ticket.analyzedHash === ref.contentHash
        ) {
          if (call) await this.records.recordUsageOnly([call], state.runId, ticket ? ref.ticketId : null);
          state.total--;
          continue;
        }
        const empty: PriorAttempts = { calls: [], invalidAnswers: 0, maxTokenStops: 0 };
        if (!message || !call) {
          retry.push({ ticket, prior: empty });
          continue;
        }
        const answer = claude.interpret(message, taxonomy);
        if (answer.kind === 'ok')
          await this.save(
            ticket,
            { status: answer.status, reason: answer.reason, issues: answer.issues, calls: [call] },
            state,
            batch.id,
          );
        else if (answer.kind === 'refused')
          await this.save(
            ticket,
            { status: 'failed', reason: answer.reason, issues: [], calls: [call] },
            state,
            batch.id,
          );
        else
          retry.push({
            ticket,
            prior: {
              calls: [call],
              invalidAnswers: answer.kind === 'invalid' ? 1 : 0,
              maxTokenStops: answer.kind === 'max_tokens' ? 1 : 0,
            },
          });
      }
    }
    await this.batches.markProcessed(batch.id);
    if (retry.length) this.logger.log(`batch ${batch.id}: ${retry.length} requests retried realtime`);
    await eachLimit(
      retry,
      REALTIME_CONCURRENCY,
      ({ ticket, prior }) =>
        state.guard(() =>
          this.analyzeOne(ticket, state, () => claude.analyzeRealtime(ticket, taxonomy, prior), batch.id),
        ),
      () => state.halted !== null,
    );
    state.rethrow();
  }
}

/** Counters and the first run-stopping error of one analyze phase. */
class RunState {
  total = 0;
  done = 0;
  counts = { issuesFound: 0, noProductIssue: 0, failed: 0 };
  halted: AnalysisHaltedError | null = null;
  private lastReport = 0;

  constructor(
    readonly runId: string | null,
    private readonly progress: AnalysisProgress,
    private readonly hooks?: ChunkHooks,
  ) {}

  /** A chunk of a shared run told to stop (never outside one). */
  stopped(): boolean {
    return this.hooks?.stopped() ?? false;
  }

  /** One write of results: under the chunk's claim in a shared run, as it is otherwise. */
  fence(write: () => Promise<void>, tally: AnalysisTally): Promise<void> {
    return this.hooks ? this.hooks.fence(write, tally) : write();
  }

  async report(force = true): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastReport < 500 && this.done < this.total) return;
    this.lastReport = now;
    await this.progress.report(this.done, this.total);
  }

  async finished(ticketId: number, outcome: AnalysisOutcome): Promise<void> {
    this.done++;
    if (outcome.status === 'issues_found') this.counts.issuesFound++;
    else if (outcome.status === 'no_product_issue') this.counts.noProductIssue++;
    else {
      this.counts.failed++;
      await this.progress.errors([{ ref: `ticket ${ticketId}`, message: `analysis failed: ${outcome.reason}` }]);
    }
    await this.report(false);
  }

  /** Runs one ticket's work; a run-stopping error is kept (in-flight work finishes) instead of thrown at once. */
  async guard(work: () => Promise<void>): Promise<void> {
    if (this.halted) return;
    try {
      await work();
    } catch (error) {
      if (error instanceof AnalysisHaltedError) this.halted ??= error;
      else throw error;
    }
  }

  rethrow(): void {
    if (this.halted) throw this.halted;
    if (this.stopped()) throw new AnalysisInterruptedError();
  }
}
