import { HttpContext, HttpContextToken, HttpInterceptorFn } from '@angular/common/http';

/** A page of a list endpoint: `page` is 1-based, `perPage` 1–200 (the API's `PageQuery`). */
export interface PageRequest {
  page: number;
  perPage: number;
}

export const PAGE_REQUEST = new HttpContextToken<PageRequest | null>(() => null);

export const PAGE_SIZES: readonly number[] = [25, 50, 100];
export const DEFAULT_PAGE_SIZE = 25;

/**
 * The context for a list call: `this.tickets.listTickets(params, withPage({ page, perPage }))`.
 *
 * Every list endpoint accepts `page` and `perPage`, but the committed OpenAPI spec does not list them (the
 * backend's `PageQuery` lives in `common/pagination.ts`, a file the Swagger CLI plugin does not read), so the
 * generated `*$Params` have no paging fields. Until the spec is fixed and the client regenerated, the page
 * travels in the request context and `pagingInterceptor` adds it to the query string.
 */
export function withPage(page: PageRequest, context = new HttpContext()): HttpContext {
  return context.set(PAGE_REQUEST, page);
}

/** Adds `page` and `perPage` from the request context (see `withPage`) to the query string. */
export const pagingInterceptor: HttpInterceptorFn = (req, next) => {
  const page = req.context.get(PAGE_REQUEST);
  if (!page) {
    return next(req);
  }
  return next(
    req.clone({
      params: req.params.set('page', String(page.page)).set('perPage', String(page.perPage)),
    }),
  );
};

/** A positive integer from a query parameter, or the fallback. */
export function positiveInt(value: string | null | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 && parsed <= max ? parsed : fallback;
}
