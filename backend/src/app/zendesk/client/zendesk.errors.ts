/**
 * Errors thrown by ZendeskClient. Messages name the method, endpoint path and status, never credentials,
 * query strings or response bodies beyond Zendesk's `error`/`description` fields.
 */

export interface ZendeskApiErrorInit {
  /** HTTP status; 0 when no response was received (network error, timeout). */
  status: number;
  /** Zendesk's `error` field (e.g. `RecordNotFound`, `APIRateLimitExceeded`), or a client code. */
  code: string | null;
  description: string | null;
  method: string;
  /** URL path without query string (no credentials are ever part of it). */
  path: string;
  /** HTTP attempts made for this call. */
  attempts: number;
  cause?: unknown;
}

export class ZendeskApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly description: string | null;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;

  constructor(init: ZendeskApiErrorInit) {
    const detail = [init.code, init.description].filter((s): s is string => !!s).join(': ');
    const what = init.status > 0 ? `HTTP ${init.status}` : 'no response';
    super(
      `Zendesk ${init.method} ${init.path} failed: ${what}${detail ? ` (${detail})` : ''}` +
        (init.attempts > 1 ? ` after ${init.attempts} attempts` : ''),
      init.cause !== undefined ? { cause: init.cause } : undefined,
    );
    this.name = 'ZendeskApiError';
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
  }
}

/** 404 `RecordNotFound`: the ticket (or user, ...) does not exist or was deleted. */
export class ZendeskNotFoundError extends ZendeskApiError {
  constructor(init: ZendeskApiErrorInit) {
    super(init);
    this.name = 'ZendeskNotFoundError';
  }
}

/** Too many consecutive 429s for one call (Retry-After was honoured every time). */
export class ZendeskRateLimitError extends ZendeskApiError {
  constructor(init: ZendeskApiErrorInit) {
    super(init);
    this.name = 'ZendeskRateLimitError';
  }
}

/** No response after `maxAttempts`: network errors (reset, dropped connection) or timeouts. status = 0. */
export class ZendeskNetworkError extends ZendeskApiError {
  /** True when the last attempt timed out. */
  readonly timedOut: boolean;
  constructor(init: ZendeskApiErrorInit & { timedOut: boolean }) {
    super(init);
    this.name = 'ZendeskNetworkError';
    this.timedOut = init.timedOut;
  }
}
