import type { EntityManager } from 'typeorm';
import type { AuthorRole } from './entities/ticket-comment.entity';
import type { IncomingComment } from './incoming-ticket';
import type { CommentRepository, NewComment } from './repositories/comment.repository';
import type { PeopleRepository } from './repositories/people.repository';

const KNOWN_ROLES: readonly string[] = ['end-user', 'agent', 'admin'];

/**
 * Roles of the comment authors: from the file for people only an import knows, from Zendesk for synced users
 * (whatever the file says: an agent's internal note must never read as customer text). The comments of synced
 * authors get Zendesk's role here.
 */
export async function authorRoles(
  people: Pick<PeopleRepository, 'findRoles'>,
  tickets: { comments?: IncomingComment[] }[],
  tx?: EntityManager,
): Promise<Map<number, AuthorRole>> {
  const ids = new Set<number>();
  for (const t of tickets) for (const c of t.comments ?? []) if (c.authorId != null) ids.add(c.authorId);
  if (!ids.size) return new Map();
  const users = await people.findRoles([...ids], tx);
  const roles = new Map<number, AuthorRole>();
  const synced = new Set<number>();
  for (const u of users) {
    roles.set(u.id, (KNOWN_ROLES.includes(u.role) ? u.role : 'unknown') as AuthorRole);
    if (u.source === 'zendesk') synced.add(u.id);
  }
  for (const t of tickets)
    for (const c of t.comments ?? [])
      if (c.authorId != null && c.authorRole && synced.has(c.authorId)) c.authorRole = roles.get(c.authorId);
  return roles;
}

/** A thread as rows: positions in order, a role for every comment (its own, its author's, else `unknown`). */
export function threadRows(
  ticketId: number,
  comments: IncomingComment[],
  roles: ReadonlyMap<number, AuthorRole>,
): NewComment[] {
  return comments.map((c, position) => ({
    ticketId,
    zendeskCommentId: c.zendeskCommentId ?? null,
    position,
    authorId: c.authorId ?? null,
    authorRole: c.authorRole ?? (c.authorId != null ? roles.get(c.authorId) : undefined) ?? 'unknown',
    public: c.public,
    body: c.body,
    createdAt: c.createdAt,
    kind: c.kind ?? 'Comment',
  }));
}

/** Replaces the stored threads of the `replaced` tickets with `rows` (their new threads). Returns how many were written. */
export async function storeThreads(
  comments: Pick<CommentRepository, 'deleteForTickets' | 'insert'>,
  replaced: number[],
  rows: NewComment[],
  tx: EntityManager,
): Promise<number> {
  if (replaced.length) await comments.deleteForTickets(replaced, tx);
  await comments.insert(rows, tx);
  return rows.length;
}
