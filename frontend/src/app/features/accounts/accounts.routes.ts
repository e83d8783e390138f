import { Routes } from '@angular/router';
import { AccountsPage } from './accounts-page';

export const ACCOUNTS_ROUTES: Routes = [{ path: '', component: AccountsPage, title: 'Accounts' }];

export default ACCOUNTS_ROUTES;
