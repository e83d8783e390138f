import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn, ZendeskIdColumn } from '@app/database/columns';
import { Ticket } from './ticket.entity';

/** `end-user` for customers; `agent`/`admin` for support staff; `unknown` when the author was not synced. */
export type AuthorRole = 'end-user' | 'agent' | 'admin' | 'unknown';

@Entity({ name: 'ticket_comments' })
export class TicketComment {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @ZendeskIdColumn('ticket_id')
  ticketId!: number;

  @ManyToOne(() => Ticket, (ticket) => ticket.comments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: Ticket;

  @ZendeskIdColumn('zendesk_comment_id', { nullable: true })
  zendeskCommentId!: number | null;

  /** 0-based order in the thread (the first is the description). */
  @Column({ type: 'integer' })
  position!: number;

  @ZendeskIdColumn('author_id', { nullable: true })
  authorId!: number | null;

  @Column({ name: 'author_role', type: 'varchar', length: 16, default: 'unknown' })
  authorRole!: AuthorRole;

  /** Zendesk's comment type: `Comment`, `VoiceComment` (a call: transcription in the body), `TpeVoiceComment`, ... */
  @Column({ type: 'varchar', length: 32, default: 'Comment' })
  kind!: string;

  /** false = internal note. */
  @Column({ type: 'boolean' })
  public!: boolean;

  @Column({ type: 'text' })
  body!: string;

  @TimestampColumn('created_at')
  createdAt!: Date;
}
