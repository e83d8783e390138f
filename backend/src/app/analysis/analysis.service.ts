import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { PlannerStatistics } from '@app/database/table-maintenance';
import { mapLimit, sleep } from '@app/common/async';
import { errorMessage } from '@app/common/errors';
import { yieldToEventLoop } from '@app/common/event-loop';
import { AnalysisRecordsService } from './analysis-records.service';
import { AnalysisProgress, AnalysisTally, ChunkHooks, RunState, tallyOf } from './analysis-run-state';
import { AnalysisTicketsService, LoadedTicket } from './analysis-tickets.service';
import { BATCH_CHUNK, BATCH_GIVE_UP_MS, BATCH_POLL, LOAD_PAGE } from './analysis.constants';
import {
  AnalysisHaltedError,
  AnalysisOutcome,
  ANALYZER,
  Analyzer,
  BatchAnswer,
  BatchCapability,
  PriorAttempts,
} from './analyzer';
import { AnalysisBatch, BatchRequestRef } from './entities/analysis-batch.entity';
import { AnalysisBatchRepository } from './repositories/analysis-batch.repository';
import { AnalysisSettingsService } from './settings/analysis-settings.service';
import type { EffectiveAnalysisSettings } from './settings/analysis-settings.types';
import { TaxonomyService } from './taxonomy/taxonomy.service';
import type { Taxonomy } from './taxonomy/taxonomy.types';

export { AnalysisInterruptedError } from './analysis-run-state';
export type { AnalysisProgress, AnalysisTally, ChunkHooks } from './analysis-run-state';

export interface AnalysisSummary {
  analyzer: string;
  mode: 'realtime' | 'batch' | 'local';
  tickets: number;
  issuesFound: number;
  noProductIssue: number;
  failed: number;
  batches: number;
}

/**
 * How a run's analyze phase can go: ticket by ticket (local analyzer, Claude realtime), which workers can share in
 * chunks, or through Message Batches, which the run's coordinator keeps to itself (a batch is already processed in
 * parallel at Anthropic; splitting it across workers would only multiply polling).
 */
export type AnalysisPlan = { shareable: false } | { shareable: true; ids: number[]; model: string };

/** A ticket a batch did not answer usably: analysed realtime, continuing the batch's attempts. */
interface BatchRetry {
  ticket: LoadedTicket;
  prior: PriorAttempts;
}

const NO_ATTEMPTS: PriorAttempts = { calls: [], invalidAnswers: 0, maxTokenStops: 0 };

/**
 * The analyze phase of a run: every ticket whose text changed (or whose last analysis failed) is analysed once.
 * With an analyzer that can batch (`claude`), large runs go through Message Batches (50% price), the rest realtime
 * under a concurrency limit. Every ticket ends with an analysis record; a run-stopping error (spend limit, wrong
 * model) is thrown after in-flight work is recorded, and the tickets not reached stay pending for the next run.
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
    @Optional() private readonly statistics?: PlannerStatistics,
  ) {}

  get analyzerName(): string {
    return this.analyzer.name;
  }

  /** Whether the analyzer is CPU work in this process (the local one) rather than calls awaited elsewhere. */
  get inProcess(): boolean {
    return this.analyzer.concurrency === undefined;
  }

  async analyzePending(runId: string | null, progress: AnalysisProgress): Promise<AnalysisSummary> {
    // The mode and model are read per run: an admin's change applies from the next run on.
    const settings = await this.settings.effective();
    const taxonomy = await this.prepare(settings.model);
    const state = new RunState(runId, progress);
    const batch = this.analyzer.batch;
    // Batches submitted by an interrupted run are polled, not submitted again.
    const open = batch ? await this.batches.findOpen() : [];
    const inOpen = new Set(open.flatMap((b) => b.requests.map((r) => r.ticketId)));
    const ids = (await this.tickets.pendingIds()).filter((id) => !inOpen.has(id));
    state.total = inOpen.size + ids.length;
    await state.report();

    const useBatch = batch !== undefined && batchFits(settings, ids.length);
    let submitted = 0;
    try {
      if (batch) for (const b of open) await this.completeBatch(batch, b, taxonomy, state);
      if (batch && useBatch) submitted = await this.viaBatches(batch, ids, taxonomy, state);
      else await this.realtime(ids, taxonomy, state);
    } catch (error) {
      if (error instanceof AnalysisHaltedError)
        this.logger.error(`analysis stopped after ${state.done} of ${state.total} tickets: ${error.message}`);
      throw error;
    }
    const result: AnalysisSummary = {
      analyzer: this.analyzer.name,
      mode: useBatch || open.length ? 'batch' : this.analyzer.concurrency ? 'realtime' : 'local',
      tickets: state.done,
      ...state.counts,
      batches: open.length + submitted,
    };
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
    const ids = await this.tickets.pendingIds();
    const model = this.analyzer.models ? settings.model : this.analyzer.model;
    if (!this.analyzer.batch) return { shareable: true, ids, model };
    // Message Batches (and batches an interrupted run left open) stay with the coordinator: `analyzePending`.
    const open = await this.batches.countOpen();
    if (open || batchFits(settings, ids.length)) return { shareable: false };
    return { shareable: true, ids, model };
  }

  /**
   * Analyses one chunk of a shared run (local analyzer, or Claude realtime): those of `ids` still pending that this
   * run has not recorded yet (a chunk taken over from a worker that died part-way resumes where it stopped). Every
   * write of results goes through `hooks.fence`; a run-stopping error (spend limit, wrong model) is thrown after
   * in-flight work is recorded, like `analyzePending`.
   */
  async analyzeChunk(runId: string, ids: number[], model: string, hooks: ChunkHooks): Promise<AnalysisTally> {
    const taxonomy = await this.prepare(model);
    const todo = await this.tickets.pendingAmong(ids, runId);
    const state = new RunState(runId, { report: async () => undefined, errors: (e) => hooks.errors(e) }, hooks);
    state.total = todo.length;
    await this.realtime(todo, taxonomy, state);
    return { done: state.done, ...state.counts };
  }

  /** Selects the run's model (when the analyzer offers a choice), checks the analyzer can run, reads the taxonomy. */
  private async prepare(model: string): Promise<Taxonomy> {
    this.analyzer.models?.use(model);
    await this.analyzer.check?.();
    return this.taxonomy.get();
  }

  /** Ticket by ticket, a page loaded at a time: in turn for in-process analyzers, else with calls in flight. */
  private async realtime(ids: number[], taxonomy: Taxonomy, state: RunState): Promise<void> {
    const concurrency = this.analyzer.concurrency;
    for (let i = 0; i < ids.length && !state.ending(); i += LOAD_PAGE) {
      await this.statistics?.refresh();
      const loaded = await this.tickets.load(ids.slice(i, i + LOAD_PAGE));
      const page = [...loaded.values()].filter((t) => !t.deleted);
      if (concurrency === undefined) {
        await this.inProcessPage(page, taxonomy, state);
        continue;
      }
      await mapLimit(
        page,
        concurrency,
        (ticket) => state.guard(async () => this.save(ticket, await this.analyzer.analyze(ticket, taxonomy), state)),
        () => state.ending(),
      );
    }
    state.rethrow();
  }

  /**
   * An in-process analyzer (the local one) is CPU-bound and makes no calls: a page of tickets is analysed in turn,
   * then written in one transaction. A ticket the analyzer throws on is recorded as failed with the reason
   * (retried next run).
   */
  private async inProcessPage(page: LoadedTicket[], taxonomy: Taxonomy, state: RunState): Promise<void> {
    const entries: Array<{ ticket: LoadedTicket; outcome: AnalysisOutcome }> = [];
    let slice = Date.now();
    for (const ticket of page) {
      // Let requests in between: the page is CPU work on the event loop.
      if (Date.now() - slice > 50) {
        await yieldToEventLoop();
        slice = Date.now();
        if (state.stopped()) return; // a shared run's chunk told to stop: nothing of this page is written
      }
      entries.push({ ticket, outcome: await this.analyzeInProcess(ticket, taxonomy) });
    }
    if (state.stopped()) return;
    const context = { runId: state.runId, analyzer: this.analyzer.name, model: this.analyzer.model };
    await state.fence(() => this.records.recordMany(entries, context), tallyOf(entries.map((e) => e.outcome)));
    for (const { ticket, outcome } of entries) await state.finished(ticket.zendeskId, outcome);
  }

  private async analyzeInProcess(ticket: LoadedTicket, taxonomy: Taxonomy): Promise<AnalysisOutcome> {
    try {
      return await this.analyzer.analyze(ticket, taxonomy);
    } catch (error) {
      return {
        status: 'failed',
        reason: `${this.analyzer.name} analyzer error: ${errorMessage(error)}`,
        issues: [],
        calls: [],
      };
    }
  }

  /** Records one ticket's outcome (under the chunk's claim in a shared run) and counts it. */
  private async save(ticket: LoadedTicket, outcome: AnalysisOutcome, state: RunState, batchId: string | null = null) {
    const context = { runId: state.runId, analyzer: this.analyzer.name, model: this.analyzer.model, batchId };
    await state.fence(
      async () => {
        await this.records.record(ticket, outcome, context);
      },
      tallyOf([outcome]),
    );
    await state.finished(ticket.zendeskId, outcome);
  }

  // --- Batches --------------------------------------------------------------------------------------------------

  /** Submits the tickets in batches of `BATCH_CHUNK`, then completes each; returns how many were submitted. */
  private async viaBatches(batch: BatchCapability, ids: number[], taxonomy: Taxonomy, state: RunState) {
    const submitted: AnalysisBatch[] = [];
    for (let i = 0; i < ids.length; i += BATCH_CHUNK)
      submitted.push(await this.submitBatch(batch, ids.slice(i, i + BATCH_CHUNK), taxonomy, state.runId));
    for (const b of submitted) await this.completeBatch(batch, b, taxonomy, state);
    return submitted.length;
  }

  private async submitBatch(batch: BatchCapability, ids: number[], taxonomy: Taxonomy, runId: string | null) {
    const loaded = await this.tickets.load(ids);
    const tickets = [...loaded.values()].filter((x) => !x.deleted);
    // custom_id: ^[a-zA-Z0-9_-]{1,64}$, unique within the batch.
    const refs: BatchRequestRef[] = tickets.map((t) => ({
      customId: `t${t.zendeskId}-${t.contentHash.slice(0, 16)}`,
      ticketId: t.zendeskId,
      contentHash: t.contentHash,
    }));
    const id = await batch.submit(
      refs.map((ref, k) => ({ customId: ref.customId, ticket: tickets[k]! })),
      taxonomy,
    );
    this.logger.log(`submitted batch ${id} with ${refs.length} tickets`);
    return this.batches.insertSubmitted({ id, runId, model: this.analyzer.model, requests: refs });
  }

  /** Polls a batch until it ends, records its results, and analyses realtime whatever it did not answer usably. */
  private async completeBatch(batch: BatchCapability, row: AnalysisBatch, taxonomy: Taxonomy, state: RunState) {
    const ended = (await this.awaitEnd(batch, row.id)) === 'ended';
    const answers = ended ? await batch.results(row.id, taxonomy) : new Map<string, BatchAnswer>();
    const retry: BatchRetry[] = [];
    for (let i = 0; i < row.requests.length; i += LOAD_PAGE) {
      const refs = row.requests.slice(i, i + LOAD_PAGE);
      const loaded = await this.tickets.load(refs.map((r) => r.ticketId));
      for (const ref of refs) {
        const again = await this.recordAnswer(ref, loaded.get(ref.ticketId), answers.get(ref.customId), row.id, state);
        if (again) retry.push(again);
      }
    }
    await this.batches.markProcessed(row.id);
    if (retry.length) this.logger.log(`batch ${row.id}: ${retry.length} requests retried realtime`);
    await mapLimit(
      retry,
      this.analyzer.concurrency ?? 1,
      ({ ticket, prior }) =>
        state.guard(async () => this.save(ticket, await batch.analyzeRealtime(ticket, taxonomy, prior), state, row.id)),
      () => state.halted !== null,
    );
    state.rethrow();
  }

  /** Polls with a growing wait until the batch ends or is given up; returns its last status. */
  private async awaitEnd(batch: BatchCapability, batchId: string): Promise<string> {
    const started = Date.now();
    let delay = BATCH_POLL.firstMs;
    let status = await batch.status(batchId);
    while (status !== 'ended' && Date.now() - started < BATCH_GIVE_UP_MS) {
      await sleep(delay);
      delay = Math.min(BATCH_POLL.maxMs, delay * BATCH_POLL.factor);
      status = await batch.status(batchId);
    }
    return status;
  }

  /**
   * Records one batch answer for its ticket, or returns the ticket to retry realtime (no usable answer). An answer
   * for a ticket that changed, was deleted or was already recorded (a restart) since submission is not used; its
   * call is still billed.
   */
  private async recordAnswer(
    ref: BatchRequestRef,
    ticket: LoadedTicket | undefined,
    got: BatchAnswer | undefined,
    batchId: string,
    state: RunState,
  ): Promise<BatchRetry | null> {
    if (
      !ticket ||
      ticket.deleted ||
      ticket.contentHash !== ref.contentHash ||
      ticket.analyzedHash === ref.contentHash
    ) {
      if (got) await this.records.recordUsageOnly([got.call], state.runId, ticket ? ref.ticketId : null);
      state.total--;
      return null;
    }
    if (!got) return { ticket, prior: NO_ATTEMPTS };
    const { call, answer } = got;
    if (answer.kind === 'ok') {
      const outcome = {
        status: answer.status,
        reason: answer.reason,
        issues: answer.issues,
        calls: [call],
        frustration: answer.frustration,
      };
      await this.save(ticket, outcome, state, batchId);
      return null;
    }
    if (answer.kind === 'refused') {
      await this.save(ticket, { status: 'failed', reason: answer.reason, issues: [], calls: [call] }, state, batchId);
      return null;
    }
    const prior = {
      calls: [call],
      invalidAnswers: answer.kind === 'invalid' ? 1 : 0,
      maxTokenStops: answer.kind === 'max_tokens' ? 1 : 0,
    };
    return { ticket, prior };
  }
}

/** Whether the run goes through batches: always in `batch` mode, from the settings' minimum in `auto`. */
function batchFits(settings: EffectiveAnalysisSettings, pending: number): boolean {
  return settings.mode === 'batch' || (settings.mode === 'auto' && pending >= settings.batchMinimum);
}
