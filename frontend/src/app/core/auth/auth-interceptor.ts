import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from './auth-store';

const LOGIN_PATH = '/api/auth/login';

/**
 * Adds the bearer token to same-origin `/api` requests (never to another origin), and ends the
 * session when the API answers 401 to anything but the login call itself: the token expired or was
 * revoked, so the user signs in again and comes back to where they were.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const path = sameOriginApiPath(req.url, inject(DOCUMENT));
  if (path === null) {
    return next(req);
  }
  const store = inject(AuthStore);
  const router = inject(Router);
  const isLogin = path === LOGIN_PATH;
  const token = store.token();
  const request = token && !isLogin ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

  return next(request).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401 && !isLogin) {
        store.clear();
        redirectToLogin(router);
      }
      return throwError(() => error);
    }),
  );
};

function redirectToLogin(router: Router): void {
  const navigation = router.currentNavigation();
  const target = navigation ? router.serializeUrl(navigation.finalUrl ?? navigation.extractedUrl) : router.url;
  if (target.startsWith('/login')) {
    return;
  }
  void router.navigate(['/login'], {
    queryParams: target === '/' ? {} : { returnUrl: target },
  });
}

/** The request's path when it goes to this origin's `/api`, otherwise null. */
function sameOriginApiPath(url: string, document: Document): string | null {
  const origin = document.location.origin;
  let parsed: URL;
  try {
    parsed = new URL(url, document.baseURI || origin);
  } catch {
    return null;
  }
  if (parsed.origin !== origin) {
    return null;
  }
  return parsed.pathname === '/api' || parsed.pathname.startsWith('/api/') ? parsed.pathname : null;
}
