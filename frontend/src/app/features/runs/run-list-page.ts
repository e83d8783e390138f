import { DatePipe, DecimalPipe } from '@angular/common';
import { HttpContext } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  InjectionToken,
  linkedSignal,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import {
  MatCell,
  MatCellDef,
  MatColumnDef,
  MatHeaderCell,
  MatHeaderCellDef,
  MatHeaderRow,
  MatHeaderRowDef,
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import { ActivatedRoute, Params, Router } from '@angular/router';
import { RunPageResponse, RunResponse, SyncService, SyncStatusResponse } from '@pim/api-client';
import { catchError, defer, finalize, map, of, repeat, retry, startWith, Subject, switchMap, tap, timer } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, positiveInt, withPage } from '../../core/http/paging';
import { Icon } from '../../shared/icon/icon';
import { RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { RunProgress } from '../../shared/runs/run-progress';
import { formatDuration, KIND_LABELS, STATUS_LABELS, TRIGGER_LABELS } from '../../shared/runs/run-labels';
import { RunDetailDialog, RunDetailDialogData } from './run-detail-dialog';
import { RunImportCard } from './run-import-card';

/** How often the page asks for the sync status while no run is active (milliseconds). */
export const SYNC_STATUS_IDLE_INTERVAL_MS = new InjectionToken<number>('SYNC_STATUS_IDLE_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 30000,
});

type HistoryState = { status: 'loading' } | { status: 'ready'; page: RunPageResponse } | { status: 'error' };

/** Status polls are background work: a failure shows on the page, not in a snackbar every two seconds. */
const QUIET = () => new HttpContext().set(SKIP_ERROR_SNACKBAR, true);

/**
 * Runs: the current run with live progress, the last and the next scheduled run, sync now / backfill, file
 * import, and the run history (a run's details open in a dialog at `/runs?run=<id>`).
 */
@Component({
  selector: 'pim-run-list-page',
  imports: [
    DatePipe,
    DecimalPipe,
    FormsModule,
    MatButton,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatInput,
    MatPaginator,
    MatProgressBar,
    MatTable,
    MatColumnDef,
    MatHeaderCell,
    MatHeaderCellDef,
    MatCell,
    MatCellDef,
    MatHeaderRow,
    MatHeaderRowDef,
    MatRow,
    MatRowDef,
    Icon,
    RunProgress,
    RunImportCard,
  ],
  templateUrl: './run-list-page.html',
  styleUrl: './run-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunListPage {
  private readonly sync = inject(SyncService);
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  private readonly activeInterval = inject(RUN_POLL_INTERVAL_MS);
  private readonly idleInterval = inject(SYNC_STATUS_IDLE_INTERVAL_MS);
  private readonly refreshStatus$ = new Subject<void>();
  private readonly reloadHistory$ = new Subject<void>();

  protected readonly kinds = KIND_LABELS;
  protected readonly triggers = TRIGGER_LABELS;
  protected readonly statuses = STATUS_LABELS;
  protected readonly duration = formatDuration;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly columns = [
    'kind',
    'trigger',
    'status',
    'startedAt',
    'duration',
    'fetched',
    'changed',
    'requests',
    'rateLimited',
    'imported',
    'rejected',
    'errors',
    'details',
  ];

  protected readonly canTrigger = computed(() => this.auth.hasRole('editor', 'admin'));

  // Sync status, polled: every ~2 s while a run is active, every 30 s otherwise.
  protected readonly status = signal<SyncStatusResponse | null>(null);
  protected readonly statusError = signal<string | null>(null);
  protected readonly isActive = computed(() => {
    const status = this.status();
    return status !== null && status.state !== 'idle';
  });
  /** The current run's full record (kind, trigger, start), fetched once per run. */
  protected readonly currentRunDetail = signal<RunResponse | null>(null);

  // Sync now / backfill.
  protected backfillDays = 30;
  protected readonly triggering = signal(false);
  protected readonly triggerBlocked = computed(() => {
    const status = this.status();
    if (status === null) {
      return 'Loading the sync status…';
    }
    if (!status.zendeskConfigured) {
      return 'Zendesk is not configured: set ZENDESK_SUBDOMAIN and an API token (or OAuth token) on the server to sync. You can still import a file.';
    }
    if (status.state !== 'idle') {
      return 'A run is in progress; a new one can start when it ends.';
    }
    return null;
  });

  // History, paged in the URL.
  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly historyQuery = computed(
    () => {
      const params = this.queryParams();
      return {
        page: positiveInt(params.get('page'), 1),
        perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
      };
    },
    // Opening a run's details changes the URL, not the page of history.
    { equal: (a, b) => a.page === b.page && a.perPage === b.perPage },
  );
  private readonly openRunId = computed(() => this.queryParams().get('run'));
  protected readonly history = toSignal(
    toObservable(this.historyQuery).pipe(
      switchMap((query) =>
        this.reloadHistory$.pipe(
          startWith(undefined),
          switchMap(() =>
            this.sync.listRuns(undefined, withPage(query)).pipe(
              map((page): HistoryState => ({ status: 'ready', page })),
              catchError(() => of<HistoryState>({ status: 'error' })),
              startWith<HistoryState>({ status: 'loading' }),
            ),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as HistoryState },
  );
  protected readonly historyPage = linkedSignal<HistoryState, RunPageResponse | null>({
    source: this.history,
    computation: (state, previous) => (state.status === 'ready' ? state.page : (previous?.value ?? null)),
  });

  private dialogRef: MatDialogRef<RunDetailDialog> | null = null;

  constructor() {
    this.refreshStatus$
      .pipe(
        startWith(undefined),
        switchMap(() =>
          defer(() => this.sync.syncStatus(undefined, QUIET())).pipe(
            tap({
              next: (status) => this.onStatus(status),
              error: (error: unknown) => this.statusError.set(apiErrorMessage(error)),
            }),
            retry({ delay: () => timer(this.pollDelay()) }),
            repeat({ delay: () => timer(this.pollDelay()) }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe();

    // `/runs?run=<id>` opens that run's details; closing the dialog takes the parameter away.
    effect(() => {
      const runId = this.openRunId();
      untracked(() => this.showRun(runId));
    });
    this.destroyRef.onDestroy(() => this.dialogRef?.close());
  }

  protected syncNow(backfillDays?: number): void {
    if (this.triggering() || this.triggerBlocked()) {
      return;
    }
    this.triggering.set(true);
    this.sync
      .triggerSync(backfillDays ? { backfillDays } : undefined)
      .pipe(
        finalize(() => this.triggering.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      // A 409 (a run already active, Zendesk not configured) is shown by the snackbar.
      .subscribe({ next: () => this.refreshStatus(), error: () => this.refreshStatus() });
  }

  // Table rows are untyped in templates: these read them as runs.
  protected kindOf(run: RunResponse): string {
    return KIND_LABELS[run.kind];
  }

  protected triggerOf(run: RunResponse): string {
    return TRIGGER_LABELS[run.trigger];
  }

  protected statusOf(run: RunResponse): string {
    return STATUS_LABELS[run.status];
  }

  protected validBackfill(): boolean {
    const days = this.backfillDays;
    return Number.isInteger(days) && days >= 1 && days <= 3650;
  }

  protected refreshStatus(): void {
    this.refreshStatus$.next();
  }

  protected reloadHistory(): void {
    this.reloadHistory$.next();
  }

  protected openRun(runId: string): void {
    this.navigate({ run: runId });
  }

  protected onPage(event: PageEvent): void {
    this.navigate({
      page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
      perPage: event.pageSize === DEFAULT_PAGE_SIZE ? null : event.pageSize,
    });
  }

  private pollDelay(): number {
    return this.isActive() ? this.activeInterval : this.idleInterval;
  }

  private onStatus(next: SyncStatusResponse): void {
    const previousStatus = this.status();
    const previousId = previousStatus?.currentRun?.id ?? null;
    const nextId = next.currentRun?.id ?? null;
    this.status.set(next);
    this.statusError.set(null);
    if (nextId !== previousId) {
      this.currentRunDetail.set(null);
      if (nextId) {
        this.sync
          .getRun({ id: nextId }, QUIET())
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe({ next: (run) => this.currentRunDetail.set(run), error: () => undefined });
      }
      // A run started or ended: the history changed.
      if (previousStatus !== null) {
        this.reloadHistory();
      }
    }
  }

  private showRun(runId: string | null): void {
    if (this.dialogRef && this.dialogRef.componentInstance?.runId === runId) {
      return;
    }
    this.dialogRef?.close();
    this.dialogRef = null;
    if (!runId) {
      return;
    }
    const ref = this.dialog.open<RunDetailDialog, RunDetailDialogData>(RunDetailDialog, {
      data: { runId },
      width: '720px',
      maxWidth: '95vw',
      autoFocus: 'dialog',
    });
    this.dialogRef = ref;
    ref.afterClosed().subscribe(() => {
      if (this.dialogRef === ref) {
        this.dialogRef = null;
        if (this.openRunId() === runId) {
          this.navigate({ run: null });
        }
      }
    });
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}
