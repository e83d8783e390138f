import type { AnalysisService, AnalysisSummary } from './analysis.service';

/** The slice of a run the step needs (structurally the sync module's `Run`). */
export interface StepRun {
  id: string;
}

export type RunErrorSink = (runId: string, errors: Array<{ ref: string; message: string }>) => Promise<void>;

/**
 * The pipeline's analyze phase (a `PipelineStep` of the sync module, which constructs it with its run-error
 * sink: the analysis module does not import the sync module, so there is no cycle).
 */
export class AnalysisStep {
  readonly phase = 'analyze' as const;
  /** The last summary, for logs and tests. */
  lastSummary: AnalysisSummary | null = null;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly addErrors: RunErrorSink,
  ) {}

  async run(run: StepRun, report: (done: number, total: number) => Promise<void>): Promise<void> {
    this.lastSummary = await this.analysis.analyzePending(run.id, {
      report,
      errors: (errors) => this.addErrors(run.id, errors),
    });
  }
}
