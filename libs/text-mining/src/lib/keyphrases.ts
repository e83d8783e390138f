/**
 * Keyphrase extraction and cluster labels. Candidates are runs of 1–3 adjacent content words inside
 * one clause (stop words and punctuation break a run). A candidate's score is the number of texts
 * containing it × its specificity (mean IDF of its words under a background model when given,
 * otherwise under the texts themselves) × a small bonus for longer phrases. Shown in the most
 * frequent surface form. Deterministic: ties break on the phrase text.
 */
import { TextModel } from './text-model';
import { defaultStopwordSet, normalise, stemWord, tokenizeClauses } from './tokenize';

export interface Keyphrase {
  /** Display form, e.g. "file a claim" → "file claim" (most frequent surface form of the stems). */
  phrase: string;
  /** Stems joined by a space: the identity of the phrase. */
  key: string;
  /** Number of texts containing the phrase. */
  count: number;
  score: number;
}

export interface KeyphraseOptions {
  /** Background statistics (e.g. the TextModel of all tickets) so generic words score low. */
  background?: TextModel;
  /** Longest phrase, in words. Default 3. */
  maxWords?: number;
  /** Minimum number of texts containing a phrase (default: 2 when there are ≥ 3 texts, else 1). */
  minCount?: number;
}

export function extractKeyphrases(texts: readonly string[], k = 5, options: KeyphraseOptions = {}): Keyphrase[] {
  const maxWords = options.maxWords ?? 3;
  const minCount = options.minCount ?? (texts.length >= 3 ? 2 : 1);
  const docCount = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  const unigramDf = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    const seenStem = new Set<string>();
    for (const clause of tokenizeClauses(text)) {
      for (let i = 0; i < clause.length; i++) {
        seenStem.add(clause[i].stem);
        for (let n = 1; n <= maxWords && i + n <= clause.length; n++) {
          const run = clause.slice(i, i + n);
          const stems = run.map((t) => t.stem);
          if (new Set(stems).size < n) break;
          const key = stems.join(' ');
          const surface = run.map((t) => t.surface).join(' ');
          let sm = surfaces.get(key);
          if (!sm) surfaces.set(key, (sm = new Map()));
          sm.set(surface, (sm.get(surface) ?? 0) + 1);
          if (!seen.has(key)) {
            seen.add(key);
            docCount.set(key, (docCount.get(key) ?? 0) + 1);
          }
        }
      }
    }
    for (const s of seenStem) unigramDf.set(s, (unigramDf.get(s) ?? 0) + 1);
  }
  const bg = options.background;
  const idf = (stem: string): number => {
    if (bg && bg.documentCount > 0) return bg.idf(Math.max(bg.documentFrequency(stem), 1));
    const n = texts.length;
    return Math.log(1 + (n + 1) / ((unigramDf.get(stem) ?? 0) + 0.5));
  };
  const candidates: Keyphrase[] = [];
  for (const [key, count] of docCount) {
    if (count < minCount) continue;
    const stems = key.split(' ');
    const specificity = stems.reduce((s, t) => s + idf(t), 0) / stems.length;
    const score = count * specificity * (1 + 0.25 * (stems.length - 1));
    const sm = surfaces.get(key) as Map<string, number>;
    const phrase = [...sm.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    candidates.push({ phrase, key, count, score: Math.round(score * 1e6) / 1e6 });
  }
  candidates.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const chosen: Keyphrase[] = [];
  for (const c of candidates) {
    if (chosen.length >= k) break;
    const words = new Set(c.key.split(' '));
    // Skip a phrase whose words are all inside (or all contain) a chosen one: no "claim" next to "file claim".
    const redundant = chosen.some((x) => {
      const xw = x.key.split(' ');
      return xw.every((w) => words.has(w)) || [...words].every((w) => xw.includes(w));
    });
    if (!redundant) chosen.push(c);
  }
  return chosen;
}

export interface ClusterLabel {
  label: string;
  keyphrases: Keyphrase[];
  /**
   * A readable name: the shortest run of words in one of the texts that covers the most distinctive keyphrase words,
   * in the order people wrote them ("set an alarm for"), starting and ending on such a word; '' when none.
   */
  phrase: string;
}

/** Words of a clause in writing order, stop words kept (a phrase reads with them). */
function clauseWords(text: string): string[][] {
  return normalise(text)
    .split(/[.!?;:,()[\]{}"\n|/\\]+(?:\s|$)|[!?;()[\]{}"\n|\\]+|\s[-–—]+\s/)
    .map((c) => c.match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [])
    .filter((w) => w.length > 0);
}

/**
 * The name of a cluster as people write it: among the first `maxTexts` texts (most central first), the run of at
 * most `maxWords` words that starts and ends on a word of the top keyphrases and covers the most keyphrase weight
 * (a longer run must cover more); ties go to the run found in more texts, then the shorter, then the first met.
 */
export function namePhrase(
  texts: readonly string[],
  keyphrases: readonly Keyphrase[],
  options: { maxWords?: number; maxTexts?: number } = {},
): string {
  const maxWords = options.maxWords ?? 6;
  const weight = new Map<string, number>();
  for (const k of keyphrases.slice(0, 4))
    for (const stem of k.key.split(' ')) weight.set(stem, Math.max(weight.get(stem) ?? 0, k.score));
  if (!weight.size) return '';
  const top = Math.max(...weight.values());
  const stop = defaultStopwordSet();
  const runs = new Map<string, { score: number; length: number; texts: number; order: number }>();
  texts.slice(0, options.maxTexts ?? 12).forEach((text, t) => {
    const seen = new Set<string>();
    for (const words of clauseWords(text)) {
      const stems = words.map((w) => (stop.has(w) ? '' : stemWord(w)));
      for (let i = 0; i < words.length; i++) {
        if (!weight.has(stems[i]!)) continue;
        for (let j = i; j < Math.min(words.length, i + maxWords); j++) {
          if (!weight.has(stems[j]!)) continue;
          const covered = new Set(stems.slice(i, j + 1).filter((s) => weight.has(s)));
          const score = [...covered].reduce((a, s) => a + (weight.get(s) ?? 0), 0) - 0.1 * top * (j - i);
          const run = words.slice(i, j + 1).join(' ');
          const known = runs.get(run);
          if (!known) runs.set(run, { score, length: j - i + 1, texts: 1, order: t });
          else if (!seen.has(run)) known.texts++;
          seen.add(run);
        }
      }
    }
  });
  const best = [...runs.entries()].sort(
    ([a, x], [b, y]) =>
      y.score - x.score || y.texts - x.texts || x.length - y.length || x.order - y.order || (a < b ? -1 : 1),
  )[0];
  return best ? best[0].replace(/\bi\b/g, 'I') : '';
}

/**
 * A short human label for a cluster: its top keyphrases (up to `maxPhrases`) joined by " / ".
 * Falls back to the first words of the most central text (the first one given) when no phrase repeats.
 */
export function labelCluster(
  texts: readonly string[],
  options: KeyphraseOptions & { maxPhrases?: number } = {},
): ClusterLabel {
  const keyphrases = extractKeyphrases(texts, 5, options);
  const phrase = namePhrase(texts, keyphrases);
  const top = keyphrases.slice(0, options.maxPhrases ?? 2).map((k) => k.phrase);
  if (top.length) return { label: top.join(' / '), keyphrases, phrase };
  const first = (texts[0] ?? '').replace(/\s+/g, ' ').trim();
  const words = first.split(' ').slice(0, 8).join(' ');
  return { label: words || '(empty)', keyphrases, phrase };
}
