import { PLACEHOLDERS } from '../redaction/redactor';

const PLACEHOLDER_SET = new Set(Object.values(PLACEHOLDERS));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const QUOTE_CHARS: Record<string, string> = {
  "'": "['‘’]",
  '‘': "['‘’]",
  '’': "['‘’]",
  '"': '["“”]',
  '“': '["“”]',
  '”': '["“”]',
};

/** Shortest quote worth keeping. */
export const MIN_QUOTE_LENGTH = 8;

function tokenPattern(token: string): string {
  // A placeholder stands for a redacted value the model never saw (a phone number may hold spaces).
  const parts = token.split(/(\[(?:EMAIL|PHONE|CARD|IBAN|IP|URL)\])/);
  return parts
    .map((part) =>
      PLACEHOLDER_SET.has(part) ? '[^\\n]{1,80}?' : [...part].map((ch) => QUOTE_CHARS[ch] ?? escapeRe(ch)).join(''),
    )
    .join('');
}

/**
 * Finds `quote` in the ticket's own text: whitespace-normalised, case-insensitive, typographic quotes equal to
 * straight ones, redaction placeholders matching the original values. Returns the ticket's own wording (the
 * stored quote is always a substring of a stored text) or null when the quote does not occur.
 */
export function findVerbatim(quote: string, sources: readonly string[]): string | null {
  const trimmed = quote
    .trim()
    .replace(/^["“”'‘’]+|["“”'‘’]+$/g, '')
    .trim();
  if (trimmed.length < MIN_QUOTE_LENGTH) return null;
  const tokens = trimmed.split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.every((t) => PLACEHOLDER_SET.has(t))) return null;
  const re = new RegExp(tokens.map(tokenPattern).join('\\s+'), 'iu');
  for (const source of sources) {
    const m = re.exec(source);
    if (m) return m[0];
  }
  return null;
}
