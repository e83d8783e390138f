/** Where runs are handed to processors: Bull on Redis, or in-process without it. */
export abstract class PipelineQueue {
  /**
   * Enqueues a run's execution number `attempt` (1 for a new run; a resumed run's next); enqueuing the same
   * attempt twice runs it once (stable job id), a later attempt gets a job of its own.
   */
  abstract enqueue(runId: string, attempt?: number): Promise<void>;
  /** Where the job of a run's execution `attempt` stands, and why it failed if it did. */
  abstract jobState(runId: string, attempt: number): Promise<{ state: RunJobState; reason?: string }>;
  /** Jobs waiting or active, for metrics and status. */
  abstract depth(): Promise<number>;
}

/** `missing`: no such job (never added, or removed); `pending`: waiting, delayed or being executed. */
export type RunJobState = 'pending' | 'completed' | 'failed' | 'missing';

export const PIPELINE_QUEUE_NAME = 'pipeline';
export const RUN_JOB = 'run';
/** With Redis: a job that brings one more worker process into a run's analyze phase (see sync/chunks). */
export const HELP_JOB = 'help';
/** The job of a run's execution `attempt`: a new id per attempt, since Bull keeps (and so ignores re-adding) a failed job. */
export const runJobId = (runId: string, attempt: number) => `run:${runId}:${attempt}`;
/** The run and attempt of a run job's id (null for other jobs). */
export const parseRunJobId = (jobId: string | number | undefined): { runId: string; attempt: number } | null => {
  const match = /^run:([0-9a-f-]{36}):(\d+)$/.exec(String(jobId ?? ''));
  return match ? { runId: match[1]!, attempt: Number(match[2]) } : null;
};
export interface RunJobData {
  runId: string;
}
export interface HelpJobData {
  runId: string;
  /** The analyzer and model the run's coordinator chose (settings are read once per run). */
  analyzer: string;
  model: string;
}
