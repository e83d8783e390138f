import { CurrencyPipe, DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatButtonToggle, MatButtonToggleGroup } from '@angular/material/button-toggle';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ClustersService, IssuesService, SyncService } from '@pim/api-client';
import { Observable, of, startWith, Subject, switchMap } from 'rxjs';
import { StackedBarChart } from '../../shared/charts/stacked-bar-chart';
import {
  formatTrend,
  humanize,
  PERIODS,
  periodFrom,
  PM_STATUS_LABELS,
  PmStatus,
  trendDirection,
} from '../../shared/issues/issue-labels';
import { LoadState, loadState, valueOf } from '../../shared/load-state';
import { KIND_LABELS, STATUS_LABELS } from '../../shared/runs/run-labels';

type Interval = 'day' | 'week';

/**
 * What a PM opens first: the period's numbers, issues per day or week by category, the biggest and the
 * emerging clusters with their trend, and the last and next runs. Period and interval live in the URL.
 */
@Component({
  selector: 'pim-dashboard-page',
  imports: [
    CurrencyPipe,
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButton,
    MatButtonToggleGroup,
    MatButtonToggle,
    MatCard,
    MatCardContent,
    MatProgressBar,
    StackedBarChart,
  ],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  private readonly issues = inject(IssuesService);
  private readonly clusters = inject(ClustersService);
  private readonly sync = inject(SyncService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly reload$ = new Subject<void>();

  protected readonly periods = PERIODS;
  protected readonly pmStatusLabels = PM_STATUS_LABELS;
  protected readonly runKinds = KIND_LABELS;
  protected readonly runStatuses = STATUS_LABELS;
  protected readonly humanize = humanize;
  protected readonly formatTrend = formatTrend;
  protected readonly trendDirection = trendDirection;

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly days = computed(() => periodFrom(this.queryParams().get('days')));
  protected readonly interval = computed<Interval>(() =>
    this.queryParams().get('interval') === 'week' ? 'week' : 'day',
  );

  protected readonly summaryState = this.load(toObservable(this.days), (days) =>
    this.issues.getIssuesSummary({ days }),
  );
  protected readonly trendsState = this.load(
    toObservable(computed(() => ({ days: this.days(), interval: this.interval() }))),
    (params) => this.issues.getIssueTrends(params),
  );
  protected readonly topState = this.load(of(null), () =>
    this.clusters.listClusters({ sort: 'issueCount:desc', page: 1, perPage: 10 }),
  );
  protected readonly syncState = this.load(of(null), () => this.sync.syncStatus());

  protected readonly summary = computed(() => valueOf(this.summaryState()));
  protected readonly trends = computed(() => valueOf(this.trendsState()));
  protected readonly topClusters = computed(() => valueOf(this.topState())?.items ?? null);
  protected readonly syncStatus = computed(() => valueOf(this.syncState()));
  /** False when the period has no issue at all (the API still sends every category's zero series). */
  protected readonly hasTrend = computed(() => (this.trends()?.series ?? []).some((series) => series.total > 0));
  protected readonly criticalHigh = computed(() =>
    (this.summary()?.bySeverity ?? [])
      .filter((entry) => entry.key === 'critical' || entry.key === 'high')
      .reduce((sum, entry) => sum + entry.count, 0),
  );
  protected readonly anyError = computed(() =>
    [this.summaryState(), this.trendsState(), this.topState(), this.syncState()].some(
      (state) => state.status === 'error',
    ),
  );

  protected onPeriod(days: number): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { days: days === 30 ? null : days },
      queryParamsHandling: 'merge',
    });
  }

  protected onInterval(interval: Interval): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { interval: interval === 'day' ? null : interval },
      queryParamsHandling: 'merge',
    });
  }

  protected retry(): void {
    this.reload$.next();
  }

  protected statusLabel(status: string): string {
    return this.pmStatusLabels[status as PmStatus] ?? humanize(status);
  }

  /** A signal of `request`'s load state, re-requested when `params$` emits or on retry. */
  private load<P, T>(params$: Observable<P>, request: (params: P) => Observable<T>) {
    return toSignal(
      params$.pipe(
        switchMap((params) =>
          this.reload$.pipe(
            startWith(undefined),
            switchMap(() => loadState(request(params))),
          ),
        ),
      ),
      { initialValue: { status: 'loading' } as LoadState<T> },
    );
  }
}
