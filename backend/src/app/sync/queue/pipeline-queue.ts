/** Where runs are handed to processors: Bull on Redis, or in-process without it. */
export abstract class PipelineQueue {
  /** Enqueues a run; enqueuing the same run twice runs it once (stable job id). */
  abstract enqueue(runId: string): Promise<void>;
  /** Jobs waiting or active, for metrics and status. */
  abstract depth(): Promise<number>;
}

export const PIPELINE_QUEUE_NAME = 'pipeline';
export const RUN_JOB = 'run';
export interface RunJobData {
  runId: string;
}
