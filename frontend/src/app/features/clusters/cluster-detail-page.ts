import { DatePipe, DecimalPipe, PercentPipe } from '@angular/common';
import { HttpContext, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatOption } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
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
import {
  catchError,
  debounceTime,
  distinctUntilChanged,
  filter,
  map,
  Observable,
  of,
  startWith,
  Subject,
  switchMap,
} from 'rxjs';
import { AuthStore } from '../../core/auth/auth-store';
import { apiErrorMessage } from '../../core/http/api-error';
import { SKIP_ERROR_SNACKBAR } from '../../core/http/http-error-interceptor';
import { Sparkline } from '../../shared/charts/sparkline';
import { ConfirmDialog, ConfirmDialogData } from '../../shared/confirm-dialog/confirm-dialog';
import { Icon } from '../../shared/icon/icon';
import {
  formatTrend,
  humanize,
  PM_STATUS_LABELS,
  PM_STATUSES,
  PmStatus,
  trendDirection,
} from '../../shared/issues/issue-labels';

type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; cluster: ClusterDetailResponse }
  | { status: 'error'; message: string; notFound: boolean };

/** Another cluster to merge into or move issues to. */
interface Target {
  id: string;
  name: string;
  issueCount: number;
}

/**
 * One cluster: name and summary, triage (status, owner, notes, external link; editors and admins only),
 * its trend, its issues with their verbatim quotes, its tickets, similar clusters (merge candidates, which editors can
 * pick or reject as "not the same"), and merge, split and move.
 * Ticket and cluster text is only ever interpolated.
 */
@Component({
  selector: 'pim-cluster-detail-page',
  imports: [
    DatePipe,
    DecimalPipe,
    PercentPipe,
    RouterLink,
    MatButton,
    MatCard,
    MatCardContent,
    MatCheckbox,
    MatFormField,
    MatHint,
    MatLabel,
    MatInput,
    MatSelect,
    MatOption,
    MatProgressBar,
    Icon,
    Sparkline,
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

  protected readonly statuses = PM_STATUSES;
  protected readonly statusLabels = PM_STATUS_LABELS;
  protected readonly humanize = humanize;
  protected readonly formatTrend = formatTrend;
  protected readonly trendDirection = trendDirection;
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
  protected readonly nameLocked = computed(() => this.cluster()?.lockedFields.includes('name') ?? false);

  /** The triage form, reset from each loaded cluster. */
  protected readonly draft = linkedSignal(() => {
    const cluster = this.cluster();
    return {
      name: cluster?.name ?? '',
      owner: cluster?.owner ?? '',
      pmNotes: cluster?.pmNotes ?? '',
      externalUrl: cluster?.externalUrl ?? '',
    };
  });
  protected readonly changes = computed<UpdateClusterRequest>(() => {
    const cluster = this.cluster();
    const draft = this.draft();
    if (!cluster) {
      return {};
    }
    const changes: UpdateClusterRequest = {};
    if (draft.name.trim() && draft.name.trim() !== cluster.name) {
      changes.name = draft.name.trim();
    }
    if (draft.owner.trim() !== (cluster.owner ?? '')) {
      changes.owner = draft.owner.trim() || null;
    }
    if (draft.pmNotes !== cluster.pmNotes) {
      changes.pmNotes = draft.pmNotes;
    }
    if (draft.externalUrl.trim() !== (cluster.externalUrl ?? '')) {
      changes.externalUrl = draft.externalUrl.trim() || null;
    }
    return changes;
  });
  protected readonly dirty = computed(() => Object.keys(this.changes()).length > 0);
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
  protected readonly target = linkedSignal<string, Target | null>({ source: this.id, computation: () => null });
  protected readonly targetSearch = signal('');
  protected readonly searchResults = toSignal(
    toObservable(this.targetSearch).pipe(
      debounceTime(300),
      map((search) => search.trim()),
      distinctUntilChanged(),
      switchMap((search) =>
        search
          ? this.clusters.listClusters({ search, active: true, page: 1, perPage: 10 }).pipe(
              map((page) => page.items.filter((cluster) => cluster.id !== this.id())),
              catchError(() => of([])),
            )
          : of([]),
      ),
    ),
    { initialValue: [] },
  );

  protected readonly dailyTrend = computed(() => this.cluster()?.daily ?? []);

  protected retry(): void {
    this.reload$.next();
  }

  protected statusLabel(status: string): string {
    return this.statusLabels[status as PmStatus] ?? humanize(status);
  }

  protected setDraft(field: 'name' | 'owner' | 'pmNotes' | 'externalUrl', value: string): void {
    this.draft.update((draft) => ({ ...draft, [field]: value }));
  }

  protected onStatus(pmStatus: PmStatus): void {
    this.update({ pmStatus }, `Status set to ${this.statusLabels[pmStatus]}`);
  }

  protected save(): void {
    if (this.dirty()) {
      this.update(this.changes(), 'Cluster saved');
    }
  }

  protected resetDraft(): void {
    this.draft.set({
      name: this.cluster()?.name ?? '',
      owner: this.cluster()?.owner ?? '',
      pmNotes: this.cluster()?.pmNotes ?? '',
      externalUrl: this.cluster()?.externalUrl ?? '',
    });
  }

  protected toggle(issue: IssueResponse, checked: boolean): void {
    const next = new Set(this.selected());
    if (checked) {
      next.add(issue.id);
    } else {
      next.delete(issue.id);
    }
    this.selected.set(next);
  }

  protected pick(target: Target): void {
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
