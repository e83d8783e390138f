import { computed, inject, linkedSignal, Signal, WritableSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { PageEvent } from '@angular/material/paginator';
import { Sort } from '@angular/material/sort';
import { ActivatedRoute, ParamMap, Params, Router } from '@angular/router';
import { debounceTime, distinctUntilChanged, Observable, startWith, Subject, switchMap } from 'rxjs';
import { DEFAULT_PAGE_SIZE, positiveInt } from '../../core/http/paging';
import { LoadState, loadState } from '../load-state';

/** What every list page keeps in the URL: `search`, `sort` (`field:direction`), `page` (1-based) and `perPage`. */
export interface ListQuery<S extends string = string> {
  search: string;
  /** The default sort when the URL has none or one not offered; `''` for a list without sorting. */
  sort: S;
  page: number;
  perPage: number;
}

/** A page of a list endpoint (`*PageResponse` of the API client). */
export interface ListPage {
  items: readonly unknown[];
  total: number;
  /** False when `total` is a count's cap (the API counted no further): shown as "10000+". */
  totalExact?: boolean;
}

export interface UrlListOptions<F extends object, P extends ListPage, S extends string> {
  /** The page's own filters, read from the query parameters (unknown values dropped). */
  filters: (params: ParamMap) => F;
  /** The query parameters of those filters: "Clear filters" removes them, with `search` and `page`. */
  filterParams: readonly string[];
  /** Whether the filters narrow the list (a search always does). */
  isFiltered?: (filters: F) => boolean;
  /** The sorts offered and the default, which stays out of the URL. */
  sort?: { options: readonly S[]; default: S };
  /** The request for a query; it runs again when the query changes or on `reload()`. */
  load: (query: F & ListQuery<S>) => Observable<P>;
}

/** What the list card and the search box use of a list state, whatever its filters. */
export type ListView = Pick<
  UrlListState<object, ListPage>,
  'query' | 'state' | 'page' | 'hasFilters' | 'searchText' | 'search' | 'paginate' | 'clearFilters' | 'reload'
>;

/** How long typing waits before the search goes to the URL. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The state of a list page kept in the URL: filters, search, sort and paging are read from the query parameters,
 * and every change navigates (so a link or a reload shows the same list). A changed filter, search or sort starts
 * again from page 1. The page loads on every query change and keeps the last page received on screen while the
 * next one loads.
 *
 * Create it in a field initialiser of the page (it needs an injection context).
 */
export class UrlListState<F extends object, P extends ListPage, S extends string = string> {
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly reload$ = new Subject<void>();
  private readonly search$ = new Subject<string>();
  /** The last search put in the URL; the box keeps what is typed while the URL catches up. */
  private submittedSearch: string | null = null;

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  readonly query: Signal<F & ListQuery<S>>;
  readonly hasFilters: Signal<boolean>;
  readonly sortActive: Signal<string>;
  readonly sortDirection: Signal<'asc' | 'desc'>;
  readonly state: Signal<LoadState<P>>;
  /** The last page received, kept on screen while the next one loads. */
  readonly page: Signal<P | null>;
  /** The text of the search box. */
  readonly searchText: WritableSignal<string>;

  constructor(private readonly options: UrlListOptions<F, P, S>) {
    this.query = computed(() => {
      const params = this.queryParams();
      return {
        ...options.filters(params),
        search: params.get('search')?.trim() ?? '',
        sort: sortParam(params.get('sort'), options.sort),
        page: positiveInt(params.get('page'), 1),
        perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
      };
    });
    this.hasFilters = computed(() => {
      const query = this.query();
      return !!query.search || (options.isFiltered?.(query) ?? false);
    });
    this.sortActive = computed(() => this.query().sort.split(':')[0]);
    this.sortDirection = computed(() => this.query().sort.split(':')[1] as 'asc' | 'desc');

    this.state = toSignal(
      toObservable(this.query).pipe(
        switchMap((query) =>
          this.reload$.pipe(
            startWith(undefined),
            switchMap(() => loadState(options.load(query))),
          ),
        ),
      ),
      { initialValue: { status: 'loading' } as LoadState<P> },
    );
    this.page = linkedSignal<LoadState<P>, P | null>({
      source: this.state,
      computation: (state, previous) => (state.status === 'ready' ? state.value : (previous?.value ?? null)),
    });
    this.searchText = linkedSignal<string, string>({
      source: () => this.query().search,
      computation: (search, previous) => (previous && search === this.submittedSearch ? previous.value : search),
    });

    this.search$
      .pipe(debounceTime(SEARCH_DEBOUNCE_MS), distinctUntilChanged(), takeUntilDestroyed())
      .subscribe((search) => {
        this.submittedSearch = search.trim();
        this.filter({ search: this.submittedSearch || null });
      });
  }

  /** Typed text: shown at once, put in the URL after a pause. */
  search(value: string): void {
    this.searchText.set(value);
    this.search$.next(value);
  }

  /** Sets filter parameters (null removes one) and goes back to page 1. */
  filter(params: Params): void {
    this.navigate({ ...params, page: null });
  }

  sortBy(sort: Sort): void {
    const value = sort.direction ? `${sort.active}:${sort.direction}` : null;
    this.filter({ sort: value === this.options.sort?.default ? null : value });
  }

  paginate(event: PageEvent): void {
    this.navigate({
      page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
      perPage: event.pageSize === DEFAULT_PAGE_SIZE ? null : event.pageSize,
    });
  }

  /** Removes the search and every filter; sort and page size stay. */
  clearFilters(): void {
    this.filter({ search: null, ...Object.fromEntries(this.options.filterParams.map((param) => [param, null])) });
  }

  /** Loads the current query again (after an error, or after a change to the listed items). */
  reload(): void {
    this.reload$.next();
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}

function sortParam<S extends string>(value: string | null, sort: UrlListOptions<object, ListPage, S>['sort']): S {
  if (!sort) {
    return '' as S;
  }
  return value && sort.options.includes(value as S) ? (value as S) : sort.default;
}
