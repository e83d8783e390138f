/**
 * Frustration: a 0–1 score of how upset a customer's text reads, from a small hand-written lexicon (no model,
 * no data set at run time). Pure and deterministic.
 *
 * Each word of the lexicon carries a valence (negative = frustration, positive = satisfaction); `*` at the end of
 * an entry matches any word it starts ("frustrat*" → frustrated, frustrating). A negator within the three words
 * before flips and damps a word ("not good" counts as mildly negative, "not bad" as mildly positive); an
 * intensifier just before multiplies it. Shouting adds a little: "!!", "?!" and words in capitals. The sum is
 * squashed to 0–1 by a logistic: 0.5 is neutral text, above 0.5 frustrated.
 */

// prettier-ignore
const NEGATIVE: Record<string, number> = {
  // anger and frustration itself
  'frustrat*': -3, 'annoy*': -2.5, 'angry': -3, 'anger*': -3, 'furious': -4, 'livid': -4, 'outrag*': -3.5,
  'irritat*': -2.5, 'upset': -2.5, 'fed': -1, 'sick': -1.5, 'tired': -1, 'disappoint*': -2.5, 'unhappy': -2.5,
  'ridiculous': -3, 'absurd': -2.5, 'unacceptable': -3.5, 'inexcusable': -3.5, 'outrageous': -3.5,
  'disgust*': -3.5, 'hate*': -3, 'horribl*': -3, 'terribl*': -3, 'awful': -3, 'worst': -3.5, 'worse': -2.5,
  'pathetic': -3, 'useless': -3, 'worthless': -3, 'garbage': -3, 'junk': -2.5, 'crap*': -3, 'sucks': -3,
  'suck': -2.5, 'lousy': -2.5, 'poor*': -2, 'bad': -2, 'badly': -2, 'mediocre': -1.5, 'disaster*': -3,
  'nightmare': -3, 'joke': -1.5, 'shame*': -2, 'embarrass*': -2, 'insult*': -2.5, 'rude': -2.5,
  'incompetent': -3, 'unprofessional': -3, 'scam*': -3.5, 'ripoff': -3, 'waste*': -2.5, 'wasting': -2.5,
  'regret*': -2, 'unbearabl*': -3, 'intolerabl*': -3, 'unreliabl*': -2.5, 'unusabl*': -3, 'unstable': -2,
  'stupid': -2.5, 'dumb': -2, 'idiot*': -3, 'damn*': -2, 'wtf': -3, 'seriously': -1, 'fail*': -2,
  'broken': -2, 'broke': -1.5, 'crash*': -1.5, 'bug*': -1, 'buggy': -2, 'glitch*': -1.5, 'error*': -1,
  'problem*': -1, 'issue': -0.5, 'wrong': -1.5, 'lost': -1.5, 'lose': -1.5, 'losing': -1.5, 'stuck': -1.5,
  'slow': -1.5, 'sluggish': -2, 'freez*': -1.5, 'hang*': -0.5, 'impossibl*': -2, 'unable': -1,
  'confus*': -1.5, 'complain*': -2, 'cancel*': -1.5, 'refund*': -1.5, 'escalat*': -2, 'unanswered': -2,
  'ignor*': -2, 'nobody': -1.5, 'again': -0.5, 'still': -0.5, 'yet': -0.3, 'repeated*': -1.5,
  'countless': -1.5, 'forever': -1, 'weeks': -0.5, 'months': -0.5, 'urgent*': -1.5, 'asap': -1.5,
  'critical': -1, 'blocked': -1.5, 'blocking': -1.5, 'unfortunately': -1.5, 'sadly': -1.5, 'sad': -2,
  'sorry': -0.5, 'avoid': -2, 'beware': -2.5, 'weak': -1.5, 'cheap*': -1, 'flimsy': -2, 'defect*': -2,
  'fault*': -1.5, 'mess': -2, 'messed': -2, 'boring': -2, 'bored': -2, 'dull': -1.5, 'bland': -1.5,
  'tasteless': -2, 'stale': -2, 'cold': -0.5, 'dirty': -2, 'gross': -2.5, 'overpriced': -2.5, 'lame': -2,
  'unfunny': -2, 'stinks': -2.5, 'painful': -2, 'pain': -1.5, 'hassle': -2, 'tedious': -2, 'clunky': -1.5,
  'awkward': -1.5, 'uncomfortable': -2, 'difficult': -1, 'hard': -0.5, 'never': -1, 'nothing': -0.5,
  'wasted': -2.5, 'returned': -1, 'return': -0.5, 'dissatisf*': -3, 'unsatisf*': -2.5, 'negative': -1.5,
  'dead': -1.5, 'died': -1.5, 'inaccurat*': -1.5, 'incorrect*': -1.5, 'misleading': -2, 'lie*': -2,
  'lying': -2.5, 'unresponsive': -2, 'ugh': -2.5, 'argh': -2.5, 'sigh': -1.5,
};

// prettier-ignore
const POSITIVE: Record<string, number> = {
  'good': 2, 'great': 3, 'excellent': 3.5, 'amazing': 3.5, 'awesome': 3.5, 'fantastic': 3.5, 'wonderful': 3.5,
  'perfect*': 3, 'love*': 3, 'loving': 3, 'like': 1, 'liked': 1.5, 'enjoy*': 2.5, 'nice': 2, 'happy': 2.5,
  'pleased': 2.5, 'glad': 2, 'satisf*': 2, 'impress*': 2.5, 'recommend*': 2, 'best': 3, 'better': 1.5,
  'fine': 1, 'works': 1, 'worked': 1, 'working': 0.5, 'easy': 1.5, 'easily': 1.5, 'simple': 1, 'fast': 1.5,
  'quick*': 1.5, 'helpful': 2.5, 'friendly': 2, 'thank*': 1.5, 'thx': 1, 'appreciat*': 2, 'solid': 1.5,
  'reliabl*': 2, 'beautiful*': 3, 'brilliant': 3.5, 'superb': 3.5, 'outstanding': 3.5, 'delicious': 3,
  'tasty': 2.5, 'fresh': 1.5, 'clean': 1, 'comfortable': 2, 'worth': 1.5, 'value': 1, 'favorite': 2.5,
  'favourite': 2.5, 'fun': 2, 'funny': 1.5, 'cool': 1.5, 'incredibl*': 3, 'wow': 2.5, 'delight*': 3,
  'pleasant*': 2, 'attentive': 2, 'well': 0.5, 'sturdy': 2, 'resolved': 1.5, 'fixed': 1, 'smooth*': 1.5,
  'terrific': 3.5, 'superior': 2, 'yummy': 3, 'cute': 2, 'masterpiece': 3.5, 'gem': 2.5, 'classic': 1.5,
  'enjoyable': 2.5, 'entertaining': 2.5, 'touching': 2, 'beautifully': 3, 'wonderfully': 3, 'highly': 1,
};

// prettier-ignore
const NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot',
  "can't", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "couldn't",
  "wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", 'cant', 'wont', 'dont', 'doesnt', 'didnt', 'isnt',
  'wasnt', 'couldnt', 'wouldnt',
]);

// prettier-ignore
const INTENSIFIERS: Record<string, number> = {
  very: 1.5, so: 1.4, really: 1.4, extremely: 1.8, incredibly: 1.7, totally: 1.5, completely: 1.6,
  absolutely: 1.7, utterly: 1.8, super: 1.4, too: 1.3, most: 1.4, highly: 1.4, truly: 1.4, seriously: 1.4,
};

interface Lexicon {
  exact: Map<string, number>;
  prefixes: Array<[string, number]>;
}

function buildLexicon(): Lexicon {
  const exact = new Map<string, number>();
  const prefixes: Array<[string, number]> = [];
  for (const [word, valence] of [...Object.entries(NEGATIVE), ...Object.entries(POSITIVE)]) {
    if (word.endsWith('*')) prefixes.push([word.slice(0, -1), valence]);
    else exact.set(word, valence);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return { exact, prefixes };
}

const LEXICON = buildLexicon();

/** The valence of one lower-case word, 0 when the lexicon does not know it. */
export function wordValence(word: string): number {
  const hit = LEXICON.exact.get(word);
  if (hit !== undefined) return hit;
  for (const [prefix, valence] of LEXICON.prefixes) if (word.startsWith(prefix)) return valence;
  return 0;
}

export interface FrustrationResult {
  /** 0–1: 0.5 neutral, above frustrated, below satisfied. */
  score: number;
  /** The raw sum of valences (negative = frustrated), before squashing and length normalisation. */
  valence: number;
  /** The lexicon words that counted, in order. */
  cues: string[];
}

const WORD = /[A-Za-z][A-Za-z']*/g;
/** How many words back a negator reaches. */
const NEGATION_WINDOW = 3;
/** Steepness of the logistic: a valence of −3 (one "ridiculous") gives ≈ 0.82. */
const STEEPNESS = 0.5;

/**
 * Scores a text. Valences are summed with negation and intensifiers, shouting adds to the frustration side, and
 * the sum is divided by √(words/10) for texts longer than ten words so a long, calm ticket is not frustrated
 * merely by mentioning many problems.
 */
export function frustrationScore(text: string): FrustrationResult {
  const raw = text.match(WORD) ?? [];
  const words = raw.map((w) => w.toLowerCase().replace(/'s$/, ''));
  let valence = 0;
  const cues: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let v = wordValence(words[i]);
    if (v === 0 || INTENSIFIERS[words[i]] !== undefined) continue;
    const before = words.slice(Math.max(0, i - NEGATION_WINDOW), i);
    if (before.some((w) => NEGATORS.has(w))) v = -v * 0.6;
    const intensity = i > 0 ? INTENSIFIERS[words[i - 1]] : undefined;
    if (intensity) v *= intensity;
    if (raw[i].length > 2 && raw[i] === raw[i].toUpperCase()) v *= 1.5;
    valence += v;
    cues.push(words[i]);
  }
  valence -= shouting(text, raw);
  const scaled = words.length > 10 ? valence / Math.sqrt(words.length / 10) : valence;
  const score = 1 / (1 + Math.exp(STEEPNESS * scaled));
  return { score: Math.round(score * 1000) / 1000, valence: Math.round(valence * 100) / 100, cues };
}

/** Repeated "!" or "?!", and whole words in capitals (not acronyms of two letters), each add a little. */
function shouting(text: string, words: string[]): number {
  const bangs = (text.match(/[!?]*![!?]+/g) ?? []).length;
  const capitals = words.filter((w) => w.length > 3 && w === w.toUpperCase()).length;
  return Math.min(3, bangs * 1 + capitals * 0.5);
}
