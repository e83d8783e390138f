/** Requests and answers of the Zendesk API: query strings, argument checks, credentials, error bodies. */
import type { ZendeskSideload } from './zendesk.types';
import type { ZendeskAuth } from './zendesk-client.types';

const DESCRIPTION_MAX = 300;

export const parseJson = (body: Buffer): never => JSON.parse(body.toString('utf8')) as never;

/** A page of the cursor-based Incremental Ticket Export: from `startTime` (first call) or `cursor`. */
export interface TicketExportParams {
  startTime?: number;
  cursor?: string;
  perPage?: number;
  include?: ZendeskSideload[];
}

/** A page of the Incremental Ticket Event export (time-based). */
export interface TicketEventsParams {
  startTime: number;
  includeComments?: boolean;
  perPage?: number;
}

export function exportQuery(params: TicketExportParams) {
  const q = new URLSearchParams();
  if (params.cursor !== undefined && params.cursor !== '') q.set('cursor', params.cursor);
  else if (params.startTime !== undefined) q.set('start_time', String(unixSeconds(params.startTime, 'startTime')));
  else throw new TypeError('exportTicketsCursor: startTime or cursor is required');
  q.set('per_page', String(pageSize(params.perPage, 1000, 1000, 'perPage')));
  const include = [...new Set(params.include ?? [])];
  if (include.length > 0) q.set('include', include.join(','));
  return q;
}

export function eventsQuery(params: TicketEventsParams) {
  const q = new URLSearchParams();
  q.set('start_time', String(unixSeconds(params.startTime, 'startTime')));
  if (params.includeComments) q.set('include', 'comment_events');
  if (params.perPage !== undefined) q.set('per_page', String(pageSize(params.perPage, 1000, 1000, 'perPage')));
  return q;
}

/** The event export's next start: `end_time`, else the `start_time` of `next_page`. */
export function nextStartTime(endTime: unknown, nextPage: string | null | undefined): number | null {
  if (typeof endTime === 'number') return endTime;
  if (nextPage) {
    try {
      const st = new URL(nextPage).searchParams.get('start_time');
      if (st !== null && /^\d+$/.test(st)) return Number(st);
    } catch {
      /* no usable next_page */
    }
  }
  return null;
}

export function authorizationHeader(auth: ZendeskAuth): string {
  if ('oauthToken' in auth) {
    if (!auth.oauthToken) throw new Error('ZendeskClient: auth.oauthToken is empty');
    return `Bearer ${auth.oauthToken}`;
  }
  if (!auth.email || !auth.apiToken) throw new Error('ZendeskClient: auth.email and auth.apiToken are required');
  return `Basic ${Buffer.from(`${auth.email}/token:${auth.apiToken}`, 'utf8').toString('base64')}`;
}

export function positive(value: number | undefined, def: number, name: string): number {
  if (value === undefined) return def;
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`ZendeskClient: ${name} must be a positive number`);
  return value;
}

export function positiveId(id: number, name: string): number {
  if (!Number.isSafeInteger(id) || id < 1) throw new TypeError(`ZendeskClient: ${name} must be positive integers`);
  return id;
}

export function unixSeconds(t: number, name: string): number {
  if (!Number.isFinite(t) || t < 0) throw new TypeError(`ZendeskClient: ${name} must be unix seconds`);
  return Math.floor(t);
}

export function pageSize(v: number | undefined, def: number, max: number, name: string): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < 1) throw new TypeError(`ZendeskClient: ${name} must be a positive integer`);
  return Math.min(max, v);
}

export function parseErrorBody(text: string): { code: string | null; description: string | null } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { code: null, description: null };
  }
  if (!body || typeof body !== 'object') return { code: null, description: null };
  const b = body as Record<string, unknown>;
  let code: string | null = null;
  let description: string | null = null;
  if (typeof b['error'] === 'string') code = b['error'];
  else if (b['error'] && typeof b['error'] === 'object') {
    const e = b['error'] as Record<string, unknown>;
    if (typeof e['title'] === 'string') code = e['title'];
    if (typeof e['message'] === 'string') description = e['message'];
  }
  if (typeof b['description'] === 'string') description = b['description'];
  if (Array.isArray(b['errors']) && b['errors'][0] && typeof b['errors'][0] === 'object') {
    const e = b['errors'][0] as Record<string, unknown>;
    if (!code && typeof e['code'] === 'string') code = e['code'];
    if (!description && typeof e['detail'] === 'string') description = e['detail'];
  }
  return {
    code: code ? code.slice(0, 100) : null,
    description: description ? description.slice(0, DESCRIPTION_MAX) : null,
  };
}

export function networkErrorText(err: unknown): string {
  const codes: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const o = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof o.code === 'string') codes.push(o.code);
    else if (typeof o.name === 'string' && o.name !== 'Error' && o.name !== 'TypeError') codes.push(o.name);
    e = o.cause;
  }
  return codes.length > 0 ? `network error (${[...new Set(codes)].join(', ')})` : 'network error';
}
