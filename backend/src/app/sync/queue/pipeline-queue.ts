/** Where runs are handed to processors: Bull on Redis, or in-process without it. */
export abstract class PipelineQueue {
  /** Enqueues a run; enqueuing the same run twice runs it once (stable job id). */
  abstract enqueue(runId: string): Promise<void>;
  /** Jobs waiting or active, for metrics and status. */
  abstract depth(): Promise<number>;
}

export const PIPELINE_QUEUE_NAME = 'pipeline';
export const RUN_JOB = 'run';
/** With Redis: a job that brings one more worker process into a run's analyze phase (see sync/chunks). */
export const HELP_JOB = 'help';
export interface RunJobData {
  runId: string;
}
export interface HelpJobData {
  runId: string;
  /** The analyzer and model the run's coordinator chose (settings are read once per run). */
  analyzer: string;
  model: string;
}
