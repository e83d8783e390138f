import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelect } from '@angular/material/select';
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
import { ListTickets$Params, TicketPageResponse, TicketsService } from '@pim/api-client';
import { catchError, debounceTime, distinctUntilChanged, map, of, startWith, Subject, switchMap } from 'rxjs';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES, positiveInt, withPage } from '../../core/http/paging';
import { Icon } from '../../shared/icon/icon';
import { TICKET_SORTS, TICKET_STATUSES, TicketSort, TicketStatus } from './ticket-labels';

interface TicketQuery {
  search: string;
  statuses: TicketStatus[];
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  sort: TicketSort;
  page: number;
  perPage: number;
}

type ListState = { status: 'loading' } | { status: 'ready'; page: TicketPageResponse } | { status: 'error' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Synced tickets with search, status and creation-date filters, sort and paging, all kept in the URL. */
@Component({
  selector: 'pim-ticket-list-page',
  imports: [
    DatePipe,
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
  templateUrl: './ticket-list-page.html',
  styleUrl: './ticket-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketListPage {
  private readonly tickets = inject(TicketsService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly reload$ = new Subject<void>();

  protected readonly statuses = TICKET_STATUSES;
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly columns = ['zendeskId', 'subject', 'status', 'organization', 'comments', 'createdAt', 'updatedAt'];

  private readonly queryParams = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly query = computed<TicketQuery>(() => {
    const params = this.queryParams();
    const sort = params.get('sort') as TicketSort | null;
    const from = params.get('from') ?? '';
    const to = params.get('to') ?? '';
    return {
      search: params.get('search')?.trim() ?? '',
      statuses: (params.get('status') ?? '')
        .split(',')
        .filter((status): status is TicketStatus => TICKET_STATUSES.includes(status as TicketStatus)),
      from: DATE.test(from) ? from : '',
      to: DATE.test(to) ? to : '',
      sort: sort && TICKET_SORTS.includes(sort) ? sort : 'createdAt:desc',
      page: positiveInt(params.get('page'), 1),
      perPage: positiveInt(params.get('perPage'), DEFAULT_PAGE_SIZE, 200),
    };
  });
  protected readonly hasFilters = computed(() => {
    const query = this.query();
    return !!(query.search || query.statuses.length || query.from || query.to);
  });
  protected readonly sortActive = computed(() => this.query().sort.split(':')[0]);
  protected readonly sortDirection = computed(() => this.query().sort.split(':')[1] as 'asc' | 'desc');

  protected readonly state = toSignal(
    toObservable(this.query).pipe(
      switchMap((query) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() =>
            this.tickets.listTickets(toParams(query), withPage({ page: query.page, perPage: query.perPage })).pipe(
              map((page): ListState => ({ status: 'ready', page })),
              // The snackbar shows the server's message; the page offers a retry.
              catchError(() => of<ListState>({ status: 'error' })),
              startWith<ListState>({ status: 'loading' }),
            ),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as ListState },
  );
  /** The last page received, kept on screen while the next one loads. */
  protected readonly page = linkedSignal<ListState, TicketPageResponse | null>({
    source: this.state,
    computation: (state, previous) => (state.status === 'ready' ? state.page : (previous?.value ?? null)),
  });

  private readonly search$ = new Subject<string>();
  /** The last search this page put in the URL; the box keeps what is typed while the URL catches up. */
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

  protected onStatuses(statuses: TicketStatus[]): void {
    this.navigate({ status: statuses.length ? statuses.join(',') : null, page: null });
  }

  protected onDate(param: 'from' | 'to', value: string): void {
    if (value === '' || DATE.test(value)) {
      this.navigate({ [param]: value || null, page: null });
    }
  }

  protected onSort(sort: Sort): void {
    const value = sort.direction ? `${sort.active}:${sort.direction}` : null;
    this.navigate({ sort: value === 'createdAt:desc' ? null : value, page: null });
  }

  protected onPage(event: PageEvent): void {
    this.navigate({
      page: event.pageIndex > 0 ? event.pageIndex + 1 : null,
      perPage: event.pageSize === DEFAULT_PAGE_SIZE ? null : event.pageSize,
    });
  }

  protected clearFilters(): void {
    this.navigate({ search: null, status: null, from: null, to: null, page: null });
  }

  protected retry(): void {
    this.reload$.next();
  }

  private navigate(queryParams: Params): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams, queryParamsHandling: 'merge' });
  }
}

function toParams(query: TicketQuery): ListTickets$Params {
  const params: ListTickets$Params = { sort: query.sort };
  if (query.search) {
    params.search = query.search;
  }
  if (query.statuses.length) {
    params.status = query.statuses;
  }
  if (query.from) {
    params.startDate = startOfLocalDay(query.from).toISOString();
  }
  if (query.to) {
    const end = startOfLocalDay(query.to);
    end.setDate(end.getDate() + 1);
    params.endDate = end.toISOString();
  }
  return params;
}

function startOfLocalDay(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date);
}
