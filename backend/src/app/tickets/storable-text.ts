import type { IncomingTicket } from './incoming-ticket';

const NUL = '\u0000';

/**
 * Text PostgreSQL can store: NULs dropped, and a lone UTF-16 surrogate (half an emoji cut by a truncating client,
 * `"\ud83d"` in a JSON export) replaced with U+FFFD — jsonb parameters and text columns refuse both, which would
 * fail the whole batch and the run on every retry.
 */
export const storableText = (v: string, maxChars = Infinity): string => {
  const stripped = v.includes(NUL) ? v.replaceAll(NUL, '') : v;
  const text = stripped.length > maxChars ? stripped.slice(0, maxChars) : stripped;
  return text.isWellFormed() ? text : text.toWellFormed();
};

/** Lengths of the varchar columns (a longer value would fail the whole batch): status, priority, type, role… */
export const SHORT_CHARS = 16;
export const CHANNEL_CHARS = 64;
export const NAME_CHARS = 500;
export const EMAIL_CHARS = 320;

const storableShort = (v: string | null | undefined, maxChars: number): string | null =>
  v == null ? null : storableText(v, maxChars);

declare global {
  /** ES2024 string methods: Node 20 has them, the project's TypeScript lib does not list them yet. */
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * A ticket PostgreSQL can store (see `storableText`): bad characters are dropped or replaced and short fields cut
 * to their column, not the ticket rejected.
 */
export function storableTicket(ticket: IncomingTicket): IncomingTicket {
  const clean = (v: string) => storableText(v);
  return {
    ...ticket,
    subject: clean(ticket.subject ?? ''),
    description: clean(ticket.description ?? ''),
    status: storableText(ticket.status ?? '', SHORT_CHARS),
    priority: storableShort(ticket.priority, SHORT_CHARS),
    type: storableShort(ticket.type, SHORT_CHARS),
    channel: storableShort(ticket.channel, CHANNEL_CHARS),
    satisfaction: storableShort(ticket.satisfaction, SHORT_CHARS),
    tags: ticket.tags?.map(clean) ?? ticket.tags,
    comments: ticket.comments?.map((c) => ({ ...c, body: clean(c.body ?? '') })),
  };
}
