import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { AnalysisInterruptedError, AnalysisService, AnalysisTally } from '@app/analysis/analysis.service';
import { AnalysisHaltedError } from '@app/analysis/analyzer';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { BullPipelineQueue } from '../queue/bull.queue';
import { HelpJobData } from '../queue/pipeline-queue';
import { RunRepository } from '../repositories/run.repository';
import { ClaimedChunk, ClaimLostError, RunChunksService } from './run-chunks.service';
import { sleep } from '@app/common/async';
import { errorMessage } from '@app/common/errors';

/** Help jobs per run at most: one per worker process that joins (a process takes one job at a time). */
export const MAX_HELPERS = 16;

/**
 * Chunks a process works on at once with an in-process analyzer (the local one): while one chunk's analysis holds
 * the event loop, the other's reads and writes run in PostgreSQL, which otherwise waited in turn (at 100k
 * tickets the database's share of the analyze phase was as large as the analyzer's). Claude realtime keeps one:
 * its chunk already has calls in flight (REALTIME_CONCURRENCY).
 */
export const IN_PROCESS_LANES = 2;

/**
 * With Redis, a run's analyze phase is shared by every worker process that is free.
 *
 * The process executing the run job (its coordinator) splits the pending tickets into chunks (`run_chunks`),
 * enqueues help jobs on the pipeline queue and works on chunks itself (so one worker alone finishes the run);
 * each worker that takes a help job claims chunks too until none is left. A claim is a lease renewed while the
 * chunk is worked on; a chunk whose worker died is taken over when the lease runs out (RUN_CHUNK_LEASE_MS), and
 * results are written only under a claim proven current (`RunChunksService.fenced`), so no ticket is analysed twice
 * in one run. A chunk that throws is recorded with its reason and tried again, up to CHUNK_MAX_ATTEMPTS; after
 * that the run fails naming it, and its tickets stay pending for the next run. The coordinator waits for every
 * chunk before the cluster phase, and reports progress counted from the chunk table (right across processes).
 *
 * Claude with Message Batches stays on the coordinator (`AnalysisService.analyzePending`, as without Redis): a
 * batch is already processed in parallel at Anthropic. Without Redis none of this runs: the in-process queue
 * executes the pipeline's `AnalysisStep` as before.
 */
@Injectable()
export class SharedAnalysisService implements BeforeApplicationShutdown {
  private static instances = 0;
  private readonly logger = new Logger(SharedAnalysisService.name);
  /** "host:pid" (with "#n" for a further app instance in one process, as in tests): shown in the run's stats. */
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private stopping = false;
  private readonly helping = new Set<Promise<void>>();

  constructor(
    private readonly analysis: AnalysisService,
    private readonly chunks: RunChunksService,
    private readonly runs: RunRepository,
    private readonly queue: BullPipelineQueue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const n = ++SharedAnalysisService.instances;
    this.workerId = `${hostname()}:${process.pid}${n > 1 ? `#${n}` : ''}`;
    this.leaseMs = config.runChunkLeaseMs;
    this.pollMs = Math.min(1000, Math.max(100, Math.floor(this.leaseMs / 4)));
  }

  /** The analyze phase of a run, on its coordinator. Throws when it failed or stopped (the run fails). */
  async coordinate(runId: string, report: (done: number, total: number) => Promise<void>): Promise<void> {
    const plan = await this.analysis.plan();
    if (!plan.shareable) {
      // Message Batches: the coordinator alone, exactly as without Redis.
      await this.analysis.analyzePending(runId, { report, errors: (errors) => this.runs.addErrors(runId, errors) });
      return;
    }
    const count = await this.chunks.plan(runId, plan.ids);
    await this.runs.progress(runId, { stats: { coordinator: this.workerId, analysisChunks: count } });
    if (!count) {
      await report(0, 0);
      return;
    }
    const helpers = Math.min(count - 1, MAX_HELPERS);
    await this.queue.enqueueHelpers({ runId, analyzer: this.analysis.analyzerName, model: plan.model }, helpers);
    const progress = this.progressLoop(runId, report);
    try {
      await this.participate(runId, plan.model, true);
    } finally {
      await progress.stop();
      await this.queue
        .removeHelpers(runId, helpers)
        .catch((error: unknown) => this.logger.warn(`help jobs of run ${runId} not removed: ${errorMessage(error)}`));
    }
    const summary = await this.chunks.summary(runId);
    await report(summary.doneTickets, summary.tickets);
    await this.runs.progress(runId, { stats: { workers: summary.workers, analysisChunks: summary.chunks } });
    const workers = Object.entries(summary.workers)
      .map(([id, n]) => `${id}: ${n}`)
      .join(', ');
    this.logger.log(
      `run ${runId}: analysed ${summary.doneTickets} of ${summary.tickets} tickets in ${summary.done} of ${summary.chunks} chunks (${workers}): ${summary.tally.issuesFound} with issues, ${summary.tally.noProductIssue} without, ${summary.tally.failed} failed`,
    );
    if (summary.halted) throw new AnalysisHaltedError(summary.halted);
    const [first] = summary.failures;
    if (first) {
      throw new Error(
        `Analysis of ${summary.failures.length} of ${summary.chunks} chunks failed after retries (their tickets stay pending for the next run); chunk ${first.seq}: ${first.error}`,
      );
    }
  }

  /** A help job: this process works on the run's chunks until none is left to claim. */
  async help(job: HelpJobData): Promise<void> {
    if (this.stopping) return;
    if (job.analyzer !== this.analysis.analyzerName) {
      // A worker configured otherwise (no ANTHROPIC_API_KEY, say) would mix analyzers in one run: it stays out.
      this.logger.warn(
        `not helping with run ${job.runId}: it analyses with ${job.analyzer}, this process with ${this.analysis.analyzerName}`,
      );
      return;
    }
    const work = this.participate(job.runId, job.model, false);
    this.helping.add(work);
    try {
      await work;
    } finally {
      this.helping.delete(work);
    }
  }

  /**
   * A process stopping gives the chunks it helps with back (they are taken over at once, not after the lease)
   * before its queue and database close. A run it coordinates is finished first, as a run job always was.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.helping]);
  }

  /** Works on the run's chunks in `IN_PROCESS_LANES` lanes (one for an analyzer that calls out). */
  private async participate(runId: string, model: string, coordinator: boolean): Promise<void> {
    const lanes = this.analysis.inProcess ? IN_PROCESS_LANES : 1;
    const ended = await Promise.allSettled(Array.from({ length: lanes }, () => this.lane(runId, model, coordinator)));
    const failed = ended.find((e): e is PromiseRejectedResult => e.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Claims and analyses chunks, one at a time. A helper leaves when nothing is claimable; the coordinator stays until
   * every chunk is done or failed (taking over chunks whose worker died), or a run-stopping error ended the phase.
   */
  private async lane(runId: string, model: string, coordinator: boolean): Promise<void> {
    for (;;) {
      if (this.stopping && !coordinator) return;
      const chunk = await this.chunks.claim(runId, this.workerId, this.leaseMs);
      if (chunk) {
        await this.work(chunk, model, coordinator);
        continue;
      }
      if (!coordinator) return;
      const s = await this.chunks.summary(runId);
      const live = s.claimed - s.expired;
      if (live === 0 && (s.halted !== null || (s.pending === 0 && s.expired === 0))) return;
      await sleep(this.pollMs);
    }
  }

  private async work(chunk: ClaimedChunk, model: string, coordinator: boolean): Promise<void> {
    let lost = false;
    const renewal = setInterval(
      () =>
        void this.chunks.renew(chunk, this.leaseMs).then(
          (held) => (lost ||= !held),
          (error: unknown) => this.logger.warn(`lease of chunk ${chunk.seq} not renewed: ${errorMessage(error)}`),
        ),
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    // One write at a time per chunk: each holds the chunk's row lock (and a connection) while it commits.
    let writes: Promise<void> = Promise.resolve();
    const fence = (write: () => Promise<void>, tally: AnalysisTally) => {
      const next = writes.then(() => this.chunks.fenced(chunk, this.leaseMs, tally, write));
      writes = next.catch(() => undefined);
      return next;
    };
    try {
      await this.analysis.analyzeChunk(chunk.runId, chunk.ticketIds, model, {
        errors: (errors) => this.runs.addErrors(chunk.runId, errors),
        fence,
        stopped: () => lost || (this.stopping && !coordinator),
      });
      if (!(await this.chunks.complete(chunk, this.workerId))) this.lostClaim(chunk);
    } catch (error) {
      if (error instanceof ClaimLostError || lost) {
        this.lostClaim(chunk);
      } else if (error instanceof AnalysisInterruptedError) {
        await this.chunks.release(chunk);
        this.logger.log(`chunk ${chunk.seq} of run ${chunk.runId} given back: ${this.workerId} is stopping`);
      } else {
        const message = errorMessage(error);
        const halted = error instanceof AnalysisHaltedError;
        this.logger.error(`chunk ${chunk.seq} of run ${chunk.runId} failed on ${this.workerId}: ${message}`);
        await this.chunks.fail(chunk, message, halted);
        await this.runs.addErrors(chunk.runId, [
          {
            ref: `chunk ${chunk.seq}`,
            message: `analysis of ${chunk.ticketIds.length} tickets failed on ${this.workerId} (attempt ${chunk.attempts}): ${message}`,
          },
        ]);
      }
    } finally {
      clearInterval(renewal);
    }
  }

  private lostClaim(chunk: ClaimedChunk): void {
    this.logger.warn(`chunk ${chunk.seq} of run ${chunk.runId}: ${this.workerId} lost its claim (lease ran out)`);
  }

  /** Reports the run's progress from the chunk table while the coordinator works (every worker's chunks count). */
  private progressLoop(runId: string, report: (done: number, total: number) => Promise<void>) {
    let last: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      last = last
        .then(async () => {
          const s = await this.chunks.summary(runId);
          await report(s.doneTickets, s.tickets);
        })
        .catch((error: unknown) => this.logger.warn(`progress of run ${runId}: ${errorMessage(error)}`));
    }, 500);
    return {
      stop: async () => {
        clearInterval(timer);
        await last;
      },
    };
  }
}
