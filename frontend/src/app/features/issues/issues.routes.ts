import { Routes } from '@angular/router';
import { IssueListPage } from './issue-list-page';

export const ISSUES_ROUTES: Routes = [{ path: '', component: IssueListPage, title: 'Issues' }];

export default ISSUES_ROUTES;
