import { AnalysisHaltedError, AnalysisOutcome } from './analyzer';

export interface AnalysisProgress {
  /** Progress of the analyze phase. */
  report(done: number, total: number): Promise<void>;
  /** Per-ticket failures, recorded in the run without failing it. */
  errors(errors: Array<{ ref: string; message: string }>): Promise<void>;
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

/** Thrown by `analyzeChunk` when its hooks said stop: the chunk's unwritten tickets are left for another worker. */
export class AnalysisInterruptedError extends Error {
  override readonly name = 'AnalysisInterruptedError';
  constructor() {
    super('analysis of the chunk was interrupted');
  }
}

export const tallyOf = (outcomes: AnalysisOutcome[]): AnalysisTally => ({
  done: outcomes.length,
  issuesFound: outcomes.filter((o) => o.status === 'issues_found').length,
  noProductIssue: outcomes.filter((o) => o.status === 'no_product_issue').length,
  failed: outcomes.filter((o) => o.status === 'failed').length,
});

/** Counters and the first run-stopping error of one analyze phase. */
export class RunState {
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

  /** Whether no more work may start: a run-stopping error, or a chunk told to stop. */
  ending(): boolean {
    return this.halted !== null || this.stopped();
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
