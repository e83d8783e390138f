import { createHash } from 'node:crypto';

/** The hash of a ticket's text: subject and every comment with its visibility, whitespace-normalised. */
export function contentHash(subject: string, comments: { public: boolean; body: string }[]): string {
  const hash = createHash('sha256');
  hash.update(normaliseSpace(subject));
  for (const comment of comments) hash.update(`\u0000${comment.public ? 'P' : 'N'}${normaliseSpace(comment.body)}`);
  return hash.digest('hex');
}

const normaliseSpace = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * JavaScript's `\s` (WhiteSpace and LineTerminator) as a PostgreSQL regular expression: `normaliseSpace` in SQL is
 * regexp_replace(x, JS_SPACE, ' ', 'g') then btrim(x, ' ') (every space left is a plain one).
 */
export const JS_SPACE =
  '[\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+';
