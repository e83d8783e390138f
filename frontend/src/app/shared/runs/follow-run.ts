import { InjectionToken } from '@angular/core';
import { RunResponse, SyncService } from '@pim/api-client';
import { exhaustMap, Observable, takeWhile, timer } from 'rxjs';
import { isRunActive } from './run-labels';

/** How often a page asks for the progress of a run it shows (milliseconds). */
export const RUN_POLL_INTERVAL_MS = new InjectionToken<number>('RUN_POLL_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

/**
 * The run `runId` as it progresses: asks `GET /api/sync/runs/{id}` now and every `intervalMs` (never two
 * requests at once), and completes after emitting the run once it has succeeded or failed.
 */
export function followRun(sync: SyncService, runId: string, intervalMs: number): Observable<RunResponse> {
  return timer(0, intervalMs).pipe(
    exhaustMap(() => sync.getRun({ id: runId })),
    takeWhile((run) => isRunActive(run.status), true),
  );
}
