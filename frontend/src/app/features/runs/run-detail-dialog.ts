import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogClose,
  MatDialogContent,
  MatDialogTitle,
} from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RunResponse, RunStatsResponse, SyncService } from '@pim/api-client';
import { followRun, RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { RunProgress } from '../../shared/runs/run-progress';
import {
  formatDuration,
  isRunActive,
  KIND_LABELS,
  runErrorText,
  STATUS_LABELS,
  TRIGGER_LABELS,
} from '../../shared/runs/run-labels';

export interface RunDetailDialogData {
  runId: string;
}

const STAT_LABELS: Record<keyof RunStatsResponse, string> = {
  ticketsFetched: 'Tickets fetched',
  ticketsChanged: 'Tickets changed',
  ticketsUnchanged: 'Tickets unchanged',
  ticketsDeleted: 'Tickets deleted',
  commentsFetched: 'Comments fetched',
  usersSynced: 'Users synced',
  organizationsSynced: 'Organizations synced',
  zendeskRequests: 'Zendesk requests',
  rateLimited: '429 answers (waited out)',
  retries: 'Retries',
  rowsImported: 'Rows imported',
  rowsRejected: 'Rows rejected',
  rowsSkipped: 'Rows skipped (Zendesk owns the ticket)',
  usersKept: 'Users kept as Zendesk has them',
  threadStrategy: 'Threads fetched',
  analysisChunks: 'Analysis chunks',
  coordinator: 'Run by worker',
  workers: 'Chunks per worker',
  attempts: 'Executions (resumed after a process stopped)',
  owner: 'Executed by process',
};

/** A stat as text or a number: thread strategies in words, the chunks per worker as "host:pid: n, …". */
function statValue(value: RunStatsResponse[keyof RunStatsResponse]): string | number {
  if (value === 'per_ticket') return 'per ticket';
  if (value === 'events') return 'from the event export';
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([worker, chunks]) => `${worker}: ${chunks}`)
      .join(', ');
  return value ?? '';
}

/** One run: what started it, how it went, its counts and the errors it recorded. Follows the run while it is active. */
@Component({
  selector: 'pim-run-detail-dialog',
  imports: [
    DatePipe,
    DecimalPipe,
    MatButton,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatDialogClose,
    MatProgressBar,
    RunProgress,
  ],
  templateUrl: './run-detail-dialog.html',
  styleUrl: './run-detail-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunDetailDialog {
  private readonly sync = inject(SyncService);

  readonly runId = inject<RunDetailDialogData>(MAT_DIALOG_DATA).runId;

  protected readonly kinds = KIND_LABELS;
  protected readonly triggers = TRIGGER_LABELS;
  protected readonly statuses = STATUS_LABELS;
  protected readonly duration = formatDuration;
  protected readonly errorText = runErrorText;

  protected readonly run = signal<RunResponse | null>(null);
  protected readonly failed = signal(false);
  protected readonly active = computed(() => {
    const run = this.run();
    return run !== null && isRunActive(run.status);
  });
  protected readonly stats = computed(() => {
    const stats = this.run()?.stats ?? {};
    return (Object.keys(STAT_LABELS) as (keyof RunStatsResponse)[])
      .filter((key) => stats[key] !== undefined && stats[key] !== null)
      .map((key) => ({
        key,
        label: STAT_LABELS[key],
        value: statValue(stats[key]),
      }));
  });

  constructor() {
    followRun(this.sync, this.runId, inject(RUN_POLL_INTERVAL_MS))
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (run) => this.run.set(run),
        error: () => this.failed.set(true),
      });
  }

  protected isNumber(value: unknown): value is number {
    return typeof value === 'number';
  }
}
