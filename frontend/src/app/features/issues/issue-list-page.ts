import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatOptgroup, MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
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
import { ExportIssues$Params, ExportService, IssuePageResponse, IssuesService, SettingsService } from '@pim/api-client';
import { catchError, map, of } from 'rxjs';
import { CsvExport } from '../../shared/download/csv-export';
import { Icon } from '../../shared/icon/icon';
import { humanize, ISSUE_SORTS, IssueSort } from '../../shared/issues/issue-labels';
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

interface IssueListFilters extends IssueFilters {
  categories: string[];
  subcategories: string[];
  clusterId: string | null;
}

/** A taxonomy category with its subcategory keys, for the two category selects. */
interface CategoryOption {
  key: string;
  subcategories: string[];
}

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
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatOptgroup,
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
    IssueFilterFields,
    ListCard,
    ListSearch,
  ],
  templateUrl: './issue-list-page.html',
  styleUrl: './issue-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssueListPage {
  private readonly issues = inject(IssuesService);
  private readonly exports = inject(ExportService);
  private readonly settings = inject(SettingsService);

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

  protected readonly list = new UrlListState<IssueListFilters, IssuePageResponse, IssueSort>({
    filters: (params) => ({
      ...issueFilters(params),
      categories: listParam(params.get('category')),
      subcategories: listParam(params.get('subcategory')),
      clusterId: params.get('clusterId')?.trim() || null,
    }),
    filterParams: ['category', 'subcategory', 'clusterId', ...ISSUE_FILTER_PARAMS],
    isFiltered: (filters) =>
      !!(filters.categories.length || filters.subcategories.length || filters.clusterId || hasIssueFilters(filters)),
    sort: { options: ISSUE_SORTS, default: 'ticketCreatedAt:desc' },
    load: (query) => this.issues.listIssues({ ...toParams(query), page: query.page, perPage: query.perPage }),
  });
  protected readonly query = this.list.query;
  protected readonly export = new CsvExport('issues.csv', 'Issues exported');

  /** Subcategory options: those of the chosen categories, or of all categories when none is chosen. */
  protected readonly subcategoryGroups = computed(() => {
    const chosen = this.query().categories;
    return this.categories().filter(
      (category) => category.subcategories.length && (!chosen.length || chosen.includes(category.key)),
    );
  });

  /** The name of the cluster filtered on, as the issues of that cluster tell it (kept while pages load). */
  protected readonly clusterName = linkedSignal<{ id: string | null; page: IssuePageResponse | null }, string | null>({
    source: () => ({ id: this.query().clusterId, page: this.list.page() }),
    computation: ({ id, page }, previous) => {
      if (!id) {
        return null;
      }
      const name = page?.items.find((issue) => issue.clusterId === id)?.clusterName;
      return name ?? (previous && previous.source.id === id ? previous.value : null);
    },
  });

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
    this.list.filter({ category: joinList(values), subcategory: joinList(subcategories) });
  }

  protected onSubcategories(values: string[]): void {
    this.list.filter({ subcategory: joinList(values) });
  }

  protected removeCluster(): void {
    this.list.filter({ clusterId: null });
  }

  /** Downloads the issues of the current filter and sort as CSV. */
  protected exportCsv(): void {
    this.export.run(this.exports.exportIssues$Response(toParams(this.query())));
  }
}

/** The filter and sort of a query, as both the list and the export take them. */
function toParams(query: IssueListFilters & ListQuery<IssueSort>): ExportIssues$Params {
  const params: ExportIssues$Params = { sort: query.sort, ...issueFilterParams(query) };
  if (query.search) {
    params.search = query.search;
  }
  if (query.categories.length) {
    params.category = query.categories;
  }
  if (query.subcategories.length) {
    params.subcategory = query.subcategories;
  }
  if (query.clusterId) {
    params.clusterId = query.clusterId;
  }
  return params;
}
