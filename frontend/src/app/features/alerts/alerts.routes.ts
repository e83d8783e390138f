import { Routes } from '@angular/router';
import { roleGuard, routeRoles } from '../../core/auth/role-guard';
import { AlertListPage } from './alert-list-page';
import { AlertSettingsPage } from './alert-settings-page';
import { DigestPreviewPage } from './digest-preview-page';

export const ALERTS_ROUTES: Routes = [
  { path: '', component: AlertListPage, title: 'Alerts' },
  { path: 'digest', component: DigestPreviewPage, title: 'Weekly digest' },
  {
    path: 'settings',
    component: AlertSettingsPage,
    title: 'Alert settings',
    canActivate: [roleGuard],
    data: routeRoles('admin'),
  },
];

export default ALERTS_ROUTES;
