import { Routes } from '@angular/router';
import { AlertListPage } from './alert-list-page';

export const ALERTS_ROUTES: Routes = [{ path: '', component: AlertListPage, title: 'Alerts' }];

export default ALERTS_ROUTES;
