import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOptgroup, MatOption } from '@angular/material/core';
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
  ExportIssues$Params,
  ExportService,
  IssuePageResponse,
  IssuesService,
  IssueType,
  SettingsService,
  Severity,
} from '@pim/api-client';
import { catchError, debounceTime, distinctUntilChanged, map, of, startWith, Subject, switchMap } from 'rxjs';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, positiveInt } from '../../core/http/paging';
import { saveCsv } from '../../shared/download/save-file';
import { Icon } from '../../shared/icon/icon';
import {
  daysAgo,
  humanize,
  ISSUE_SORTS,
  ISSUE_TYPES,
  IssueSort,
  PERIODS,
  SEVERITIES,
} from '../../shared/issues/issue-labels';
import { joinList, listParam } from '../../shared/list-params';
import { LoadState, loadState } from '../../shared/load-state';

interface IssueQuery {
  search: string;
  categories: string[];
  subcategories: string[];
  issueTypes: IssueType[];
  severities: Severity[];
  clusterId: string | null;
  /** Last N days of ticket creation, or null for all time. */
  days: number | null;
  sort: IssueSort;
  page: number;
  perPage: number;
}

/** A taxonomy category with its subcategory keys, for the two category selects. */
interface CategoryOption {
  key: string;
  subcategories: string[];
}

const DEFAULT_SORT: IssueSort = 'ticketCreatedAt:desc';

/**
 * Every issue extracted from a ticket, with category, subcategory, type, severity, period, cluster and text
 * filters, sort and paging (all in the URL), and CSV export of the same filter. Issue and ticket text is only
 * interpolated, so markup in a summary or quote shows as text.
 */
@Component({
  selector: 'pim-issue-list-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButton,
    MatIconButton,
    MatCard,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatPrefix,
    MatInput,
    MatSelect,
    MatOption,
    MatOptgroup,
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
  templateUrl: './issue-list-page.html',
  styleUrl: './issue-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssueListPage {
  private readonly issues = inject(IssuesService);
  private readonly exports = inject(ExportService);
  private readonly settings = inject(SettingsService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly reload$ = new Subject<void>();

  protected readonly issueTypes = ISSUE_TYPES;
  protected readonly severities = SEVERITIES;
  protected readonly periods = PERIODS;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly humanize = humanize;
  protected readonly columns = ['summary', 'category', 'issueType', 'severity', 'cluster', 'ticket', 'ticketCreatedAt'];

  /** Categories and their subcategories from the taxonomy (empty until it loads, or when it cannot). */
  protected readonly categories = toSignal(
    this.settings.getTaxonomy().pipe(
      map((taxonomy) =>
        taxonomy.categories.map((category): CategoryOption => ({
          key: category.key,
          subcategories: category.subcategories.map((subcategory) => subcategory.key),
        })),
      ),
      catchError(() => of<CategoryOption[]>([])),
    ),
    { initialValue: [] as CategoryOption[] },
  );

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly query = computed<IssueQuery>(() => {
    const params = this.queryParams();
    const sort = params.get('sort') as IssueSort | null;
    const days = Number(params.get('days'));
    return {
      search: params.get('search')?.trim() ?? '',
      categories: listParam(params.get('category')),
      subcategories: listParam(params.get('subcategory')),
      issueTypes: listParam(params.get('issueType')).filter((type): type is IssueType =>
        ISSUE_TYPES.includes(type as IssueType),
      ),
      severities: listParam(params.get('severity')).filter((severity): severity is Severity =>
        SEVERITIES.includes(severity as Severity),
      ),
      clusterId: params.get('clusterId')?.trim() || null,
      days: PERIODS.includes(days) ? days : null,
      sort: sort && ISSUE_SORTS.includes(sort) ? sort : DEFAULT_SORT,
      page: positiveInt(params.get('page'), 1),
      perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
    };
  });
  /** Subcategory options: those of the chosen categories, or of all categories when none is chosen. */
  protected readonly subcategoryGroups = computed(() => {
    const chosen = this.query().categories;
    return this.categories().filter(
      (category) => category.subcategories.length && (!chosen.length || chosen.includes(category.key)),
    );
  });
  protected readonly hasFilters = computed(() => {
    const query = this.query();
    return !!(
      query.search ||
      query.categories.length ||
      query.subcategories.length ||
      query.issueTypes.length ||
      query.severities.length ||
      query.clusterId ||
      query.days
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
            loadState(this.issues.listIssues({ ...toParams(query), page: query.page, perPage: query.perPage })),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as LoadState<IssuePageResponse> },
  );
  /** The last page received, kept on screen while the next one loads. */
  protected readonly page = linkedSignal<LoadState<IssuePageResponse>, IssuePageResponse | null>({
    source: this.state,
    computation: (state, previous) => (state.status === 'ready' ? state.value : (previous?.value ?? null)),
  });

  /** The name of the cluster filtered on, as the issues of that cluster tell it (kept while pages load). */
  protected readonly clusterName = linkedSignal<{ id: string | null; page: IssuePageResponse | null }, string | null>({
    source: () => ({ id: this.query().clusterId, page: this.page() }),
    computation: ({ id, page }, previous) => {
      if (!id) {
        return null;
      }
      const name = page?.items.find((issue) => issue.clusterId === id)?.clusterName;
      return name ?? (previous && previous.source.id === id ? previous.value : null);
    },
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

  protected onSearch(value: string): void {
    this.searchText.set(value);
    this.search$.next(value);
  }

  /** New categories also drop chosen subcategories that belong to none of them. */
  protected onCategories(values: string[]): void {
    const allowed = new Set(
      this.categories()
        .filter((category) => values.includes(category.key))
        .flatMap((category) => category.subcategories),
    );
    const subcategories = values.length
      ? this.query().subcategories.filter((subcategory) => allowed.has(subcategory))
      : this.query().subcategories;
    this.navigate({
      category: joinList(values),
      subcategory: joinList(subcategories),
      page: null,
    });
  }

  protected onList(param: 'subcategory' | 'issueType' | 'severity', values: string[]): void {
    this.navigate({ [param]: joinList(values), page: null });
  }

  /** "All time" is a value of its own: a mat-select shows no label for a null option. */
  protected onPeriod(days: number | 'all'): void {
    this.navigate({ days: days === 'all' ? null : days, page: null });
  }

  protected removeCluster(): void {
    this.navigate({ clusterId: null, page: null });
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
      subcategory: null,
      issueType: null,
      severity: null,
      clusterId: null,
      days: null,
      page: null,
    });
  }

  protected retry(): void {
    this.reload$.next();
  }

  /** Downloads the issues of the current filter and sort as CSV (fetched with the session's token). */
  protected exportCsv(): void {
    this.exporting.set(true);
    this.exports.exportIssues$Response(toParams(this.query())).subscribe({
      next: (response) => {
        saveCsv(response, 'issues.csv');
        this.exporting.set(false);
        this.snackBar.open('Issues exported', undefined, { duration: 4000 });
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
function toParams(query: IssueQuery): ExportIssues$Params {
  const params: ExportIssues$Params = { sort: query.sort };
  if (query.search) {
    params.search = query.search;
  }
  if (query.categories.length) {
    params.category = query.categories;
  }
  if (query.subcategories.length) {
    params.subcategory = query.subcategories;
  }
  if (query.issueTypes.length) {
    params.issueType = query.issueTypes;
  }
  if (query.severities.length) {
    params.severity = query.severities;
  }
  if (query.clusterId) {
    params.clusterId = query.clusterId;
  }
  if (query.days) {
    params.startDate = daysAgo(query.days).toISOString();
  }
  return params;
}
