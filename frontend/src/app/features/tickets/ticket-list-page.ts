import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
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
import { ListTickets$Params, TicketPageResponse, TicketsService } from '@pim/api-client';
import { withPage } from '../../core/http/paging';
import { joinList, listParam } from '../../shared/list-params';
import { ListCard } from '../../shared/list/list-card';
import { ListSearch } from '../../shared/list/list-search';
import { ListQuery, UrlListState } from '../../shared/list/url-list-state';
import { TICKET_SORTS, TICKET_STATUSES, TicketSort, TicketStatus } from './ticket-labels';

interface TicketFilters {
  statuses: TicketStatus[];
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Synced tickets with search, status and creation-date filters, sort and paging, all kept in the URL. */
@Component({
  selector: 'pim-ticket-list-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatInput,
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
    ListCard,
    ListSearch,
  ],
  templateUrl: './ticket-list-page.html',
  styleUrl: './ticket-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketListPage {
  private readonly tickets = inject(TicketsService);

  protected readonly statuses = TICKET_STATUSES;
  protected readonly columns = ['zendeskId', 'subject', 'status', 'organization', 'comments', 'createdAt', 'updatedAt'];

  protected readonly list = new UrlListState<TicketFilters, TicketPageResponse, TicketSort>({
    filters: (params) => {
      const from = params.get('from') ?? '';
      const to = params.get('to') ?? '';
      return {
        statuses: listParam(params.get('status')).filter((status): status is TicketStatus =>
          TICKET_STATUSES.includes(status as TicketStatus),
        ),
        from: DATE.test(from) ? from : '',
        to: DATE.test(to) ? to : '',
      };
    },
    filterParams: ['status', 'from', 'to'],
    isFiltered: (filters) => !!(filters.statuses.length || filters.from || filters.to),
    sort: { options: TICKET_SORTS, default: 'createdAt:desc' },
    load: (query) => this.tickets.listTickets(toParams(query), withPage({ page: query.page, perPage: query.perPage })),
  });
  protected readonly query = this.list.query;

  protected onStatuses(statuses: TicketStatus[]): void {
    this.list.filter({ status: joinList(statuses) });
  }

  protected onDate(param: 'from' | 'to', value: string): void {
    if (value === '' || DATE.test(value)) {
      this.list.filter({ [param]: value || null });
    }
  }
}

function toParams(query: TicketFilters & ListQuery<TicketSort>): ListTickets$Params {
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
