/**
 * TextModel: an incrementally fitted vocabulary + document-frequency model that turns texts into
 * TF-IDF-weighted, L2-normalised sparse vectors.
 *
 * Incremental by construction: it keeps raw document frequencies and the document count; IDF is
 * computed from the current counts when a text is vectorised. Adding documents never renumbers
 * terms (ids are append-only), so vectors computed earlier stay valid and comparable.
 */
import { SparseVector, fromEntries, normalize } from './sparse';
import { TermOptions, termCounts } from './tokenize';

export interface TextDocument {
  subject?: string | null;
  body?: string | null;
}

export interface TextModelOptions {
  /** Bigram phrases. Default true. */
  bigrams?: boolean;
  /** Weight multiplier of bigram terms. Default 1. */
  bigramWeight?: number;
  /** Character n-gram length (0 = off). Default 0. */
  charNgrams?: number;
  /** Weight multiplier of character n-gram terms. Default 0.3. */
  charNgramWeight?: number;
  /** How much more a subject occurrence counts than a body occurrence. Default 2. */
  subjectWeight?: number;
  /** tf → 1 + ln(tf) (sublinear) instead of raw tf. Default true. */
  sublinearTf?: boolean;
  /**
   * Terms seen in fewer documents are ignored when vectorising. 1 keeps everything (retrieval);
   * 2–3 suits topic clustering, where a word seen once cannot group anything. Default 1.
   */
  minDf?: number;
  /** Terms in more than this fraction of documents are ignored (needs ≥ 20 docs). Default 1 (off). */
  maxDfRatio?: number;
}

/**
 * Document frequencies from elsewhere (e.g. a model fitted on a sample of the whole collection) that
 * `vectorize` can add to its own: a small model fitted on a few documents then weighs terms as the
 * collection does. A `TextModel` is one.
 */
export interface TermStatistics {
  readonly documentCount: number;
  documentFrequency(term: string): number;
}

export interface TextModelState {
  version: 1;
  options: Required<TextModelOptions>;
  documents: number;
  /** [term, df] in id order. */
  terms: Array<[string, number]>;
}

const DEFAULTS: Required<TextModelOptions> = {
  bigrams: true,
  bigramWeight: 1,
  charNgrams: 0,
  charNgramWeight: 0.3,
  subjectWeight: 2,
  sublinearTf: true,
  minDf: 1,
  maxDfRatio: 1,
};

export class TextModel {
  readonly options: Required<TextModelOptions>;
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private readonly df: number[] = [];
  private docs = 0;

  constructor(options: TextModelOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  get documentCount(): number {
    return this.docs;
  }

  get vocabularySize(): number {
    return this.termList.length;
  }

  /** Term string of an id (for labels, debugging, serialisation). */
  term(id: number): string {
    return this.termList[id];
  }

  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.df[id];
  }

  /** Smoothed BM25-style IDF of a document frequency under the current document count. */
  idf(df: number): number {
    const n = this.docs;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Weighted raw term counts of a document (subject counts `subjectWeight` times). */
  counts(doc: TextDocument | string): Map<string, number> {
    const d = typeof doc === 'string' ? { body: doc } : doc;
    const opts: TermOptions = { bigrams: this.options.bigrams, charNgrams: this.options.charNgrams };
    const out = termCounts(d.body ?? '', opts);
    if (d.subject) {
      for (const [t, c] of termCounts(d.subject, opts)) out.set(t, (out.get(t) ?? 0) + c * this.options.subjectWeight);
    }
    return out;
  }

  /** Absorb documents into the document-frequency statistics. Order does not matter. */
  addDocuments(docs: Iterable<TextDocument | string>): void {
    for (const doc of docs) {
      this.docs++;
      for (const t of this.counts(doc).keys()) {
        let id = this.termIds.get(t);
        if (id === undefined) {
          id = this.termList.length;
          this.termIds.set(t, id);
          this.termList.push(t);
          this.df.push(0);
        }
        this.df[id]++;
      }
    }
  }

  private termWeight(term: string): number {
    if (term.startsWith('#')) return this.options.charNgramWeight;
    if (term.includes('_')) return this.options.bigramWeight;
    return 1;
  }

  /**
   * TF-IDF vector of a text under the current statistics, L2-normalised. Terms the model has never
   * seen (or seen in fewer than `minDf` documents) are dropped: they cannot match anything indexed.
   * With `background`, document frequencies and the document count are this model's plus the
   * background's (term ids stay this model's).
   */
  vectorize(doc: TextDocument | string, background?: TermStatistics): SparseVector {
    const { minDf, maxDfRatio, sublinearTf } = this.options;
    const n = this.docs + (background?.documentCount ?? 0);
    const maxDf = n >= 20 && maxDfRatio < 1 ? maxDfRatio * n : Infinity;
    const entries: Array<[number, number]> = [];
    for (const [t, c] of this.counts(doc)) {
      const id = this.termIds.get(t);
      if (id === undefined) continue;
      const df = this.df[id] + (background ? background.documentFrequency(t) : 0);
      if (df < minDf || df > maxDf) continue;
      const tf = sublinearTf ? 1 + Math.log(c) : c;
      const idf = background ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : this.idf(df);
      entries.push([id, tf * idf * this.termWeight(t)]);
    }
    return normalize(fromEntries(entries));
  }

  snapshot(): TextModelState {
    return {
      version: 1,
      options: { ...this.options },
      documents: this.docs,
      terms: this.termList.map((t, i) => [t, this.df[i]]),
    };
  }

  static restore(state: TextModelState): TextModel {
    if (state.version !== 1) throw new Error(`unsupported TextModel state version ${String(state.version)}`);
    const m = new TextModel(state.options);
    m.docs = state.documents;
    for (const [t, df] of state.terms) {
      m.termIds.set(t, m.termList.length);
      m.termList.push(t);
      m.df.push(df);
    }
    return m;
  }
}
