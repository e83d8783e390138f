import { Routes } from '@angular/router';
import { DashboardPage } from './dashboard-page';

export const DASHBOARD_ROUTES: Routes = [{ path: '', component: DashboardPage, title: 'Dashboard' }];

export default DASHBOARD_ROUTES;
