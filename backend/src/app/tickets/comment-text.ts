/**
 * One text per comment, whatever the fetch strategy. The comments API sends `body`, `html_body` and `plain_body`;
 * comment events of the ticket event export send `body` and `html_body` only. `body` is what both have, so it is
 * the stored text; `html_body` (converted) only when a comment has no `body` (some channels and exports), and
 * `plain_body` last. A voice comment without a body falls back to its call's transcription.
 */

/** Comment-bearing child events of an audit (Zendesk's audit events reference): every kind is kept with its kind. */
export const COMMENT_KINDS: ReadonlySet<string> = new Set([
  'Comment',
  'VoiceComment',
  'TpeVoiceComment',
  'FacebookComment',
]);

/** Audit child events about a comment that are not comments themselves. */
const NOT_COMMENTS = /^(CommentPrivacyChange|CommentRedact|AttachmentRedact)/;

/** A child event (or API comment) that carries comment text: a known comment kind, or an unknown `...Comment` type. */
export function isCommentKind(type: string | undefined, fields: Record<string, unknown>): boolean {
  if (!type) return false;
  if (COMMENT_KINDS.has(type)) return true;
  return /Comment$/.test(type) && !NOT_COMMENTS.test(type) && ('body' in fields || 'html_body' in fields);
}

export interface CommentTextFields {
  body?: unknown;
  html_body?: unknown;
  plain_body?: unknown;
  data?: unknown;
}

/** The stored text of a comment (see the module comment). Line endings are normalised to `\n`. */
export function commentText(c: CommentTextFields): string {
  let text = '';
  if (typeof c.body === 'string' && c.body.trim() !== '') text = c.body;
  else if (typeof c.html_body === 'string' && c.html_body.trim() !== '') text = htmlToText(c.html_body);
  else if (typeof c.plain_body === 'string' && c.plain_body.trim() !== '') text = c.plain_body;
  else if (c.data && typeof c.data === 'object') {
    const d = c.data as Record<string, unknown>;
    const t = d['transcription_text'] ?? d['transcript'];
    if (typeof t === 'string') text = t;
  }
  return text.replace(/\r\n?/g, '\n');
}

const BLOCK_END = /<\/(p|div|li|h[1-6]|blockquote|pre|tr|table|ul|ol)\s*>/gi;
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
  reg: '®',
  euro: '€',
};

/** Text of a comment's HTML: block ends and `<br>` become line breaks, tags are dropped, entities decoded. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(BLOCK_END, '\n\n')
      .replace(/<li\b[^>]*>/gi, '- ')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return NAMED[code.toLowerCase()] ?? whole;
  });
}

/**
 * The merge a comment records, from its `via`: a source ticket's closing comment has `via.source.rel = "merge"`
 * and `via.source.to.ticket_id` = the target.
 */
export function mergeTargetOf(via: unknown): number | null {
  if (!via || typeof via !== 'object') return null;
  const source = (via as { source?: unknown }).source;
  if (!source || typeof source !== 'object') return null;
  const s = source as { rel?: unknown; to?: unknown };
  if (s.rel !== 'merge' || !s.to || typeof s.to !== 'object') return null;
  const id = Number((s.to as { ticket_id?: unknown }).ticket_id);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** A permanently deleted ticket as exports return it: subject `SCRUBBED`, description `X`. */
export function isScrubbed(t: { subject?: string | null; description?: string | null }): boolean {
  return t.subject === 'SCRUBBED' && (t.description === 'X' || t.description === 'x' || !t.description);
}
