/**
 * What the sync reads from Zendesk, mapped to what the tickets module stores: tickets, users, organizations and
 * comment events.
 */
import type {
  IncomingComment,
  IncomingTicket,
  PrivacyChange,
  StagedComment,
  TicketMerge,
} from '@app/tickets/incoming-ticket';
import type { ZendeskTicketEvent } from './client';
import { commentText, isCommentEvent, isScrubbed, mergeTargetOf, privacyChangeOf } from './client';

/** The fields of an exported ticket the sync stores. */
export interface ZdTicketLike {
  id: number;
  subject?: string | null;
  description?: string | null;
  status: string;
  priority?: string | null;
  type?: string | null;
  tags?: string[];
  requester_id?: number | null;
  submitter_id?: number | null;
  assignee_id?: number | null;
  organization_id?: number | null;
  group_id?: number | null;
  brand_id?: number | null;
  via?: { channel?: string } | null;
  custom_fields?: { id: number; value: unknown }[];
  satisfaction_rating?: { score?: string } | null;
  created_at: string;
  updated_at: string;
  comment_count?: number;
}

/** What an event page says besides comments: privacy changes and merges. */
export interface EventExtras {
  privacy: PrivacyChange[];
  merges: TicketMerge[];
}

/** Tickets of an export batch: after the brand filter, live ones as stored, deleted ones as ids. */
export function compactTickets(
  tickets: ZdTicketLike[],
  brand: number | undefined,
): { fetched: number; live: IncomingTicket[]; deleted: number[]; scrubbed: number[] } {
  const mine = tickets.filter((t) => brand === undefined || t.brand_id === brand);
  // A permanently deleted ticket comes back scrubbed (whatever its status): it is purged, not stored.
  const scrubbed = mine.filter((t) => isScrubbed(t));
  const rest = mine.filter((t) => !isScrubbed(t));
  return {
    fetched: mine.length,
    live: rest.filter((t) => t.status !== 'deleted').map((t) => toIncoming(t, undefined)),
    deleted: rest.filter((t) => t.status === 'deleted').map((t) => t.id),
    scrubbed: scrubbed.map((t) => t.id),
  };
}

/**
 * The comment events (every kind: voice comments too) of wanted tickets (`wanted` sorted ascending) as staging
 * rows, with the text both fetch strategies store (`commentText`); tickets with a redaction are added to
 * `redacted`. Privacy changes of wanted tickets and merges (a target's `merged_ticket_ids`, a source's merge
 * comment) go to `extras`, in event order.
 */
export function commentRows(
  events: Iterable<ZendeskTicketEvent>,
  wanted: Float64Array,
  redacted: Set<number>,
  extras?: EventExtras,
): StagedComment[] {
  const rows: StagedComment[] = [];
  for (const event of events) {
    for (const source of event.merged_ticket_ids ?? [])
      if (source !== event.ticket_id) extras?.merges.push({ source, target: event.ticket_id });
    if (!sortedHas(wanted, event.ticket_id)) continue;
    for (const child of event.child_events ?? []) {
      const type = child.event_type || (child as { type?: string }).type || '';
      if (/redact/i.test(type)) redacted.add(event.ticket_id);
      const privacy = privacyChangeOf(child);
      if (privacy)
        extras?.privacy.push({ ticketId: event.ticket_id, commentId: privacy.comment_id, public: privacy.public });
      if (!isCommentEvent(child)) continue;
      const target = mergeTargetOf(child.via);
      if (target !== null && target !== event.ticket_id) extras?.merges.push({ source: event.ticket_id, target });
      rows.push({
        ticketId: event.ticket_id,
        commentId: child.id,
        authorId: child.author_id ?? null,
        public: child.public !== false,
        body: commentText(child),
        createdAt: child.created_at ?? event.created_at,
        kind: type || 'Comment',
      });
    }
  }
  return rows;
}

/** Where the event export continues after `page` (requested at `startTime`); null at the end of the stream. */
export function nextEventsStart(
  page: { endOfStream: boolean; nextStartTime: number | null; eventCount: number },
  startTime: number,
): number | null {
  const end =
    page.endOfStream || page.nextStartTime === null || (page.nextStartTime <= startTime && page.eventCount === 0);
  return end ? null : page.nextStartTime;
}

/** Consecutive batches of `size` items (the last one shorter), pulled from `items` as they are needed. */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function sortedHas(ids: Float64Array, id: number): boolean {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function toIncoming(t: ZdTicketLike, comments: IncomingComment[] | undefined): IncomingTicket {
  return {
    zendeskId: t.id,
    subject: t.subject ?? '',
    description: t.description ?? '',
    status: t.status,
    priority: t.priority ?? null,
    type: t.type ?? null,
    tags: t.tags ?? [],
    requesterId: t.requester_id ?? null,
    submitterId: t.submitter_id ?? null,
    assigneeId: t.assignee_id ?? null,
    organizationId: t.organization_id ?? null,
    groupId: t.group_id ?? null,
    brandId: t.brand_id ?? null,
    channel: t.via?.channel ?? null,
    customFields: t.custom_fields ?? [],
    satisfaction: t.satisfaction_rating?.score ?? null,
    createdAt: new Date(t.created_at),
    updatedAt: new Date(t.updated_at),
    source: 'zendesk',
    comments,
    expectedComments: t.comment_count ?? null,
  };
}

export function toOrganization(o: {
  id: number;
  name?: string;
  domain_names?: string[];
  tags?: string[];
  organization_fields?: Record<string, unknown> | null;
  created_at?: string;
  updated_at?: string;
}) {
  return {
    id: o.id,
    name: o.name ?? '',
    domainNames: o.domain_names ?? [],
    tags: o.tags ?? [],
    organizationFields: o.organization_fields ?? {},
    createdAt: o.created_at ? new Date(o.created_at) : null,
    updatedAt: o.updated_at ? new Date(o.updated_at) : null,
  };
}

export function toUser(u: {
  id: number;
  name?: string;
  email?: string | null;
  role?: string;
  organization_id?: number | null;
  created_at?: string;
  updated_at?: string;
}) {
  return {
    id: u.id,
    name: u.name ?? '',
    email: u.email ?? null,
    role: u.role ?? 'end-user',
    organizationId: u.organization_id ?? null,
    createdAt: u.created_at ? new Date(u.created_at) : null,
    updatedAt: u.updated_at ? new Date(u.updated_at) : null,
  };
}
