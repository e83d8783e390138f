import { PLACEHOLDERS } from '@app/llm/redaction/redactor';
import { wholeCharacters } from '@pim/text-mining';

const PLACEHOLDER_SET = new Set(Object.values(PLACEHOLDERS));
const PLACEHOLDER_SPLIT = /(\[(?:EMAIL|PHONE|CARD|IBAN|IP|URL)\])/;
/** What `\s` matches, by code unit. */
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  (c > 127 &&
    (c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000 ||
      c === 0xfeff));
const QUOTE_CLASSES = ["'‘’", '"“”'];

/** Shortest quote worth keeping. */
export const MIN_QUOTE_LENGTH = 8;
/** Longest quote checked (the tool schema allows 400): the matcher's work is source length × pattern size. */
export const MAX_QUOTE_LENGTH = 1000;
/** Most characters a placeholder stands for (a phone number may hold spaces). */
const MAX_PLACEHOLDER_VALUE = 80;
/**
 * Most thread steps one check may take (about 0.1 s). A normal ticket needs a few per character; only a quote that
 * almost matches a pathological text everywhere gets near it, and is then reported as not verbatim.
 */
const MAX_STEPS = 10_000_000;
/** More placeholders than this is not a quote of what a customer wrote. */
const MAX_PLACEHOLDERS = 8;

/**
 * The quote compiled to a pattern of states: a literal character (compared lower-cased; a quote character stands
 * for its class), a run of white space, or a placeholder's gap of 1–80 characters other than a line break.
 */
const CHAR = 0;
const SPACE = 1;
const GAP = 2;

interface Pattern {
  kind: Uint8Array;
  /** CHAR: the lower-cased code unit, or -1 with `quotes` holding its class. */
  code: Int32Array;
  quotes: (string | undefined)[];
  /** Literal pieces (lower-cased, quotes folded) that must all occur for a match: a cheap first filter. */
  pieces: string[];
}

const foldQuotes = (text: string) => text.replace(/['‘’]/g, "'").replace(/["“”]/g, '"');

function compile(tokens: string[]): Pattern {
  const kind: number[] = [];
  const code: number[] = [];
  const quotes: (string | undefined)[] = [];
  const pieces: string[] = [];
  const push = (k: number, c: number, q?: string) => (kind.push(k), code.push(c), quotes.push(q));
  tokens.forEach((token, t) => {
    if (t > 0) push(SPACE, 0);
    for (const part of token.split(PLACEHOLDER_SPLIT)) {
      if (!part) continue;
      if (PLACEHOLDER_SET.has(part)) {
        push(GAP, 0);
        continue;
      }
      pieces.push(foldQuotes(part.toLowerCase()));
      for (const ch of part) {
        const cls = QUOTE_CLASSES.find((c) => c.includes(ch));
        const lower = ch.toLowerCase();
        if (cls || lower.length !== 1) push(CHAR, -1, cls ?? lower);
        else push(CHAR, lower.charCodeAt(0));
      }
    }
  });
  return { kind: Uint8Array.from(kind), code: Int32Array.from(code), quotes, pieces };
}

/** Threads inside one gap: (entry position, start) with increasing starts, so the front is the earliest start. */
class GapThreads {
  private at: number[] = [];
  private start: number[] = [];
  private head = 0;
  get empty() {
    return this.head === this.at.length;
  }
  add(at: number, start: number) {
    while (!this.empty && this.start[this.start.length - 1]! >= start) {
      this.at.pop();
      this.start.pop();
    }
    this.at.push(at);
    this.start.push(start);
  }
  /** Earliest start of a thread that entered at `from` or later. */
  earliest(from: number): number {
    while (!this.empty && this.at[this.head]! < from) this.head++;
    if (this.empty) this.clear();
    return this.empty ? -1 : this.start[this.head]!;
  }
  clear() {
    this.at = [];
    this.start = [];
    this.head = 0;
  }
}

/**
 * A Thompson simulation of the quote pattern over `source`: one pass, at most one thread per pattern state (the
 * earliest start wins; a gap keeps its threads of the last 80 positions in a monotonic queue), so the work is
 * source length × pattern size whatever the text holds. The regular expression it replaces backtracked through
 * every placeholder's 80 lengths at every position: minutes on a 200 KB ticket. Returns the earliest-ending
 * occurrence (leftmost start among those), or null. Source code units are compared one by one (UTF-16).
 */
function scan(p: Pattern, source: string, lowerSource: string, budget: { steps: number }): [number, number] | null {
  const { kind, code: want, quotes } = p;
  const accept = kind.length;
  const gapStates = [...kind.keys()].filter((state) => kind[state] === GAP);
  const gaps: (GapThreads | undefined)[] = [];
  for (const state of gapStates) gaps[state] = new GapThreads();
  let starts = new Int32Array(accept + 1).fill(-1);
  let next = new Int32Array(accept + 1).fill(-1);
  let active = new Int32Array(accept + 1);
  let nextActive = new Int32Array(accept + 1);
  let count = 0;
  let nextCount = 0;
  const move = (to: number, start: number) => {
    const had = next[to]!;
    if (had === -1) nextActive[nextCount++] = to;
    if (had === -1 || start < had) next[to] = start;
  };
  const enter = (state: number, at: number, start: number) => {
    if (kind[state] === GAP) gaps[state]!.add(at, start);
    else if (starts[state] === -1 || start < starts[state]!) {
      if (starts[state] === -1) active[count++] = state;
      starts[state] = start;
    }
  };
  for (let i = 0; i < source.length; i++) {
    const code = lowerSource.charCodeAt(i);
    const space = isSpace(source.charCodeAt(i));
    enter(0, i, i);
    budget.steps -= count + gapStates.length;
    if (budget.steps < 0) return null;
    for (let a = 0; a < count; a++) {
      const state = active[a]!;
      const start = starts[state]!;
      if (kind[state] === CHAR) {
        const w = want[state]!;
        if (w >= 0 ? code === w : quotes[state]!.includes(source[i]!)) move(state + 1, start);
      } else if (space) {
        move(state, start);
        move(state + 1, start);
      }
    }
    for (let g = 0; g < gapStates.length; g++) {
      const state = gapStates[g]!;
      const threads = gaps[state]!;
      if (threads.empty) continue;
      if (code === 10) threads.clear();
      else {
        const start = threads.earliest(i - MAX_PLACEHOLDER_VALUE + 1);
        if (start >= 0) move(state + 1, start);
      }
    }
    if (next[accept] !== -1) return [next[accept]!, i + 1];
    for (let a = 0; a < count; a++) starts[active[a]!] = -1;
    [starts, next, active, nextActive] = [next, starts, nextActive, active];
    count = 0;
    const moved = nextCount;
    nextCount = 0;
    for (let a = 0; a < moved; a++) {
      const state = active[a]!;
      const start = starts[state]!;
      starts[state] = -1;
      enter(state, i + 1, start);
    }
  }
  return null;
}

/** The source lower-cased code unit by code unit (same length, so offsets stay those of the source). */
function lowerUnits(source: string): string {
  const lower = source.toLowerCase();
  if (lower.length === source.length) return lower;
  let out = '';
  for (const ch of source) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/**
 * Finds `quote` in the ticket's own text: whitespace-normalised, case-insensitive, typographic quotes equal to
 * straight ones, redaction placeholders matching the original values. Returns the ticket's own wording (the
 * stored quote is always a substring of a stored text) or null when the quote does not occur.
 */
export function findVerbatim(quote: string, sources: readonly string[]): string | null {
  if (quote.length > MAX_QUOTE_LENGTH) return null;
  const trimmed = quote
    .trim()
    .replace(/^["“”'‘’]+|["“”'‘’]+$/g, '')
    .trim();
  if (trimmed.length < MIN_QUOTE_LENGTH) return null;
  const tokens = trimmed.split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.every((t) => PLACEHOLDER_SET.has(t))) return null;
  if (trimmed.split(PLACEHOLDER_SPLIT).filter((p) => PLACEHOLDER_SET.has(p)).length > MAX_PLACEHOLDERS) return null;
  const pattern = compile(tokens);
  const budget = { steps: MAX_STEPS };
  for (const source of sources) {
    const lower = lowerUnits(source);
    const folded = foldQuotes(lower);
    if (!pattern.pieces.every((piece) => folded.includes(piece))) continue;
    const at = scan(pattern, source, lower, budget);
    if (at) return source.slice(...wholeCharacters(source, at[0], at[1]));
  }
  return null;
}
