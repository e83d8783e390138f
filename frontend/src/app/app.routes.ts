import { Routes } from '@angular/router';
import { authGuard } from './core/auth/auth-guard';
import { roleGuard, routeRoles } from './core/auth/role-guard';

export const appRoutes: Routes = [
  {
    path: 'login',
    loadChildren: () => import('./features/login/login.routes'),
  },
  {
    path: '',
    loadComponent: () => import('./core/shell/shell').then((m) => m.Shell),
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'dashboard' },
      {
        path: 'dashboard',
        loadChildren: () => import('./features/dashboard/dashboard.routes'),
      },
      {
        path: 'clusters',
        loadChildren: () => import('./features/clusters/clusters.routes'),
      },
      {
        path: 'issues',
        loadChildren: () => import('./features/issues/issues.routes'),
      },
      {
        path: 'tickets',
        loadChildren: () => import('./features/tickets/tickets.routes'),
      },
      {
        path: 'accounts',
        loadChildren: () => import('./features/accounts/accounts.routes'),
      },
      {
        path: 'alerts',
        loadChildren: () => import('./features/alerts/alerts.routes'),
      },
      {
        path: 'runs',
        loadChildren: () => import('./features/runs/runs.routes'),
      },
      {
        path: 'settings',
        loadChildren: () => import('./features/settings/settings.routes'),
      },
      {
        path: 'users',
        canActivate: [roleGuard],
        data: routeRoles('admin'),
        loadChildren: () => import('./features/users/users.routes'),
      },
      {
        path: 'profile',
        loadChildren: () => import('./features/profile/profile.routes'),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
