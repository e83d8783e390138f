import { Routes } from '@angular/router';
import { UserListPage } from './user-list-page';

export const USERS_ROUTES: Routes = [{ path: '', component: UserListPage, title: 'Users' }];

export default USERS_ROUTES;
