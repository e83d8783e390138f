/**
 * Ticket text cleaning: turn an e-mail-ish / HTML support message into the text a person would read
 * as "what the customer says". Removes HTML, quoted replies, `>` lines, signatures, greetings, common
 * boilerplate and redaction placeholders. Pure and deterministic.
 */

export interface CleanOptions {
  /** Drop greeting lines/prefixes ("Hi team,"). Default true. */
  greetings?: boolean;
  /** Cut quoted replies ("On … wrote:", "-----Original Message-----", `>` lines). Default true. */
  quotes?: boolean;
  /** Cut signatures ("-- ", "Best regards,", "Sent from my iPhone"). Default true. */
  signatures?: boolean;
  /** Drop boilerplate lines and paragraphs (disclaimers, "please type your reply above this line"). Default true. */
  boilerplate?: boolean;
  /** Extra line patterns to drop (e.g. product-specific templates). A matching line is removed. */
  dropLines?: readonly RegExp[];
  /** Replace URLs by their host name (keeps "youtube.com", drops paths and queries). Default true. */
  urlsToHosts?: boolean;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '-',
  mdash: '-',
  hellip: '...',
  rsquo: "'",
  lsquo: "'",
  rdquo: '"',
  ldquo: '"',
  copy: '(c)',
  reg: '(r)',
  trade: '(tm)',
};

/** Decode the HTML entities that occur in support mail (named subset, decimal and hex). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : ' ';
    }
    const named = ENTITIES[code.toLowerCase()];
    return named ?? whole;
  });
}

// Tag patterns exclude `<` from a tag's inside, so a text of 200 KB of `<p <p <p` costs one pass, not one pass per
// `<` (issue 13, point 6); elements with content are cut by the scanners below instead of lazy `[\s\S]*?`.
const HTML_TAG =
  /<\/?(p|br|div|span|a|b|i|u|em|strong|ul|ol|li|table|tr|td|blockquote|html|body|h[1-6]|img|pre|code|font)\b[^<>]*>/i;

/** True when the text looks like HTML markup rather than plain text with a stray `<`. */
export function looksLikeHtml(text: string): boolean {
  return HTML_TAG.test(text);
}

/** `text` with the given [start, end) ranges (sorted, disjoint) replaced by `by`. */
function cut(text: string, ranges: ReadonlyArray<readonly [number, number]>, by: string): string {
  if (!ranges.length) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    parts.push(text.slice(at, a), by);
    at = b;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Ranges of `<!-- … -->` comments; an unclosed one stays (as the pattern it replaces left it). */
function commentRanges(s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = s.indexOf('<!--'); i >= 0;) {
    const end = s.indexOf('-->', i + 4);
    if (end < 0) break;
    out.push([i, end + 3]);
    i = s.indexOf('<!--', end + 3);
  }
  return out;
}

/** Ranges of script/style/head/title elements with their content, each open tag closed by the first matching end tag. */
function rawElementRanges(s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const open = /<(script|style|head|title)\b[^<>]*>/gi;
  const unclosed = new Set<string>();
  let m: RegExpExecArray | null;
  while ((m = open.exec(s)) !== null) {
    const name = m[1]!.toLowerCase();
    if (unclosed.has(name)) continue;
    const close = new RegExp(`</${name}\\s*>`, 'gi');
    close.lastIndex = open.lastIndex;
    const c = close.exec(s);
    if (!c) {
      unclosed.add(name);
      continue;
    }
    out.push([m.index, close.lastIndex]);
    open.lastIndex = close.lastIndex;
  }
  return out;
}

/** Ranges of outermost closed `<blockquote>` elements (nested ones go with them; an unclosed one stays). */
function blockquoteRanges(s: string): Array<[number, number]> {
  const tags = /<(\/?)blockquote\b[^<>]*>/gi;
  const opens: number[] = [];
  const out: Array<[number, number]> = [];
  let m: RegExpExecArray | null;
  while ((m = tags.exec(s)) !== null) {
    if (!m[1]) {
      opens.push(m.index);
      continue;
    }
    if (m[1] && !/^<\/blockquote\s*>$/i.test(m[0])) continue;
    const start = opens.pop();
    if (start === undefined) continue;
    while (out.length && out[out.length - 1]![0] >= start) out.pop();
    out.push([start, tags.lastIndex]);
  }
  return out;
}

/** HTML → plain text with line breaks at block boundaries; quoted `<blockquote>`s are dropped. */
export function htmlToText(html: string, dropBlockquotes = true): string {
  let s = cut(html, commentRanges(html), ' ');
  s = cut(s, rawElementRanges(s), ' ');
  if (dropBlockquotes) s = cut(s, blockquoteRanges(s), '\n');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/?(p|div|li|ul|ol|tr|table|h[1-6]|pre|section|article|header|footer)\b[^<>]*>/gi, '\n');
  s = s.replace(/<\/t[dh]\s*>/gi, ' ');
  s = s.replace(/<[^<>]+>/g, '');
  return decodeEntities(s);
}

const REDACTION = /\[(?:[A-Z][A-Z_ -]{1,30}|redacted|email|phone|card|ip)(?::[^\]]{0,40})?\]/g;
const URL = /\b(?:https?:\/\/|www\.)([a-z0-9.-]{1,253}\.[a-z]{2,63})(?::\d+)?(?:[/?#][^\s<>"')\]]*)?/gi;

const QUOTE_HEADERS: readonly RegExp[] = [
  /^\s*(on|am|le|el|il|op)\s.{0,250}(wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:?\s*$/i,
  /^\s*-{2,}\s*(original message|forwarded message|reply above this line)\s*-{2,}/i,
  /^\s*#{1,3}-?\s*please type your reply above this line/i,
  /^\s*_{8,}\s*$/,
];
const OUTLOOK_FROM = /^\s*from:\s.+$/i;
const OUTLOOK_NEXT = /^\s*(sent|date|to|subject|cc):\s/i;

const SIGNATURE_START: readonly RegExp[] = [
  /^--\s*$/,
  /^\s*(sent from my|sent from (mail|outlook|yahoo)|get outlook for)\b/i,
];
const VALEDICTION =
  /^\s*((best|kind|warm|warmest|many)\s+)?(regards|wishes|thanks|thank you|thx|cheers|sincerely|yours( truly| sincerely)?|best|respectfully|br)\s*[,.!-]*\s*$/i;

const GREETING_LINE =
  /^\s*(hi|hello|hey|hiya|dear|greetings|good (morning|afternoon|evening|day)|to whom it may concern)\b[^\n.!?]{0,40}[,!:.-]?\s*$/i;
const GREETING_PREFIX =
  /^\s*(hi|hello|hey|hiya|greetings|good (morning|afternoon|evening|day))(\s+(there|team|all|guys|folks|support|everyone|[A-Z][a-z]+))?\s*[,!.:-]+\s*/i;

const BOILERPLATE_LINES: readonly RegExp[] = [
  /\b(this|the) (e-?mail|message)( and any (files|attachments)( transmitted with it)?)? (is|are|may be|contains?) (confidential|privileged|intended)/i,
  /\bif you (are not|have received this) (the intended recipient|(e-?mail|message) in error)\b/i,
  /^\s*please do not reply to this (e-?mail|message)/i,
  /^\s*(this (e-?mail|message) (was|has been) (sent|generated) (by|from|automatically))/i,
  /^\s*please consider the environment before printing/i,
  /^\s*\[?(attachment|image|inline image)( \d+)?\]?:?\s*[^\s]*\.(png|jpe?g|gif|pdf|docx?|xlsx?|txt|log)\s*$/i,
];

/**
 * Clean one message. Order: HTML → quoted replies → signature → greetings → boilerplate →
 * placeholders/URLs → whitespace.
 */
export function cleanText(input: string | null | undefined, options: CleanOptions = {}): string {
  if (!input) return '';
  const opt = {
    greetings: true,
    quotes: true,
    signatures: true,
    boilerplate: true,
    urlsToHosts: true,
    ...options,
  };
  let text = input.replace(/\r\n?/g, '\n');
  if (looksLikeHtml(text)) text = htmlToText(text, opt.quotes);
  else if (/&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text)) text = decodeEntities(text);
  text = text.replace(/\u00a0/g, ' ');

  let lines = text.split('\n');

  if (opt.quotes) {
    const cut = lines.findIndex(
      (line, i) =>
        QUOTE_HEADERS.some((re) => re.test(line)) ||
        // "On Mon, 1 Jan 2024 John <x@y>" + next line "wrote:"
        (/^\s*on\s/i.test(line) && /^\s*\S*\s*wrote:\s*$/i.test(lines[i + 1] ?? '')) ||
        (OUTLOOK_FROM.test(line) && OUTLOOK_NEXT.test(lines[i + 1] ?? '')),
    );
    if (cut >= 0) lines = lines.slice(0, cut);
    lines = lines.filter((line) => !/^\s*>/.test(line));
  }

  if (opt.signatures) {
    let cut = lines.findIndex((line) => SIGNATURE_START.some((re) => re.test(line)));
    if (cut < 0) {
      // A valediction line ("Best regards,") within the last lines starts the signature.
      const tail = Math.max(0, lines.length - 8);
      for (let i = lines.length - 1; i >= tail; i--) {
        if (VALEDICTION.test(lines[i])) cut = i;
      }
    }
    if (cut > 0) lines = lines.slice(0, cut);
  }

  if (opt.boilerplate || opt.dropLines) {
    const patterns = [...(opt.boilerplate ? BOILERPLATE_LINES : []), ...(opt.dropLines ?? [])];
    lines = lines.filter((line) => !patterns.some((re) => re.test(line)));
  }

  if (opt.greetings) {
    const first = lines.findIndex((line) => line.trim() !== '');
    if (first >= 0) {
      if (GREETING_LINE.test(lines[first]) && lines[first].trim().split(/\s+/).length <= 6) {
        lines.splice(first, 1);
      } else {
        lines[first] = lines[first].replace(GREETING_PREFIX, '');
      }
    }
  }

  text = lines.join('\n');
  text = text.replace(REDACTION, ' ');
  if (opt.urlsToHosts) text = text.replace(URL, (_m, host: string) => ` ${host.replace(/^www\./i, '')} `);
  text = text
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n');
  return text.trim();
}

export interface TicketLike {
  subject?: string | null;
  body?: string | null;
  comments?: ReadonlyArray<{ body?: string | null; public?: boolean | null }> | null;
}

export interface CleanTicketOptions extends CleanOptions {
  /** Which comments to append to the body: none (default), public ones, or all. */
  comments?: 'none' | 'public' | 'all';
}

/** Clean a ticket's subject and body (plus comments when asked). */
export function cleanTicket(ticket: TicketLike, options: CleanTicketOptions = {}): { subject: string; body: string } {
  const subject = cleanText(ticket.subject ?? '', { ...options, greetings: false, signatures: false })
    .replace(/^\s*((re|fwd?|aw|wg)\s*:\s*)+/i, '')
    .trim();
  const parts = [cleanText(ticket.body ?? '', options)];
  const which = options.comments ?? 'none';
  if (which !== 'none') {
    for (const c of ticket.comments ?? []) {
      if (which === 'public' && c.public === false) continue;
      const t = cleanText(c.body ?? '', options);
      if (t) parts.push(t);
    }
  }
  return { subject, body: parts.filter(Boolean).join('\n\n') };
}
