import { CurrencyPipe, DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect } from '@angular/material/select';
import { MatSort, MatSortHeader } from '@angular/material/sort';
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
import { RouterLink } from '@angular/router';
import {
  ClusterPageResponse,
  ClustersService,
  ExportService,
  ListClusters$Params,
  SettingsService,
} from '@pim/api-client';
import { catchError, map, of } from 'rxjs';
import { CsvExport } from '../../shared/download/csv-export';
import {
  CLUSTER_SORTS,
  ClusterSort,
  formatTrend,
  humanize,
  PM_STATUS_LABELS,
  PM_STATUSES,
  PmStatus,
  trendDirection,
} from '../../shared/issues/issue-labels';
import {
  hasIssueFilters,
  ISSUE_FILTER_PARAMS,
  IssueFilters,
  issueFilterParams,
  issueFilters,
} from '../../shared/issues/issue-filters';
import { IssueFilterFields } from '../../shared/issues/issue-filter-fields';
import { joinList, listParam } from '../../shared/list-params';
import { ListCard } from '../../shared/list/list-card';
import { ListSearch } from '../../shared/list/list-search';
import { ListQuery, UrlListState } from '../../shared/list/url-list-state';

/** Sort fields that rank by the accounts a cluster hits. */
const IMPACT_SORT_FIELDS = ['impactScore', 'arrAffected', 'affectedAccounts'];
/** The "Rank by" choices: the usual count, or the impact (why this rank: the column's tooltip). */
const RANKINGS: ReadonlyArray<{ sort: ClusterSort; label: string }> = [
  { sort: 'issueCount:desc', label: 'Most issues' },
  { sort: 'impactScore:desc', label: 'Impact' },
  { sort: 'arrAffected:desc', label: 'ARR affected' },
];

/** `active` in the URL: active clusters (default), or merged and emptied ones. */
type ActiveFilter = 'active' | 'inactive';

/**
 * The issue filters keep clusters with at least one issue of one of the types, of one of the severities, and
 * whose ticket was created in the period.
 */
interface ClusterFilters extends IssueFilters {
  categories: string[];
  statuses: PmStatus[];
  active: ActiveFilter;
  emerging: boolean;
  /** Account segments / plans (issue 18): clusters hitting at least one such account. */
  segments: string[];
  plans: string[];
}

/**
 * Clusters with category, PM status, issue type, severity, period, active and emerging filters, search, sort and
 * paging (all in the URL), and CSV export of the same filter.
 */
@Component({
  selector: 'pim-cluster-list-page',
  imports: [
    CurrencyPipe,
    DatePipe,
    DecimalPipe,
    MatInput,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
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
    IssueFilterFields,
    ListCard,
    ListSearch,
  ],
  templateUrl: './cluster-list-page.html',
  styleUrl: './cluster-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterListPage {
  private readonly clusters = inject(ClustersService);
  private readonly exports = inject(ExportService);
  private readonly settings = inject(SettingsService);

  protected readonly statuses = PM_STATUSES;
  protected readonly statusLabels = PM_STATUS_LABELS;
  protected readonly humanize = humanize;
  protected readonly formatTrend = formatTrend;
  protected readonly trendDirection = trendDirection;
  /** Impact and ARR columns show when the list is ranked by them (issue 18) or filtered by account. */
  protected readonly columns = computed(() => {
    const query = this.query();
    const byImpact = IMPACT_SORT_FIELDS.includes(query.sort.split(':')[0] ?? '');
    const impact = byImpact || query.segments.length || query.plans.length ? ['impactScore', 'arrAffected'] : [];
    return ['name', 'category', 'issueCount', 'uniqueCustomers', ...impact, 'trendPct', 'lastSeen', 'pmStatus'];
  });
  protected readonly rankings = RANKINGS;

  /** Category keys from the taxonomy (empty until it loads, or when it cannot). */
  protected readonly categories = toSignal(
    this.settings.getTaxonomy().pipe(
      map((taxonomy) => taxonomy.categories.map((category) => category.key)),
      catchError(() => of<string[]>([])),
    ),
    { initialValue: [] as string[] },
  );

  protected readonly list = new UrlListState<ClusterFilters, ClusterPageResponse, ClusterSort>({
    filters: (params) => ({
      ...issueFilters(params),
      categories: listParam(params.get('category')),
      statuses: listParam(params.get('pmStatus')).filter((status): status is PmStatus =>
        PM_STATUSES.includes(status as PmStatus),
      ),
      active: params.get('active') === 'false' ? 'inactive' : 'active',
      emerging: params.get('emerging') === 'true',
      segments: listParam(params.get('segment')),
      plans: listParam(params.get('plan')),
    }),
    filterParams: ['category', 'pmStatus', ...ISSUE_FILTER_PARAMS, 'active', 'emerging', 'segment', 'plan'],
    isFiltered: (filters) =>
      !!(
        filters.categories.length ||
        filters.statuses.length ||
        hasIssueFilters(filters) ||
        filters.active !== 'active' ||
        filters.emerging ||
        filters.segments.length ||
        filters.plans.length
      ),
    sort: { options: CLUSTER_SORTS, default: 'issueCount:desc' },
    load: (query) => this.clusters.listClusters({ ...toParams(query), page: query.page, perPage: query.perPage }),
  });
  protected readonly query = this.list.query;
  protected readonly export = new CsvExport('clusters.csv', 'Clusters exported');

  protected statusLabel(status: string): string {
    return this.statusLabels[status as PmStatus] ?? humanize(status);
  }

  protected onList(param: 'category' | 'pmStatus', values: string[]): void {
    this.list.filter({ [param]: joinList(values) });
  }

  /** A typed comma list (segment, plan). */
  protected onText(param: 'segment' | 'plan', text: string): void {
    const values = text
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    this.list.filter({ [param]: joinList(values) });
  }

  protected onRank(sort: ClusterSort): void {
    const [active, direction] = sort.split(':') as [string, 'asc' | 'desc'];
    this.list.sortBy({ active, direction });
  }

  protected onActive(value: ActiveFilter): void {
    this.list.filter({ active: value === 'inactive' ? 'false' : null });
  }

  protected onEmerging(value: boolean): void {
    this.list.filter({ emerging: value ? 'true' : null });
  }

  /** Downloads the clusters of the current filter and sort as CSV. */
  protected exportCsv(): void {
    this.export.run(this.exports.exportClusters$Response(toParams(this.query())));
  }
}

/** The filter and sort of a query, as both the list and the export take them. */
function toParams(query: ClusterFilters & ListQuery<ClusterSort>): ListClusters$Params {
  const params: ListClusters$Params = {
    sort: query.sort,
    active: query.active === 'active',
    ...issueFilterParams(query),
  };
  if (query.search) {
    params.search = query.search;
  }
  if (query.categories.length) {
    params.category = query.categories;
  }
  if (query.statuses.length) {
    params.pmStatus = query.statuses;
  }
  if (query.emerging) {
    params.emerging = true;
  }
  if (query.segments.length) {
    params.segment = query.segments;
  }
  if (query.plans.length) {
    params.plan = query.plans;
  }
  return params;
}
