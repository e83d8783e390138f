import { Routes } from '@angular/router';
import { TicketDetailPage } from './ticket-detail-page';
import { TicketListPage } from './ticket-list-page';

export const TICKETS_ROUTES: Routes = [
  { path: '', component: TicketListPage, title: 'Tickets' },
  {
    path: ':zendeskId',
    component: TicketDetailPage,
    title: (route) => `Ticket #${route.paramMap.get('zendeskId') ?? ''}`,
  },
];

export default TICKETS_ROUTES;
