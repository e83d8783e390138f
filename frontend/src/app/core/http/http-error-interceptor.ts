import { HttpContextToken, HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { catchError, throwError } from 'rxjs';
import { apiErrorMessage } from './api-error';

/**
 * Set on a request whose caller shows its own error (a form that puts the message next to its
 * fields, for example), so the global snackbar stays quiet.
 */
export const SKIP_ERROR_SNACKBAR = new HttpContextToken<boolean>(() => false);

/**
 * Shows every failed HTTP call in a snackbar with the server's message. A 401 is not shown: the
 * auth interceptor answers it by ending the session and opening the login page.
 */
export const httpErrorInterceptor: HttpInterceptorFn = (req, next) => {
  const snackBar = inject(MatSnackBar);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status !== 401 && !req.context.get(SKIP_ERROR_SNACKBAR)) {
        snackBar.open(apiErrorMessage(error), 'Dismiss', {
          duration: 8000,
          politeness: 'assertive',
        });
      }
      return throwError(() => error);
    }),
  );
};
