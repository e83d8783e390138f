import { Routes } from '@angular/router';
import { TicketListPage } from './ticket-list-page';

export const TICKETS_ROUTES: Routes = [{ path: '', component: TicketListPage, title: 'Tickets' }];

export default TICKETS_ROUTES;
