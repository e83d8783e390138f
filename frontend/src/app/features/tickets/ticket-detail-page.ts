import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  RunResponse,
  SimilarTicketsResponse,
  SyncService,
  TicketDetailResponse,
  TicketsService,
} from '@pim/api-client';
import { catchError, finalize, map, Observable, of, startWith, Subject, switchMap, tap } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { Icon } from '../../shared/icon/icon';
import { LoadState, loadState } from '../../shared/load-state';
import { followRun, RUN_POLL_INTERVAL_MS } from '../../shared/runs/follow-run';
import { RunProgress } from '../../shared/runs/run-progress';
import { ANALYSIS_STATUS_LABELS, AUTHOR_ROLE_LABELS, humanize } from './ticket-labels';

type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; ticket: TicketDetailResponse }
  | { status: 'error'; message: string; notFound: boolean };

/**
 * One ticket: its metadata, the thread (public replies and internal notes told apart), the issues the last
 * analysis found, the analysis record, a link to Zendesk and, for editors and admins, re-analysis.
 * A card lists the most similar tickets; it loads, fails and retries on its own, so the rest of the page stays.
 * Ticket text is only ever interpolated, so markup in a subject or comment shows as text.
 */
@Component({
  selector: 'pim-ticket-detail-page',
  imports: [
    DatePipe,
    DecimalPipe,
    PercentPipe,
    RouterLink,
    MatButton,
    MatCard,
    MatCardContent,
    MatProgressBar,
    Icon,
    RunProgress,
  ],
  templateUrl: './ticket-detail-page.html',
  styleUrl: './ticket-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketDetailPage {
  private readonly tickets = inject(TicketsService);
  private readonly sync = inject(SyncService);
  private readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly pollInterval = inject(RUN_POLL_INTERVAL_MS);
  private readonly reload$ = new Subject<void>();

  /** The `:zendeskId` route parameter. */
  readonly zendeskId = input.required<string>();

  protected readonly authorRoles = AUTHOR_ROLE_LABELS;
  protected readonly analysisStatuses = ANALYSIS_STATUS_LABELS;
  protected readonly humanize = humanize;
  protected readonly canReanalyze = computed(() => this.auth.hasRole('editor', 'admin'));

  private readonly id = computed(() => {
    const id = Number(this.zendeskId());
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  });

  protected readonly state = toSignal(
    toObservable(this.id).pipe(
      switchMap((id) =>
        id === null
          ? of<DetailState>({ status: 'error', message: 'This is not a ticket number.', notFound: true })
          : this.reload$.pipe(
              startWith(undefined),
              switchMap(() => this.load(id)),
            ),
      ),
    ),
    { initialValue: { status: 'loading' } as DetailState },
  );
  /** The ticket shown: kept on screen while it reloads (after a re-analysis), cleared for another ticket. */
  protected readonly ticket = linkedSignal<DetailState, TicketDetailResponse | null>({
    source: this.state,
    computation: (state, previous) => {
      if (state.status === 'ready') {
        return state.ticket;
      }
      const shown = previous?.value ?? null;
      return state.status === 'loading' && shown?.zendeskId === this.id() ? shown : null;
    },
  });
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.status === 'error' ? state : null;
  });
  protected readonly publicReplies = computed(() => this.ticket()?.comments.filter((c) => c.public).length ?? 0);
  protected readonly internalNotes = computed(() => this.ticket()?.comments.filter((c) => !c.public).length ?? 0);

  /** How many similar tickets the card asks for. */
  protected readonly similarLimit = 10;
  private readonly similarReload$ = new Subject<void>();
  /** The similar tickets of the ticket shown, asked for once it has loaded (not on a reload of the same ticket). */
  protected readonly similar = toSignal(
    toObservable(computed(() => this.ticket()?.zendeskId ?? null)).pipe(
      switchMap((zendeskId) =>
        zendeskId === null
          ? of<LoadState<SimilarTicketsResponse>>({ status: 'loading' })
          : this.similarReload$.pipe(
              startWith(undefined),
              // The card shows its own failure: no snackbar over the ticket.
              switchMap(() =>
                loadState(
                  this.tickets.listSimilarTickets(
                    { zendeskId, limit: this.similarLimit },
                    new HttpContext().set(SKIP_ERROR_SNACKBAR, true),
                  ),
                ),
              ),
            ),
      ),
    ),
    { initialValue: { status: 'loading' } as LoadState<SimilarTicketsResponse> },
  );

  /** The re-analysis run this page started, while it runs. */
  protected readonly reanalysis = signal<RunResponse | null>(null);
  protected readonly starting = signal(false);

  protected retry(): void {
    this.reload$.next();
  }

  protected retrySimilar(): void {
    this.similarReload$.next();
  }

  protected reanalyze(): void {
    const id = this.id();
    if (id === null || this.starting() || this.reanalysis()) {
      return;
    }
    this.starting.set(true);
    let last: RunResponse | null = null;
    this.tickets
      .reanalyzeTicket({ zendeskId: id })
      .pipe(
        tap(() => this.starting.set(false)),
        switchMap(({ runId }) => followRun(this.sync, runId, this.pollInterval)),
        finalize(() => {
          this.starting.set(false);
          this.reanalysis.set(null);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (run) => {
          last = run;
          this.reanalysis.set(run);
        },
        complete: () => {
          if (last) {
            this.announce(last);
          }
          this.reload$.next();
        },
        // Errors are shown by the snackbar (a run already active answers 409 with the reason).
        error: () => undefined,
      });
  }

  private announce(run: RunResponse): void {
    const message =
      run.status === 'succeeded' ? 'Re-analysis finished' : `Re-analysis failed: ${run.error ?? 'see the run'}`;
    this.snackBar
      .open(message, 'View run', { duration: 10000 })
      .onAction()
      .subscribe(() => void this.router.navigate(['/runs'], { queryParams: { run: run.id } }));
  }

  private load(zendeskId: number): Observable<DetailState> {
    // This page shows the failure itself (a missing ticket is not an alarm).
    return this.tickets.getTicket({ zendeskId }, new HttpContext().set(SKIP_ERROR_SNACKBAR, true)).pipe(
      map((ticket): DetailState => ({ status: 'ready', ticket })),
      catchError((error: unknown) =>
        of<DetailState>({
          status: 'error',
          message: apiErrorMessage(error),
          notFound: error instanceof HttpErrorResponse && error.status === 404,
        }),
      ),
      startWith<DetailState>({ status: 'loading' }),
    );
  }
}
