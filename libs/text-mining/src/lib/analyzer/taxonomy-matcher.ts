/**
 * Category / subcategory choice by BM25 between a weighted query (problem sentences, subject, tags) and
 * profiles built from the taxonomy's names, descriptions and keywords, stemmed by the library's tokenizer
 * (unigrams + bigrams).
 *
 * Two stages, so that a word shared by all subcategories of one category still identifies that category:
 * 1. category: one profile per category (its own text + all its subcategories' text), IDF over categories;
 * 2. subcategory: one profile per subcategory of the chosen category, IDF over those subcategories.
 * Ties break on taxonomy order.
 */
import { termCounts } from '../tokenize';
import { cueForm } from './cues';
import { AnalyzerTaxonomy } from './types';

export interface CategoryMatch {
  category: string;
  /** '' when the category has no subcategories. */
  subcategory: string;
  categoryIndex: number;
  subcategoryIndex: number;
  /** BM25 score of the category (0 = no query word occurs in any profile: the fallback was used). */
  score: number;
  /** Score of the runner-up category (for confidence). */
  runnerUp: number;
}

const W = {
  catName: 3,
  catDescription: 1,
  catKeyword: 2,
  subName: 2,
  subDescription: 0.7,
  subKeyword: 1.5,
  // Within stage 2, the subcategory's own text.
  ownName: 3,
  ownDescription: 1,
  ownKeyword: 2,
};

const K1 = 1.2;
const B = 0.5;
/** Bigrams match phrases ("csv export"): worth a little more than their words. */
const BIGRAM_BOOST = 1.5;

/** Stemmed terms (unigrams and bigrams) of a text after the analyzer's spelling unification, weighted. */
export function weightedTerms(
  text: string,
  weight: number,
  into: Map<string, number> = new Map(),
): Map<string, number> {
  if (!text || weight <= 0) return into;
  for (const [t, n] of termCounts(cueForm(text))) into.set(t, (into.get(t) ?? 0) + weight * n);
  return into;
}

/** A small BM25 index over weighted profiles. */
class Bm25 {
  private readonly lengths: number[];
  private readonly avg: number;
  private readonly idf = new Map<string, number>();

  constructor(private readonly profiles: ReadonlyArray<Map<string, number>>) {
    this.lengths = profiles.map((p) => [...p.values()].reduce((a, b) => a + b, 0));
    this.avg = this.lengths.length ? this.lengths.reduce((a, b) => a + b, 0) / this.lengths.length || 1 : 1;
    const df = new Map<string, number>();
    for (const p of profiles) for (const t of p.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    const n = profiles.length;
    for (const [t, d] of df) this.idf.set(t, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  }

  score(i: number, query: ReadonlyMap<string, number>): number {
    const p = this.profiles[i];
    const norm = K1 * (1 - B + (B * this.lengths[i]) / this.avg);
    let s = 0;
    for (const [t, qw] of query) {
      const tf = p.get(t);
      if (!tf) continue;
      const w = (this.idf.get(t) ?? 0) * ((tf * (K1 + 1)) / (tf + norm)) * (1 + Math.log(1 + qw));
      s += t.includes('_') ? w * BIGRAM_BOOST : w;
    }
    return Math.round(s * 1e9) / 1e9;
  }

  /** Index of the best profile and its score, plus the runner-up score; ties → lowest index. */
  best(
    query: ReadonlyMap<string, number>,
    only?: readonly number[],
  ): { index: number; score: number; runnerUp: number } {
    let index = -1;
    let score = 0;
    let runnerUp = 0;
    const ids = only ?? this.profiles.map((_, i) => i);
    for (const i of ids) {
      const s = this.score(i, query);
      if (s > score) {
        runnerUp = score;
        score = s;
        index = i;
      } else if (s > runnerUp) runnerUp = s;
    }
    return { index, score, runnerUp };
  }
}

const FALLBACK_NAME = /^(other|others|general|misc|miscellaneous|uncategori[sz]ed)\b/i;

export class TaxonomyMatcher {
  private readonly names: Array<{ category: string; subs: string[] }>;
  private readonly categories: Bm25;
  private readonly subs: Bm25[];
  private readonly fallbackCategory: number;
  private readonly fallbackSub: number[];

  constructor(taxonomy: AnalyzerTaxonomy) {
    this.names = taxonomy.categories.map((c) => ({ category: c.name, subs: c.subcategories.map((s) => s.name) }));
    const catProfiles = taxonomy.categories.map((cat) => {
      const p = new Map<string, number>();
      weightedTerms(cat.name, W.catName, p);
      weightedTerms(cat.description, W.catDescription, p);
      for (const k of cat.keywords ?? []) weightedTerms(k, W.catKeyword, p);
      for (const sub of cat.subcategories) {
        weightedTerms(sub.name, W.subName, p);
        weightedTerms(sub.description, W.subDescription, p);
        for (const k of sub.keywords ?? []) weightedTerms(k, W.subKeyword, p);
      }
      return p;
    });
    this.categories = new Bm25(catProfiles);
    this.subs = taxonomy.categories.map(
      (cat) =>
        new Bm25(
          cat.subcategories.map((sub) => {
            const p = new Map<string, number>();
            weightedTerms(sub.name, W.ownName, p);
            weightedTerms(sub.description, W.ownDescription, p);
            for (const k of sub.keywords ?? []) weightedTerms(k, W.ownKeyword, p);
            return p;
          }),
        ),
    );
    const fc = taxonomy.categories.findIndex((c) => FALLBACK_NAME.test(c.name));
    this.fallbackCategory = fc >= 0 ? fc : 0;
    this.fallbackSub = taxonomy.categories.map((c) =>
      Math.max(
        0,
        c.subcategories.findIndex((s) => FALLBACK_NAME.test(s.name)),
      ),
    );
  }

  get categoryCount(): number {
    return this.names.length;
  }

  /** BM25 score of one category for the query. */
  categoryScore(categoryIndex: number, query: ReadonlyMap<string, number>): number {
    return this.categories.score(categoryIndex, query);
  }

  /**
   * Best category and subcategory for the query. When no query word occurs in any category profile the
   * fallback is used: a category named Other/General/Misc when the taxonomy has one, else the first.
   * Null only for an empty taxonomy.
   */
  match(query: ReadonlyMap<string, number>): CategoryMatch | null {
    if (!this.names.length) return null;
    const cat = this.categories.best(query);
    const ci = cat.index >= 0 ? cat.index : this.fallbackCategory;
    const subNames = this.names[ci].subs;
    let si = -1;
    if (subNames.length) {
      const sub = this.subs[ci].best(query);
      si = sub.index >= 0 ? sub.index : this.fallbackSub[ci];
    }
    return {
      category: this.names[ci].category,
      subcategory: si >= 0 ? subNames[si] : '',
      categoryIndex: ci,
      subcategoryIndex: si,
      score: cat.index >= 0 ? cat.score : 0,
      runnerUp: cat.runnerUp,
    };
  }
}
