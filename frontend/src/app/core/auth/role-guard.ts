import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { Role } from '@pim/api-client';
import { AuthStore } from './auth-store';

/** Route data read by `roleGuard`: `data: routeRoles('admin')`. */
export function routeRoles(...roles: Role[]): { roles: Role[] } {
  return { roles };
}

/**
 * Lets a user in when their role is one of the route's `data.roles` (no roles: everyone).
 * Others are sent to the dashboard. The API enforces the same rule; this only keeps the UI honest.
 */
export const roleGuard: CanActivateFn = (route) => {
  const roles = (route.data['roles'] as Role[] | undefined) ?? [];
  if (roles.length === 0 || inject(AuthStore).hasRole(...roles)) {
    return true;
  }
  return inject(Router).createUrlTree(['/dashboard']);
};
