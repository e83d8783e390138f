import { isCommentKind } from '@app/tickets/comment-text';
import type { ZendeskTicketAttributes } from '@app/tickets/zendesk-ticket-attributes';

/**
 * Zendesk Support API payloads, as on the wire (snake_case), reduced to the fields the product reads.
 * Zendesk sends many more fields; they are left untyped on purpose. Anything Zendesk may omit is optional.
 */

export type ZendeskTicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed' | 'deleted';
export type ZendeskUserRole = 'end-user' | 'agent' | 'admin';

export interface ZendeskVia {
  channel: string;
  source?: { from?: Record<string, unknown>; to?: Record<string, unknown>; rel?: string | null };
}

export interface ZendeskCustomField {
  id: number;
  /** Value types vary by field type (text, number, checkbox, dropdown tag, multiselect list). */
  value: string | number | boolean | string[] | null;
}

export interface ZendeskSatisfactionRating {
  score: string;
  comment?: string | null;
  id?: number;
}

/** A ticket; its priority, type, tags and people are the attributes the tickets table stores under their names. */
export interface ZendeskTicket extends ZendeskTicketAttributes {
  id: number;
  url?: string;
  subject: string | null;
  /** The first comment's text. */
  description: string | null;
  /** `deleted` appears in exports only; the ticket endpoints answer 404 for deleted tickets. */
  status: ZendeskTicketStatus | string;
  via?: ZendeskVia;
  custom_fields?: ZendeskCustomField[];
  satisfaction_rating?: ZendeskSatisfactionRating | null;
  created_at: string;
  updated_at: string;
  /** Unix seconds; what the incremental exports compare against (may be later than `updated_at`). */
  generated_timestamp?: number;
  /** Present with `include=comment_count`. */
  comment_count?: number;
}

export interface ZendeskAttachment {
  id: number;
  file_name: string;
  content_url: string;
  content_type: string;
  size: number;
}

export interface ZendeskComment {
  id: number;
  /** `Comment`, `VoiceComment` (a call: transcription in `body`, details in `data`), `TpeVoiceComment`, ... */
  type: string;
  author_id: number;
  body: string;
  html_body?: string;
  plain_body?: string;
  /** false = internal note. */
  public: boolean;
  attachments?: ZendeskAttachment[] | unknown[];
  audit_id?: number;
  via?: ZendeskVia;
  /** Voice comments: the call's details (numbers, duration, recording, transcription). Not stored. */
  data?: Record<string, unknown>;
  /**
   * `metadata.system` carries the author's IP address and location (personal data: do not store or forward).
   */
  metadata?: { system?: Record<string, unknown>; custom?: Record<string, unknown> };
  created_at: string;
}

export interface ZendeskUser {
  id: number;
  name: string;
  email: string | null;
  role: ZendeskUserRole | string;
  organization_id: number | null;
  active?: boolean;
  suspended?: boolean;
  time_zone?: string;
  locale?: string;
  created_at?: string;
  updated_at?: string;
}

export interface ZendeskOrganization {
  id: number;
  name: string;
  domain_names: string[];
  external_id?: string | null;
  tags?: string[];
  /** Custom organization fields (plan, region, ...). */
  organization_fields?: Record<string, unknown> | null;
  created_at?: string;
  updated_at?: string;
}

/** A comment child event of a ticket event (`include=comment_events`). */
export interface ZendeskCommentEvent {
  id: number;
  event_type: 'Comment';
  type?: string;
  author_id: number;
  body: string;
  html_body?: string;
  plain_body?: string;
  public: boolean;
  attachments?: unknown[];
  audit_id?: number;
  created_at?: string;
  via?: ZendeskVia | string;
}

/** A comment made private (`public: false`) or public again after it was posted. */
export interface ZendeskCommentPrivacyChangeEvent {
  id: number;
  event_type: 'CommentPrivacyChange';
  type?: string;
  comment_id: number;
  public: boolean;
}

/** Any other child event (Change, Create, CommentRedacted, ...): loosely typed. */
export interface ZendeskOtherChildEvent {
  id: number;
  event_type: string;
  type?: string;
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  [key: string]: unknown;
}

export type ZendeskChildEvent = ZendeskCommentEvent | ZendeskOtherChildEvent;

export interface ZendeskTicketEvent {
  id: number;
  ticket_id: number;
  /** Unix seconds. */
  timestamp: number;
  created_at: string;
  updater_id: number | null;
  via: string | null;
  event_type: string;
  child_events: ZendeskChildEvent[];
  /** On a merge audit of the target ticket: the tickets merged into it. */
  merged_ticket_ids?: number[];
}

/** Narrows a child event to a comment event of any kind (voice comments included). */
export function isCommentEvent(e: ZendeskChildEvent): e is ZendeskCommentEvent {
  const fields = e as unknown as Record<string, unknown>;
  return isCommentKind((fields['event_type'] ?? fields['type']) as string | undefined, fields);
}

/** A comment privacy change, or null. */
export function privacyChangeOf(e: ZendeskChildEvent): ZendeskCommentPrivacyChangeEvent | null {
  const f = e as unknown as Record<string, unknown>;
  if ((f['event_type'] ?? f['type']) !== 'CommentPrivacyChange') return null;
  if (typeof f['comment_id'] !== 'number' || typeof f['public'] !== 'boolean') return null;
  return e as unknown as ZendeskCommentPrivacyChangeEvent;
}

// ---------------------------------------------------------------------------------------------
// Client method results
// ---------------------------------------------------------------------------------------------

export type ZendeskSideload = 'users' | 'organizations' | 'comment_count';

export interface TicketExportPage {
  tickets: ZendeskTicket[];
  /** Sideloaded with `include`; empty otherwise. */
  users: ZendeskUser[];
  organizations: ZendeskOrganization[];
  /** Persist it and pass it as `cursor` next time (null only if Zendesk sent none). */
  afterCursor: string | null;
  endOfStream: boolean;
}

export interface TicketEventsPage {
  events: ZendeskTicketEvent[];
  /** `end_time` (or `start_time` of `next_page`): the next call's `startTime`; persist it. */
  nextStartTime: number | null;
  endOfStream: boolean;
  count: number;
}

/** An export page read piece by piece: each iteration parses the records as it reaches them. */
export interface TicketExportStream {
  tickets(): Iterable<ZendeskTicket>;
  users(): Iterable<ZendeskUser>;
  organizations(): Iterable<ZendeskOrganization>;
  afterCursor: string | null;
  endOfStream: boolean;
  /** Frees the page's bytes (call when done; the page cannot be read afterwards). */
  release(): void;
}

/** An event export page read piece by piece. */
export interface TicketEventsStream {
  events(): Iterable<ZendeskTicketEvent>;
  nextStartTime: number | null;
  endOfStream: boolean;
  count: number;
  /** Events on this page (counted, not parsed). */
  eventCount: number;
  /** Frees the page's bytes (call when done; the page cannot be read afterwards). */
  release(): void;
}
