import { RunErrorResponse, RunPhase, RunResponse, RunStatus } from '@pim/api-client';

export type RunKind = RunResponse['kind'];
export type RunTrigger = RunResponse['trigger'];

export const PHASE_LABELS: Record<RunPhase, string> = {
  queued: 'Queued',
  sync: 'Sync',
  import: 'Import',
  analyze: 'Analyze',
  cluster: 'Cluster',
  done: 'Done',
};

export const KIND_LABELS: Record<RunKind, string> = {
  sync: 'Sync',
  import: 'Import',
  analyze: 'Analyze',
};

export const TRIGGER_LABELS: Record<RunTrigger, string> = {
  schedule: 'Schedule',
  manual: 'Manual',
  import: 'File import',
  demo: 'Demo data',
  resume: 'Resumed',
  reanalyze: 'Re-analysis',
};

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** The working phases a run of this kind goes through, in order (every phase when the kind is unknown). */
export function phasesOf(kind: RunKind | null | undefined): RunPhase[] {
  switch (kind) {
    case 'sync':
      return ['sync', 'analyze', 'cluster'];
    case 'import':
      return ['import', 'analyze', 'cluster'];
    case 'analyze':
      return ['analyze', 'cluster'];
    default:
      return ['sync', 'import', 'analyze', 'cluster'];
  }
}

export function isRunActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** "line 3: id must be a positive integer". */
export function runErrorText(error: RunErrorResponse): string {
  return error.ref ? `${error.ref}: ${error.message}` : error.message;
}

/** "850 ms", "12 s", "3 min 05 s", "1 h 02 min"; an em dash when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
