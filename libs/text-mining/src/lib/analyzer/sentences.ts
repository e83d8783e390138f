/**
 * Sentences of a ticket with their place in the original text, so that a quote can always be cut
 * verbatim from what the customer wrote. Analysis runs on cleaned text (no greetings, signatures,
 * quoted replies, HTML); each cleaned sentence is then located in the raw message (exactly, or up to
 * whitespace). A sentence that cannot be located (e.g. it contained a URL or a redaction placeholder
 * that cleaning rewrote) is still analysed but never quoted.
 */
import { cleanText } from '../clean';
import { cueForm } from './cues';

export type SentenceAuthor = 'customer' | 'agent' | 'internal';

export interface SourceText {
  kind: 'subject' | 'description' | 'comment';
  author: SentenceAuthor;
  /** The text exactly as given. */
  raw: string;
  /** True when the author was inferred from the wording (comment without a known role). */
  inferred?: boolean;
}

export interface Sentence {
  /** Index of the source (subject, description, comments…) this sentence comes from. */
  source: number;
  /** Position in the ticket (0-based over all sources, in thread order). */
  order: number;
  /** Cleaned sentence text. */
  text: string;
  /** Cue form (see `cueForm`). */
  form: string;
  /** Offsets of the sentence in its source's raw text, or -1 when it could not be located. */
  start: number;
  end: number;
}

const ABBREVIATION = /(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|mr|mrs|ms|dr|no|nr|fig|ca|cf)|\b[a-z])\.$/i;

/**
 * Join hard-wrapped lines of a paragraph: a line that does not end a sentence continues on the next
 * line when that one starts in lower case, or when the line itself is long (mail clients wrap at
 * ~72 characters). Short unpunctuated lines (list items, headings) stay separate.
 */
function unwrap(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const prev = out.length ? out[out.length - 1] : null;
    if (
      prev !== null &&
      prev.trim() &&
      line.trim() &&
      !/[.!?:;]["')\]]*\s*$/.test(prev) &&
      !/^\s*(?:[-*•>]|\d+[.)])\s/.test(line) &&
      (/^\s*[a-z]/.test(line) || prev.length >= 50)
    ) {
      out[out.length - 1] = `${prev} ${line.trim()}`;
    } else out.push(line);
  }
  return out;
}

/** Split cleaned text into sentences: line breaks (after unwrapping), then `.`/`!`/`?` followed by white space. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of unwrap(text)) {
    const re = /[.!?]+["')\]]*(?=\s+\S)/g;
    let from = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) {
      const end = m.index + m[0].length;
      const piece = line.slice(from, end);
      if (ABBREVIATION.test(line.slice(Math.max(from, m.index - 8), m.index + 1))) continue;
      if (piece.trim()) out.push(piece.trim());
      from = end;
    }
    const rest = line.slice(from).trim();
    if (rest) out.push(rest);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where `sentence` occurs in `raw` at or after `from`: exactly, else with any run of white space
 * matching any other. Returns [start, end) or null.
 */
export function locate(raw: string, sentence: string, from = 0): [number, number] | null {
  let i = raw.indexOf(sentence, from);
  if (i < 0 && from > 0) i = raw.indexOf(sentence);
  if (i >= 0) return [i, i + sentence.length];
  const parts = sentence.split(/\s+/).filter(Boolean);
  if (!parts.length || sentence.length > 2000) return null;
  const re = new RegExp(parts.map(escapeRegExp).join('\\s+'), 'g');
  re.lastIndex = from;
  let m = re.exec(raw);
  if (!m && from > 0) {
    re.lastIndex = 0;
    m = re.exec(raw);
  }
  return m ? [m.index, m.index + m[0].length] : null;
}

/** Sentences of all sources, in order. Subjects are one sentence and are not cleaned beyond trimming. */
export function ticketSentences(sources: readonly SourceText[]): Sentence[] {
  const out: Sentence[] = [];
  sources.forEach((src, si) => {
    if (src.kind === 'subject') {
      const text = src.raw.trim();
      if (!text) return;
      const start = src.raw.indexOf(text);
      out.push({ source: si, order: out.length, text, form: cueForm(text), start, end: start + text.length });
      return;
    }
    const cleaned = cleanText(src.raw);
    if (!cleaned) return;
    let cursor = 0;
    for (const text of splitSentences(cleaned)) {
      const at = locate(src.raw, text, cursor);
      if (at) cursor = at[1];
      out.push({
        source: si,
        order: out.length,
        text,
        form: cueForm(text),
        start: at ? at[0] : -1,
        end: at ? at[1] : -1,
      });
    }
  });
  return out;
}

/**
 * A verbatim excerpt of at most `max` characters from `raw[start, end)`, cut on word boundaries and
 * centred on `focus` (an offset inside the span) when the span is longer. Returns '' when the span is empty.
 */
export function verbatimExcerpt(raw: string, start: number, end: number, max: number, focus = start): string {
  if (start < 0 || end <= start) return '';
  let a = start;
  let b = end;
  if (b - a > max) {
    a = Math.max(start, Math.min(focus - Math.floor(max / 4), end - max));
    b = Math.min(end, a + max);
    // Move inwards to word boundaries.
    if (a > start) {
      const sp = raw.slice(a, b).search(/\s/);
      if (sp >= 0 && sp < 40) a += sp + 1;
    }
    if (b < end) {
      const chunk = raw.slice(a, b);
      const sp = Math.max(chunk.lastIndexOf(' '), chunk.lastIndexOf('\n'));
      if (sp > chunk.length - 40) b = a + sp;
    }
  }
  let s = raw.slice(a, b);
  // Trim white space and dangling punctuation at the edges (still a substring).
  const lead = s.length - s.replace(/^[\s,;:-]+/, '').length;
  s = s.slice(lead).replace(/[\s,;:-]+$/, '');
  return s;
}
