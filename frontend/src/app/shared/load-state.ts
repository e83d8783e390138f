import { catchError, map, Observable, of, startWith } from 'rxjs';

/** A value being loaded: the page shows a progress bar, the value, or an error with a retry. */
export type LoadState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error' };

/**
 * Maps a request to its load states. Errors become `{ status: 'error' }` (the HTTP error interceptor has
 * already shown the server's message in a snackbar).
 */
export function loadState<T>(request: Observable<T>): Observable<LoadState<T>> {
  return request.pipe(
    map((value): LoadState<T> => ({ status: 'ready', value })),
    catchError(() => of<LoadState<T>>({ status: 'error' })),
    startWith<LoadState<T>>({ status: 'loading' }),
  );
}

/** The value of a ready state, else null. */
export function valueOf<T>(state: LoadState<T>): T | null {
  return state.status === 'ready' ? state.value : null;
}
