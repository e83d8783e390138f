import { Routes } from '@angular/router';
import { roleGuard, routeRoles } from '../../core/auth/role-guard';
import { AlertListPage } from './alert-list-page';
import { AlertSettingsPage } from './alert-settings-page';

export const ALERTS_ROUTES: Routes = [
  { path: '', component: AlertListPage, title: 'Alerts' },
  {
    path: 'settings',
    component: AlertSettingsPage,
    title: 'Alert settings',
    canActivate: [roleGuard],
    data: routeRoles('admin'),
  },
];

export default ALERTS_ROUTES;
