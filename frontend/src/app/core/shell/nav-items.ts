import { Role } from '@pim/api-client';
import { IconName } from '../../shared/icon/icon-paths';

export interface NavItem {
  path: string;
  label: string;
  icon: IconName;
  /** Only these roles see the link (the route has the same rule); everyone when absent. */
  roles?: Role[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/dashboard', label: 'Dashboard', icon: 'dashboard' },
  { path: '/clusters', label: 'Clusters', icon: 'clusters' },
  { path: '/issues', label: 'Issues', icon: 'bug' },
  { path: '/tickets', label: 'Tickets', icon: 'tickets' },
  { path: '/alerts', label: 'Alerts', icon: 'error' },
  { path: '/runs', label: 'Runs', icon: 'sync' },
  { path: '/settings', label: 'Settings', icon: 'settings' },
  { path: '/users', label: 'Users', icon: 'users', roles: ['admin'] },
];
