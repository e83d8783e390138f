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
/** True when the line ends a sentence (`.`/`!`/`?`/`:`/`;`, then closing quotes or brackets, then white space). */
function endsSentence(line: string): boolean {
  // A scan from the end: the pattern it replaces searched the whole, ever longer joined line at every line.
  let i = line.trimEnd().length - 1;
  while (i >= 0 && `"')]`.includes(line[i]!)) i--;
  return i >= 0 && '.!?:;'.includes(line[i]!);
}

function unwrap(text: string): string[] {
  // Joined lines are kept as pieces and joined once: re-reading an ever longer joined line at every line was
  // quadratic on 200 KB of one-letter lines.
  const out: string[][] = [];
  let prevLength = 0;
  let prevHasText = false;
  let prevEnds = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (
      out.length &&
      prevHasText &&
      trimmed &&
      !prevEnds &&
      !/^\s*(?:[-*•>]|\d+[.)])\s/.test(line) &&
      (/^\s*[a-z]/.test(line) || prevLength >= 50)
    ) {
      out[out.length - 1]!.push(' ', trimmed);
      prevLength += 1 + trimmed.length;
    } else {
      out.push([line]);
      prevLength = line.length;
      prevHasText = trimmed !== '';
    }
    if (trimmed) prevEnds = endsSentence(trimmed);
    else if (!prevHasText) prevEnds = false;
  }
  return out.map((parts) => parts.join(''));
}

/** Split cleaned text into sentences: line breaks (after unwrapping), then `.`/`!`/`?` followed by white space. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of unwrap(text)) {
    // Only at the start of a run of end marks: a 200 KB run of `?!` is then one pass, not one per character.
    const re = /(?<![.!?])[.!?]+["')\]]*(?=\s+\S)/g;
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

/**
 * A text with every run of white space folded to one space, and where each folded character came from: finding
 * a sentence "up to white space" is then one native `indexOf` instead of a regular expression per sentence.
 */
export class FoldedText {
  readonly folded: string;
  private readonly origin: Int32Array;

  constructor(readonly raw: string) {
    const origin = new Int32Array(raw.length + 1);
    const parts: string[] = [];
    let n = 0;
    let i = 0;
    const space = /\s+/g;
    let m: RegExpExecArray | null;
    while ((m = space.exec(raw)) !== null) {
      parts.push(raw.slice(i, m.index), ' ');
      for (let k = i; k < m.index; k++) origin[n++] = k;
      origin[n++] = m.index;
      i = space.lastIndex;
    }
    parts.push(raw.slice(i));
    for (let k = i; k < raw.length; k++) origin[n++] = k;
    origin[n] = raw.length;
    this.folded = parts.join('');
    this.origin = origin;
  }

  /** [start, end) in `raw` of `sentence` (white space folded) at or after raw offset `from`, else anywhere. */
  find(sentence: string, from = 0): [number, number] | null {
    const needle = sentence.replace(/\s+/g, ' ').trim();
    if (!needle) return null;
    let at = this.folded.indexOf(needle, this.foldedOffset(from));
    if (at < 0 && from > 0) at = this.folded.indexOf(needle);
    if (at < 0) return null;
    // The end is the raw offset after the last character of the match (a folded space ends where its run ends).
    const last = at + needle.length - 1;
    return [this.origin[at]!, this.origin[last]! + 1];
  }

  private foldedOffset(raw: number): number {
    let lo = 0;
    let hi = this.folded.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.origin[mid]! < raw) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Where `sentence` occurs in `raw` at or after `from`: exactly, else with any run of white space
 * matching any other. Returns [start, end) or null. Pass a `FoldedText` of `raw` when locating many sentences.
 */
export function locate(raw: string, sentence: string, from = 0, folded?: FoldedText): [number, number] | null {
  let i = raw.indexOf(sentence, from);
  if (i < 0 && from > 0) i = raw.indexOf(sentence);
  if (i >= 0) return [i, i + sentence.length];
  if (!sentence.trim() || sentence.length > 2000) return null;
  return (folded ?? new FoldedText(raw)).find(sentence, from);
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
    let folded: FoldedText | undefined;
    for (const text of splitSentences(cleaned)) {
      const at = locate(src.raw, text, cursor, (folded ??= new FoldedText(src.raw)));
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
  [a, b] = wholeCharacters(raw, a, b);
  let s = raw.slice(a, b);
  // Trim white space and dangling punctuation at the edges (still a substring).
  const lead = s.length - s.replace(/^[\s,;:-]+/, '').length;
  s = s.slice(lead).replace(/[\s,;:-]+$/, '');
  return s;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * `[start, end)` widened so that it splits no surrogate pair (an emoji): half of one is not text, and PostgreSQL
 * refuses it in JSON. Every span cut from ticket text for storage goes through this.
 */
export function wholeCharacters(text: string, start: number, end: number): [number, number] {
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end++;
  return [start, end];
}
