/**
 * TermAssociations: corpus co-occurrence statistics used to smooth sparse vectors ("car" and
 * "automobile" both co-occur with "insurance quote", so a text about one partly matches the other).
 * Association of two terms = cosine of their document-occurrence sets: c(a,b) / √(df(a)·df(b)),
 * counted only when c(a,b) ≥ `minCount`. Incremental: `observe()` new documents any time; only the
 * `maxTermsPerDoc` strongest terms of a document are paired, so cost and memory stay bounded.
 * Deterministic: neighbour lists are ordered by association, then term id.
 */
import { SparseVector, fromEntries, normalize } from './sparse';

export interface AssociationOptions {
  /** Strongest terms of a document that are paired. Default 24. */
  maxTermsPerDoc?: number;
  /** Minimum co-occurrence count for an association. Default 2. */
  minCount?: number;
  /** Associated terms added per term of a vector. Default 5. */
  neighbours?: number;
  /** Weight of the added mass relative to the original vector. Default 0.3. */
  weight?: number;
  /** Minimum association to be used. Default 0.1. */
  minAssociation?: number;
  /** Only these term ids take part (e.g. unigrams). Default: all. */
  accept?: (termId: number) => boolean;
}

const PAIR = 2 ** 26;

export class TermAssociations {
  private readonly opts: Required<AssociationOptions>;
  private readonly pairs = new Map<number, number>();
  private readonly df = new Map<number, number>();
  private cache = new Map<number, Array<[number, number]>>();

  constructor(options: AssociationOptions = {}) {
    this.opts = {
      maxTermsPerDoc: 24,
      minCount: 2,
      neighbours: 5,
      weight: 0.3,
      minAssociation: 0.1,
      accept: () => true,
      ...options,
    };
  }

  /** Count the co-occurrences of a document's strongest terms. */
  observe(v: SparseVector): void {
    const idx = Array.from(v.ids.keys())
      .filter((i) => this.opts.accept(v.ids[i]))
      .sort((a, b) => v.weights[b] - v.weights[a] || v.ids[a] - v.ids[b])
      .slice(0, this.opts.maxTermsPerDoc)
      .map((i) => v.ids[i])
      .sort((a, b) => a - b);
    for (let i = 0; i < idx.length; i++) {
      this.df.set(idx[i], (this.df.get(idx[i]) ?? 0) + 1);
      for (let j = i + 1; j < idx.length; j++) {
        const key = idx[i] * PAIR + idx[j];
        this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
      }
    }
    this.cache = new Map();
  }

  /** The strongest associated terms of a term: [termId, association]. */
  neighbours(term: number): Array<[number, number]> {
    let list = this.cache.get(term);
    if (list) return list;
    if (this.cache.size === 0) this.buildAll();
    list = this.cache.get(term) ?? [];
    return list;
  }

  private buildAll(): void {
    const all = new Map<number, Array<[number, number]>>();
    const { minCount, minAssociation, neighbours } = this.opts;
    const push = (a: number, b: number, s: number) => {
      let l = all.get(a);
      if (!l) all.set(a, (l = []));
      l.push([b, s]);
    };
    for (const [key, c] of this.pairs) {
      if (c < minCount) continue;
      const a = Math.floor(key / PAIR);
      const b = key - a * PAIR;
      const s = c / Math.sqrt((this.df.get(a) as number) * (this.df.get(b) as number));
      if (s < minAssociation) continue;
      push(a, b, s);
      push(b, a, s);
    }
    for (const [t, l] of all) {
      l.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      this.cache.set(t, l.slice(0, neighbours));
    }
    if (this.cache.size === 0) this.cache.set(-1, []);
  }

  /** v + weight · (Σ_t v_t · Σ_u assoc(t,u) e_u), normalised. */
  expand(v: SparseVector): SparseVector {
    const acc = new Map<number, number>();
    for (let i = 0; i < v.ids.length; i++) acc.set(v.ids[i], v.weights[i]);
    const extra = new Map<number, number>();
    let extraNorm = 0;
    for (let i = 0; i < v.ids.length; i++) {
      for (const [u, s] of this.neighbours(v.ids[i])) extra.set(u, (extra.get(u) ?? 0) + v.weights[i] * s);
    }
    for (const w of extra.values()) extraNorm += w * w;
    extraNorm = Math.sqrt(extraNorm);
    if (extraNorm === 0) return v;
    const scale = this.opts.weight / extraNorm;
    for (const [u, w] of [...extra.entries()].sort((a, b) => a[0] - b[0])) acc.set(u, (acc.get(u) ?? 0) + w * scale);
    return normalize(fromEntries(acc));
  }
}
