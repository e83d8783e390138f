import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatSort, MatSortHeader, Sort } from '@angular/material/sort';
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
import { ActivatedRoute, Params, Router, RouterLink } from '@angular/router';
import {
  ClusterPageResponse,
  ClustersService,
  ExportService,
  IssueType,
  ListClusters$Params,
  SettingsService,
  Severity,
} from '@pim/api-client';
import { catchError, debounceTime, distinctUntilChanged, map, of, startWith, Subject, switchMap } from 'rxjs';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, positiveInt } from '../../core/http/paging';
import { saveCsv } from '../../shared/download/save-file';
import { Icon } from '../../shared/icon/icon';
import {
  CLUSTER_SORTS,
  ClusterSort,
  daysAgo,
  formatTrend,
  humanize,
  ISSUE_TYPES,
  PERIODS,
  PM_STATUS_LABELS,
  PM_STATUSES,
  PmStatus,
  SEVERITIES,
  trendDirection,
} from '../../shared/issues/issue-labels';
import { joinList, listParam } from '../../shared/list-params';
import { LoadState, loadState } from '../../shared/load-state';

/** `active` in the URL: active clusters (default), or merged and emptied ones. */
type ActiveFilter = 'active' | 'inactive';

interface ClusterQuery {
  search: string;
  categories: string[];
  statuses: PmStatus[];
  /** Clusters with at least one issue of one of these types. */
  issueTypes: IssueType[];
  /** Clusters with at least one issue of one of these severities. */
  severities: Severity[];
  /** Clusters with at least one issue whose ticket was created in the last N days, or null for all time. */
  days: number | null;
  active: ActiveFilter;
  emerging: boolean;
  sort: ClusterSort;
  page: number;
  perPage: number;
}

const DEFAULT_SORT: ClusterSort = 'issueCount:desc';

/**
 * Clusters with category, PM status, issue type, severity, period, active and emerging filters, search, sort and
 * paging (all in the URL), and CSV export of the same filter.
 */
@Component({
  selector: 'pim-cluster-list-page',
  imports: [
    DatePipe,
    DecimalPipe,
    RouterLink,
    MatButton,
    MatCard,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatPrefix,
    MatInput,
    MatSelect,
    MatOption,
    MatProgressBar,
    MatPaginator,
    MatSort,
    MatSortHeader,
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
  ],
  templateUrl: './cluster-list-page.html',
  styleUrl: './cluster-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterListPage {
  private readonly clusters = inject(ClustersService);
  private readonly exports = inject(ExportService);
  private readonly settings = inject(SettingsService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly reload$ = new Subject<void>();

  protected readonly statuses = PM_STATUSES;
  protected readonly statusLabels = PM_STATUS_LABELS;
  protected readonly issueTypes = ISSUE_TYPES;
  protected readonly severities = SEVERITIES;
  protected readonly periods = PERIODS;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly humanize = humanize;
  protected readonly formatTrend = formatTrend;
  protected readonly trendDirection = trendDirection;
  protected readonly columns = [
    'name',
    'category',
    'issueCount',
    'uniqueCustomers',
    'trendPct',
    'lastSeen',
    'pmStatus',
  ];

  /** Category keys from the taxonomy (empty until it loads, or when it cannot). */
  protected readonly categories = toSignal(
    this.settings.getTaxonomy().pipe(
      map((taxonomy) => taxonomy.categories.map((category) => category.key)),
      catchError(() => of<string[]>([])),
    ),
    { initialValue: [] as string[] },
  );

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly query = computed<ClusterQuery>(() => {
    const params = this.queryParams();
    const sort = params.get('sort') as ClusterSort | null;
    const days = Number(params.get('days'));
    return {
      search: params.get('search')?.trim() ?? '',
      categories: listParam(params.get('category')),
      statuses: listParam(params.get('pmStatus')).filter((status): status is PmStatus =>
        PM_STATUSES.includes(status as PmStatus),
      ),
      issueTypes: listParam(params.get('issueType')).filter((type): type is IssueType =>
        ISSUE_TYPES.includes(type as IssueType),
      ),
      severities: listParam(params.get('severity')).filter((severity): severity is Severity =>
        SEVERITIES.includes(severity as Severity),
      ),
      days: PERIODS.includes(days) ? days : null,
      active: params.get('active') === 'false' ? 'inactive' : 'active',
      emerging: params.get('emerging') === 'true',
      sort: sort && CLUSTER_SORTS.includes(sort) ? sort : DEFAULT_SORT,
      page: positiveInt(params.get('page'), 1),
      perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
    };
  });
  protected readonly hasFilters = computed(() => {
    const query = this.query();
    return !!(
      query.search ||
      query.categories.length ||
      query.statuses.length ||
      query.issueTypes.length ||
      query.severities.length ||
      query.days ||
      query.active !== 'active' ||
      query.emerging
    );
  });
  protected readonly sortActive = computed(() => this.query().sort.split(':')[0]);
  protected readonly sortDirection = computed(() => this.query().sort.split(':')[1] as 'asc' | 'desc');

  protected readonly state = toSignal(
    toObservable(this.query).pipe(
      switchMap((query) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() =>
            loadState(this.clusters.listClusters({ ...toParams(query), page: query.page, perPage: query.perPage })),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as LoadState<ClusterPageResponse> },
  );
  /** The last page received, kept on screen while the next one loads. */
  protected readonly page = linkedSignal<LoadState<ClusterPageResponse>, ClusterPageResponse | null>({
    source: this.state,
    computation: (state, previous) => (state.status === 'ready' ? state.value : (previous?.value ?? null)),
  });

  protected readonly exporting = signal(false);

  private readonly search$ = new Subject<string>();
  private submittedSearch: string | null = null;
  protected readonly searchText = linkedSignal<string, string>({
    source: () => this.query().search,
    computation: (search, previous) => (previous && search === this.submittedSearch ? previous.value : search),
  });

  constructor() {
    this.search$.pipe(debounceTime(300), distinctUntilChanged(), takeUntilDestroyed()).subscribe((search) => {
      this.submittedSearch = search.trim();
      this.navigate({ search: this.submittedSearch || null, page: null });
    });
  }

  protected statusLabel(status: string): string {
    return this.statusLabels[status as PmStatus] ?? humanize(status);
  }

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.search$.next(value);
  }

  protected onList(param: 'category' | 'pmStatus' | 'issueType' | 'severity', values: string[]): void {
    this.navigate({ [param]: joinList(values), page: null });
  }

  /** "All time" is a value of its own: a mat-select shows no label for a null option. */
  protected onPeriod(days: number | 'all'): void {
    this.navigate({ days: days === 'all' ? null : days, page: null });
  }

  protected onActive(value: ActiveFilter): void {
    this.navigate({ active: value === 'inactive' ? 'false' : null, page: null });
  }

  protected onEmerging(value: boolean): void {
    this.navigate({ emerging: value ? 'true' : null, page: null });
  }

  protected onSort(sort: Sort): void {
    const value = sort.direction ? `${sort.active}:${sort.direction}` : null;
    this.navigate({ sort: value === DEFAULT_SORT ? null : value, page: null });
  }

  protected onPage(event: PageEvent): void {
    this.navigate({
      page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
      perPage: event.pageSize === DEFAULT_PAGE_SIZE ? null : event.pageSize,
    });
  }

  protected clearFilters(): void {
    this.navigate({
      search: null,
      category: null,
      pmStatus: null,
      issueType: null,
      severity: null,
      days: null,
      active: null,
      emerging: null,
      page: null,
    });
  }

  protected retry(): void {
    this.reload$.next();
  }

  /** Downloads the clusters of the current filter and sort as CSV (fetched with the session's token). */
  protected exportCsv(): void {
    this.exporting.set(true);
    this.exports.exportClusters$Response(toParams(this.query())).subscribe({
      next: (response) => {
        saveCsv(response, 'clusters.csv');
        this.exporting.set(false);
        this.snackBar.open('Clusters exported', undefined, { duration: 4000 });
      },
      // The snackbar shows the server's message.
      error: () => this.exporting.set(false),
    });
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}

/** The filter and sort of a query, as both the list and the export take them. */
function toParams(query: ClusterQuery): ListClusters$Params {
  const params: ListClusters$Params = { sort: query.sort, active: query.active === 'active' };
  if (query.search) {
    params.search = query.search;
  }
  if (query.categories.length) {
    params.category = query.categories;
  }
  if (query.statuses.length) {
    params.pmStatus = query.statuses;
  }
  if (query.issueTypes.length) {
    params.issueType = query.issueTypes;
  }
  if (query.severities.length) {
    params.severity = query.severities;
  }
  if (query.days) {
    params.startDate = daysAgo(query.days).toISOString();
  }
  if (query.emerging) {
    params.emerging = true;
  }
  return params;
}
