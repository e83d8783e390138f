import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import {
  ClusterDetailResponse,
  ClustersService,
  IssueResponse,
  IssuesService,
  MergeCandidateResponse,
  UpdateClusterRequest,
} from '@pim/api-client';
import { catchError, filter, map, Observable, of, startWith, Subject, switchMap } from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { Icon } from '../../shared/icon/icon';
import { PM_STATUS_LABELS, PmStatus } from '../../shared/issues/issue-labels';
import { ClusterHeader } from './cluster-header';
import { ClusterIssuesCard, IssueToggle } from './cluster-issues-card';
import { ClusterRestructureCard } from './cluster-restructure-card';
import { ClusterTarget } from './cluster-target';
import { ClusterImpactCard } from './cluster-impact-card';
import { ClusterTicketsCard } from './cluster-tickets-card';
import { ClusterTriageCard } from './cluster-triage-card';
import { ClusterTrackerCard } from './cluster-tracker-card';
import { SimilarClustersCard } from './similar-clusters-card';

type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; cluster: ClusterDetailResponse }
  | { status: 'error'; message: string; notFound: boolean };

/**
 * One cluster: name and summary, triage (status, owner, notes, external link; editors and admins only),
 * its trend, its issues with their verbatim quotes, its tickets, similar clusters (merge candidates, which editors can
 * pick or reject as "not the same"), and merge, split and move: the page loads the cluster and sends the changes;
 * its cards (`cluster-*-card.ts`, `similar-clusters-card.ts`) show it and say what was asked.
 * Ticket and cluster text is only ever interpolated.
 */
@Component({
  selector: 'pim-cluster-detail-page',
  imports: [
    RouterLink,
    MatButton,
    MatCard,
    MatCardContent,
    MatProgressBar,
    Icon,
    ClusterHeader,
    ClusterIssuesCard,
    ClusterTicketsCard,
    ClusterImpactCard,
    ClusterTriageCard,
    ClusterTrackerCard,
    SimilarClustersCard,
    ClusterRestructureCard,
  ],
  templateUrl: './cluster-detail-page.html',
  styleUrl: './cluster-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterDetailPage {
  private readonly clusters = inject(ClustersService);
  private readonly issues = inject(IssuesService);
  private readonly auth = inject(AuthStore);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly reload$ = new Subject<void>();

  /** The `:id` route parameter. */
  readonly id = input.required<string>();

  protected readonly canEdit = computed(() => this.auth.hasRole('editor', 'admin'));

  protected readonly state = toSignal(
    toObservable(this.id).pipe(
      switchMap((id) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() => this.load(id)),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as DetailState },
  );
  /** The cluster shown: kept while it reloads after a change, cleared for another cluster. */
  protected readonly cluster = linkedSignal<DetailState, ClusterDetailResponse | null>({
    source: this.state,
    computation: (state, previous) => {
      if (state.status === 'ready') {
        return state.cluster;
      }
      const shown = previous?.value ?? null;
      return state.status === 'loading' && shown?.id === this.id() ? shown : null;
    },
  });
  protected readonly failure = computed(() => {
    const state = this.state();
    return state.status === 'error' ? state : null;
  });

  protected readonly saving = signal(false);

  /** Issues picked for a split. */
  protected readonly selected = linkedSignal<ClusterDetailResponse | null, ReadonlySet<string>>({
    source: this.cluster,
    computation: (cluster, previous) => {
      const ids = new Set(cluster?.issues.map((issue) => issue.id) ?? []);
      return new Set([...(previous?.value ?? [])].filter((id) => ids.has(id)));
    },
  });
  protected readonly splitName = signal('');

  /** Merge candidates whose rejection is on its way. */
  protected readonly rejecting = signal<ReadonlySet<string>>(new Set());

  /** The other cluster picked for a merge or a move. */
  protected readonly target = linkedSignal<string, ClusterTarget | null>({ source: this.id, computation: () => null });

  protected retry(): void {
    this.reload$.next();
  }

  protected onStatus(pmStatus: PmStatus): void {
    this.update({ pmStatus }, `Status set to ${PM_STATUS_LABELS[pmStatus]}`);
  }

  protected save(changes: UpdateClusterRequest): void {
    this.update(changes, 'Cluster saved');
  }

  protected toggle({ issue, checked }: IssueToggle): void {
    const next = new Set(this.selected());
    if (checked) {
      next.add(issue.id);
    } else {
      next.delete(issue.id);
    }
    this.selected.set(next);
  }

  protected pick(target: ClusterTarget): void {
    this.target.set({ id: target.id, name: target.name, issueCount: target.issueCount });
  }

  /** "Not the same": no run proposes this pair again; the candidate leaves the list without a reload. */
  protected rejectCandidate(candidate: MergeCandidateResponse): void {
    const id = this.id();
    const done = () =>
      this.rejecting.update((ids) => {
        const next = new Set(ids);
        next.delete(candidate.id);
        return next;
      });
    this.confirm({
      title: 'Not the same problem?',
      message: `"${candidate.name}" will not be proposed for merging with this cluster again, by any run.`,
      confirmLabel: 'Not the same',
      destructive: false,
    })
      .pipe(
        switchMap(() => {
          this.rejecting.update((ids) => new Set(ids).add(candidate.id));
          return this.clusters.rejectMergeProposal({ id, candidateId: candidate.id });
        }),
      )
      .subscribe({
        next: () => {
          done();
          this.cluster.update((cluster) =>
            cluster && cluster.id === id
              ? { ...cluster, mergeCandidates: cluster.mergeCandidates.filter((c) => c.id !== candidate.id) }
              : cluster,
          );
          if (this.target()?.id === candidate.id) {
            this.target.set(null);
          }
          this.snackBar.open(`"${candidate.name}" will not be proposed again`, undefined, { duration: 5000 });
        },
        // The snackbar shows the server's message; the candidate stays.
        error: done,
      });
  }

  protected merge(): void {
    const target = this.target();
    const cluster = this.cluster();
    if (!target || !cluster) {
      return;
    }
    this.confirm({
      title: 'Merge clusters',
      message: `Move all ${cluster.issueCount} issues of "${cluster.name}" into "${target.name}"? This cluster is kept, marked as merged.`,
      confirmLabel: 'Merge',
      destructive: true,
    })
      .pipe(switchMap(() => this.clusters.mergeClusters({ id: target.id, body: { sourceIds: [cluster.id] } })))
      .subscribe({
        next: () => {
          this.snackBar.open(`Merged into ${target.name}`, undefined, { duration: 5000 });
          void this.router.navigate(['/clusters', target.id]);
        },
        error: () => undefined,
      });
  }

  protected split(): void {
    const issueIds = [...this.selected()];
    if (!issueIds.length) {
      return;
    }
    const name = this.splitName().trim();
    this.clusters.splitCluster({ id: this.id(), body: name ? { issueIds, name } : { issueIds } }).subscribe({
      next: (created) => {
        this.splitName.set('');
        this.selected.set(new Set());
        this.snackBar
          .open(
            `${issueIds.length} ${issueIds.length === 1 ? 'issue' : 'issues'} split into "${created.name}"`,
            'Open',
            {
              duration: 8000,
            },
          )
          .onAction()
          .subscribe(() => void this.router.navigate(['/clusters', created.id]));
        this.reload$.next();
      },
      error: () => undefined,
    });
  }

  protected move(issue: IssueResponse): void {
    const target = this.target();
    if (!target) {
      return;
    }
    this.issues.moveIssue({ id: issue.id, body: { clusterId: target.id } }).subscribe({
      next: () => {
        this.snackBar.open(`Issue moved to ${target.name}`, undefined, { duration: 5000 });
        this.reload$.next();
      },
      error: () => undefined,
    });
  }

  private update(body: UpdateClusterRequest, message: string): void {
    this.saving.set(true);
    this.clusters.updateCluster({ id: this.id(), body }).subscribe({
      next: () => {
        this.saving.set(false);
        this.snackBar.open(message, undefined, { duration: 4000 });
        this.reload$.next();
      },
      // The snackbar shows the server's message; the form keeps what was typed.
      error: () => this.saving.set(false),
    });
  }

  private confirm(data: ConfirmDialogData): Observable<true> {
    return this.dialog
      .open<ConfirmDialog, ConfirmDialogData, boolean>(ConfirmDialog, { data })
      .afterClosed()
      .pipe(filter((confirmed): confirmed is true => confirmed === true));
  }

  private load(id: string): Observable<DetailState> {
    // This page shows the failure itself (a missing cluster is not an alarm).
    return this.clusters.getCluster({ id }, new HttpContext().set(SKIP_ERROR_SNACKBAR, true)).pipe(
      map((cluster): DetailState => ({ status: 'ready', cluster })),
      catchError((error: unknown) =>
        of<DetailState>({
          status: 'error',
          message:
            error instanceof HttpErrorResponse && error.status === 404
              ? 'This cluster does not exist.'
              : apiErrorMessage(error),
          notFound: error instanceof HttpErrorResponse && error.status === 404,
        }),
      ),
      startWith<DetailState>({ status: 'loading' }),
    );
  }
}
