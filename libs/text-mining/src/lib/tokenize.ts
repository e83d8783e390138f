// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient typings of two untyped CommonJS deps, needed by projects that compile this library from source
/// <reference path="./vendor.d.ts" />
/**
 * Tokenisation: lower-casing, accent folding, contraction handling, stop words, Porter2 stemming,
 * and "phrases" (bigrams of adjacent content words inside one clause). Pure and deterministic.
 */
import stem from 'wink-porter2-stemmer';
import { eng as ENGLISH_STOPWORDS } from 'stopword';

/**
 * Extra stop words for support text: pleasantries, greetings, filler, web/mail noise. Negations
 * ("not", "no", "never", "cannot") are deliberately NOT stop words: "can't log in" ≠ "can log in".
 */
export const SUPPORT_STOPWORDS: readonly string[] = [
  'hi',
  'hello',
  'hey',
  'hiya',
  'dear',
  'thanks',
  'thank',
  'thx',
  'please',
  'pls',
  'plz',
  'kindly',
  'regards',
  'cheers',
  'sincerely',
  'ok',
  'okay',
  'yes',
  'yeah',
  'yep',
  'um',
  'uh',
  'oh',
  'hmm',
  'well',
  'just',
  'also',
  'really',
  'actually',
  'basically',
  'maybe',
  'perhaps',
  'sure',
  'sorry',
  'excuse',
  'wondering',
  'wonder',
  'guys',
  'team',
  'sir',
  'madam',
  'mr',
  'mrs',
  'ms',
  'am',
  'pm',
  'i',
  'me',
  'my',
  'mine',
  'myself',
  'we',
  'us',
  'our',
  'you',
  'your',
  'yours',
  'he',
  'she',
  'it',
  'its',
  'they',
  'them',
  'their',
  'a',
  'an',
  'the',
  'and',
  'or',
  'but',
  'if',
  'so',
  'then',
  'than',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'with',
  'from',
  'into',
  'about',
  'as',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'being',
  'am',
  'do',
  'does',
  'did',
  'doing',
  'have',
  'has',
  'had',
  'having',
  'will',
  'would',
  'shall',
  'should',
  'can',
  'could',
  'may',
  'might',
  'must',
  'this',
  'that',
  'these',
  'those',
  'there',
  'here',
  'what',
  'which',
  'who',
  'whom',
  'when',
  'where',
  'why',
  'how',
  'any',
  'some',
  'all',
  'each',
  'etc',
  'eg',
  'ie',
  'via',
  'www',
  'http',
  'https',
  'com',
  'org',
  'net',
  'html',
  'htm',
  'll',
  've',
  're',
  'd',
  's',
  't',
  'm',
];

const NEGATIONS = new Set(['not', 'no', 'never', 'cannot', 'nor', 'none', 'nothing', 'without']);

export interface TokenizeOptions {
  /** Stop words (surface, lower case). Default: `stopword` English list + SUPPORT_STOPWORDS minus negations. */
  stopwords?: ReadonlySet<string>;
  /** Keep tokens that have no letter (pure numbers, versions). Default false. */
  keepNumbers?: boolean;
  /** Minimum token length after folding. Default 2. */
  minLength?: number;
}

export interface Token {
  /** Stemmed form: the unit of matching. */
  stem: string;
  /** Surface form (lower-cased, accent-folded), for display of keyphrases. */
  surface: string;
}

let defaultStopwords: ReadonlySet<string> | undefined;

export function defaultStopwordSet(): ReadonlySet<string> {
  if (!defaultStopwords) {
    const s = new Set<string>([...ENGLISH_STOPWORDS, ...SUPPORT_STOPWORDS].map((w) => w.toLowerCase()));
    for (const n of NEGATIONS) s.delete(n);
    defaultStopwords = s;
  }
  return defaultStopwords;
}

const STEM_CACHE = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** Longest word the stemmer sees: the Porter2 implementation is quadratic (12 s for a 20 KB run of letters). */
const MAX_STEM_LENGTH = 40;

/** Porter2 stem with a bounded memo (pure: the cache never changes a result). Longer "words" stay as they are. */
export function stemWord(word: string): string {
  let s = STEM_CACHE.get(word);
  if (s === undefined) {
    s = word.length <= MAX_STEM_LENGTH && /^[a-z]+$/.test(word) ? stem(word) : word;
    if (STEM_CACHE.size >= STEM_CACHE_MAX) STEM_CACHE.clear();
    STEM_CACHE.set(word, s);
  }
  return s;
}

/** Lower-case, fold accents, expand contractions ("can't" → "can not"), unify apostrophes. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/\bcan'?t\b/g, 'can not')
    .replace(/\bwon'?t\b/g, 'will not')
    .replace(/\b(\w+)n't\b/g, '$1 not')
    .replace(/'(s|m|re|ve|ll|d)\b/g, ' ');
}

/**
 * Split into clauses (punctuation / line breaks end a phrase), each a list of tokens with stop words
 * removed. Word tokens may contain inner `.`, `_`, `-`, `+` ("e-mail", "2.53.1", "c++" → "c++").
 */
export function tokenizeClauses(text: string, options: TokenizeOptions = {}): Token[][] {
  const stop = options.stopwords ?? defaultStopwordSet();
  const minLength = options.minLength ?? 2;
  const clauses: Token[][] = [];
  for (const clause of normalise(text).split(/[.!?;:,()[\]{}"\n|/\\]+(?:\s|$)|[!?;()[\]{}"\n|\\]+|\s[-–—]+\s/)) {
    const tokens: Token[] = [];
    const re = /[a-z0-9]+(?:[_+-][a-z0-9]+)*\+*/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(clause)) !== null) {
      let surface = m[0];
      if (surface.includes('-') && /^[a-z]+(-[a-z]+)+$/.test(surface)) surface = surface.replace(/-/g, '');
      if (surface.length < minLength && !NEGATIONS.has(surface)) continue;
      if (!options.keepNumbers && !/[a-z]/.test(surface)) continue;
      if (stop.has(surface)) continue;
      tokens.push({ stem: stemWord(surface), surface });
    }
    if (tokens.length) clauses.push(tokens);
  }
  return clauses;
}

/** Flat list of stems. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  return tokenizeClauses(text, options).flatMap((c) => c.map((t) => t.stem));
}

export interface TermOptions extends TokenizeOptions {
  /** Add bigrams of adjacent content words inside a clause ("file claim"). Default true. */
  bigrams?: boolean;
  /** Add character n-grams of this length for each word (typo robustness), 0 = off. Default 0. */
  charNgrams?: number;
}

/**
 * Terms of a text with their counts: unigram stems, `a_b` bigrams and `#abc` character n-grams.
 * Insertion order of the returned map is first occurrence (deterministic for a given text).
 */
export function termCounts(text: string, options: TermOptions = {}): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (t: string, n = 1) => counts.set(t, (counts.get(t) ?? 0) + n);
  const bigrams = options.bigrams ?? true;
  const cn = options.charNgrams ?? 0;
  for (const clause of tokenizeClauses(text, options)) {
    for (let i = 0; i < clause.length; i++) {
      const s = clause[i].stem;
      add(s);
      if (bigrams && i > 0 && clause[i - 1].stem !== s) add(`${clause[i - 1].stem}_${s}`);
      if (cn > 0) {
        const w = `<${clause[i].surface}>`;
        if (w.length > cn + 1) for (let j = 0; j + cn <= w.length; j++) add(`#${w.slice(j, j + cn)}`);
      }
    }
  }
  return counts;
}
