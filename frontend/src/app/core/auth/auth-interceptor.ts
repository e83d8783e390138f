import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { DOCUMENT } from '@angular/common';
import { Router } from '@angular/router';
import { catchError, switchMap, throwError } from 'rxjs';
import { AuthStore } from './auth-store';

const LOGIN_PATH = '/api/auth/login';
/** Exchanges the SSO cookie for a token: sent without a bearer token, and its 401 means the SSO session ended. */
const REFRESH_PATH = '/api/auth/refresh';
const LOGOUT_PATH = '/api/auth/logout';
/** Ends an SSO session by its cookie: needs no token, and always answers 204. */
const SSO_LOGOUT_PATH = '/api/auth/oidc/logout';

/**
 * Adds the bearer token to same-origin `/api` requests (never to another origin), and ends the
 * session when the API answers 401 to anything but the login call itself: the token expired or was
 * revoked, so the user signs in again and comes back to where they were. A single sign-on session first
 * renews its short token (`POST /api/auth/refresh`, refreshed at the identity provider) and sends the request
 * again; only when that is refused (the user was removed or disabled there) does the session end.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const path = sameOriginApiPath(req.url, inject(DOCUMENT));
  if (path === null) {
    return next(req);
  }
  const store = inject(AuthStore);
  const router = inject(Router);
  const isLogin = path === LOGIN_PATH || path === REFRESH_PATH || path === SSO_LOGOUT_PATH;
  const token = store.token();
  const withToken = (bearer: string) => req.clone({ setHeaders: { Authorization: `Bearer ${bearer}` } });
  const request = token && !isLogin ? withToken(token) : req;
  const endSession = (error: unknown) => {
    if (error instanceof HttpErrorResponse && error.status === 401 && !isLogin) {
      store.clear();
      redirectToLogin(router);
    }
    return throwError(() => error);
  };

  return next(request).pipe(
    catchError((error: unknown) => {
      const renew = error instanceof HttpErrorResponse && error.status === 401 && !isLogin && store.isSso();
      if (!renew || path === LOGOUT_PATH) {
        return endSession(error);
      }
      return store.renewSso().pipe(
        // Refused (401): the SSO session ended at the provider. Anything else (503): the provider is down for now.
        catchError((refused: unknown) =>
          refused instanceof HttpErrorResponse && refused.status !== 401
            ? throwError(() => refused)
            : endSession(error),
        ),
        switchMap((renewed) => next(withToken(renewed)).pipe(catchError(endSession))),
      );
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
