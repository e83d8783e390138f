import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthStore } from './auth-store';

/** Lets signed-in users through; everyone else goes to the login page, which brings them back. */
export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthStore).checkSession()) {
    return true;
  }
  return inject(Router).createUrlTree(['/login'], {
    queryParams: state.url === '/' ? {} : { returnUrl: state.url },
  });
};
