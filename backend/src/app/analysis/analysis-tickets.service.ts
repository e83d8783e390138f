import { Injectable } from '@nestjs/common';
import type { AnalysisMessage, AnalysisTicket } from './analyzer';
import {
  AnalysisCommentRow,
  AnalysisTicketRepository,
  AnalysisTicketRow,
} from './repositories/analysis-ticket.repository';

export interface LoadedTicket extends AnalysisTicket {
  analyzedHash: string | null;
  deleted: boolean;
}

/**
 * Reads tickets for analysis. Ticket rows belong to the tickets module; analysis only reads them here (and marks
 * them analysed through `TicketAnalysisMarks`).
 */
@Injectable()
export class AnalysisTicketsService {
  constructor(private readonly tickets: AnalysisTicketRepository) {}

  /**
   * Tickets whose text changed since their last successful analysis (or never analysed), oldest id first. A ticket
   * merged into another is not a separate report: its target (which Zendesk gave the merge comment) is analysed.
   */
  pendingIds(): Promise<number[]> {
    return this.tickets.pendingIds();
  }

  /**
   * Of `ids`, those still pending that this run has not recorded yet (at the text they have now). A chunk of a
   * shared run that is taken over from a worker that died part-way is resumed with this: what the first worker
   * recorded (a failed analysis included) is not analysed twice in one run.
   */
  pendingAmong(ids: number[], runId: string): Promise<number[]> {
    return this.tickets.pendingNotRecordedIn(ids, runId);
  }

  /** Tickets with their threads and organization names. */
  async load(ids: number[]): Promise<Map<number, LoadedTicket>> {
    const out = new Map<number, LoadedTicket>();
    if (!ids.length) return out;
    const tickets = await this.tickets.ticketsByIds(ids);
    const threads = threadsOf(await this.tickets.commentsOf(ids));
    for (const t of tickets) {
      const ticket = loadedTicket(t, threads.get(Number(t.zendesk_id)) ?? []);
      out.set(ticket.zendeskId, ticket);
    }
    return out;
  }
}

/** Who wrote a comment, as the analyzers see it (an unsynced author of the first comment is the requester). */
function authorOf(c: AnalysisCommentRow): AnalysisMessage['author'] {
  const role = c.author_role;
  if (role === 'end-user') return 'customer';
  if (role === 'agent' || role === 'admin') return 'agent';
  return c.position === 0 ? 'customer' : 'unknown';
}

function threadsOf(comments: readonly AnalysisCommentRow[]): Map<number, AnalysisMessage[]> {
  const threads = new Map<number, AnalysisMessage[]>();
  for (const c of comments) {
    const id = Number(c.ticket_id);
    const list = threads.get(id) ?? [];
    list.push({ author: authorOf(c), public: c.public, body: c.body, createdAt: new Date(c.created_at) });
    threads.set(id, list);
  }
  return threads;
}

/** A ticket row with its thread; a ticket without stored comments is its description. */
function loadedTicket(t: AnalysisTicketRow, messages: AnalysisMessage[]): LoadedTicket {
  const createdAt = new Date(t.created_at);
  if (!messages.length && t.description)
    messages.push({ author: 'customer', public: true, body: t.description, createdAt });
  return {
    zendeskId: Number(t.zendesk_id),
    contentHash: t.content_hash,
    analyzedHash: t.analyzed_hash,
    deleted: t.deleted_at !== null,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    tags: t.tags ?? [],
    organization: t.organization ?? null,
    createdAt,
    updatedAt: new Date(t.updated_at),
    messages,
  };
}
