import type { AuthorRole } from './entities/ticket-comment.entity';
import type { TicketSource } from './entities/ticket.entity';

/** What the sync and the import hand the stores: tickets, comments, staged events, merges. */
export interface IncomingComment {
  zendeskCommentId?: number | null;
  authorId?: number | null;
  /** Known for imports; resolved from synced users otherwise. */
  authorRole?: AuthorRole;
  public: boolean;
  body: string;
  createdAt: Date;
  /** Zendesk's comment type (`Comment`, `VoiceComment`, ...). Default `Comment`. */
  kind?: string;
}

export interface IncomingTicket {
  zendeskId: number;
  /** An imported file's own id when it is not a Zendesk id; `zendeskId` is then mapped from it. */
  originalId?: string | null;
  subject: string;
  description: string;
  status: string;
  priority?: string | null;
  type?: string | null;
  tags?: string[];
  requesterId?: number | null;
  submitterId?: number | null;
  assigneeId?: number | null;
  organizationId?: number | null;
  groupId?: number | null;
  brandId?: number | null;
  channel?: string | null;
  customFields?: { id: number; value: unknown }[];
  satisfaction?: string | null;
  createdAt: Date;
  updatedAt: Date;
  source: TicketSource;
  /**
   * The whole thread in order. `undefined` keeps the stored comments; with `markThreadStale` the ticket is
   * flagged for a thread fetch when it is new or its `updatedAt` moved.
   */
  comments?: IncomingComment[];
  /** Zendesk's comment count at export time (checks a thread assembled from events). */
  expectedComments?: number | null;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Tickets whose text (subject or any comment) changed: they need analysis. */
  textChanged: number[];
  /** Tickets flagged for a thread fetch. */
  staleThreads: number[];
  commentsStored: number;
  /** Imported tickets not written: Zendesk deleted them, or the sync wrote them (an import never overwrites either). */
  skipped: { zendeskId: number; reason: 'deleted' | 'synced' }[];
}

/** A comment event of the event export, staged until its ticket's thread is assembled. */
export interface StagedComment {
  ticketId: number;
  commentId: number;
  authorId: number | null;
  public: boolean;
  body: string;
  createdAt: string | Date;
  /** Zendesk's comment type (`Comment`, `VoiceComment`, ...). Default `Comment`. */
  kind?: string;
}

/** A `CommentPrivacyChange` of the event export: the comment became internal (`public: false`) or public again. */
export interface PrivacyChange {
  ticketId: number;
  commentId: number;
  public: boolean;
}

/** A ticket merged into another in Zendesk. */
export interface TicketMerge {
  source: number;
  target: number;
}
