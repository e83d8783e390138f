import { Routes } from '@angular/router';
import { RunListPage } from './run-list-page';

export const RUNS_ROUTES: Routes = [{ path: '', component: RunListPage, title: 'Runs' }];

export default RUNS_ROUTES;
