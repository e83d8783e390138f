/**
 * NeighbourIndex: top-k cosine search over L2-normalised sparse vectors using an inverted index
 * (term → postings), term-at-a-time accumulation with accumulator limiting ("continue" strategy),
 * so a query costs the length of the postings it touches, not the size of the collection.
 *
 * Deterministic: results are ordered by score (rounded to 1e-9) descending, then id ascending.
 * Supports add, upsert and remove (removal is lazy; postings are compacted when a third is dead).
 */
import { SparseVector, stableScore } from './sparse';

export interface Neighbour {
  id: string;
  score: number;
}

export interface QueryOptions {
  /** Ids to leave out (e.g. the query's own id). */
  exclude?: ReadonlySet<string> | ((id: string) => boolean);
  /** Only results with score ≥ this. Default 0 (exclusive: a zero score is never a neighbour). */
  minScore?: number;
}

export interface NeighbourIndexOptions {
  /**
   * Once this many candidates have a score, later (lower-weight) query terms only update existing
   * candidates instead of creating new ones. Bounds work for huge collections; exact below it.
   * Default 50,000.
   */
  maxCandidates?: number;
  /** Query terms whose weight is below this fraction of the largest query weight are skipped. Default 0. */
  minQueryWeightRatio?: number;
}

class Postings {
  docs: number[] = [];
  weights: number[] = [];
}

export class NeighbourIndex {
  private readonly postings = new Map<number, Postings>();
  private readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly vectors: Array<SparseVector | null> = [];
  private dead = 0;
  private acc = new Float64Array(0);
  private seen = new Uint32Array(0);
  private epoch = 0;
  private readonly maxCandidates: number;
  private readonly minQueryWeightRatio: number;

  constructor(options: NeighbourIndexOptions = {}) {
    this.maxCandidates = options.maxCandidates ?? 50_000;
    this.minQueryWeightRatio = options.minQueryWeightRatio ?? 0;
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get(id: string): SparseVector | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : (this.vectors[slot] ?? undefined);
  }

  /** Add a vector under a new id (throws if the id exists: use `upsert`). */
  add(id: string, vector: SparseVector): void {
    if (this.slotOf.has(id)) throw new Error(`id already indexed: ${id}`);
    const slot = this.ids.length;
    this.ids.push(id);
    this.vectors.push(vector);
    this.slotOf.set(id, slot);
    for (let i = 0; i < vector.ids.length; i++) {
      const t = vector.ids[i];
      let p = this.postings.get(t);
      if (!p) {
        p = new Postings();
        this.postings.set(t, p);
      }
      p.docs.push(slot);
      p.weights.push(vector.weights[i]);
    }
  }

  upsert(id: string, vector: SparseVector): void {
    this.remove(id);
    this.add(id, vector);
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.vectors[slot] = null;
    this.dead++;
    if (this.dead > 64 && this.dead * 3 > this.ids.length) this.compact();
    return true;
  }

  private compact(): void {
    const live = this.ids
      .map((id, slot) => [id, this.vectors[slot]] as const)
      .filter((e): e is readonly [string, SparseVector] => e[1] !== null);
    this.postings.clear();
    this.ids.length = 0;
    this.vectors.length = 0;
    this.slotOf.clear();
    this.dead = 0;
    for (const [id, v] of live) this.add(id, v);
  }

  /** The k most similar indexed vectors (cosine, as all vectors are unit length). */
  query(vector: SparseVector, k: number, options: QueryOptions = {}): Neighbour[] {
    if (k <= 0 || vector.ids.length === 0) return [];
    if (this.acc.length < this.ids.length) {
      const n = Math.max(this.ids.length, this.acc.length * 2);
      this.acc = new Float64Array(n);
      this.seen = new Uint32Array(n);
      this.epoch = 0;
    }
    const acc = this.acc;
    const seen = this.seen;
    const epoch = ++this.epoch;
    const touched: number[] = [];
    // Highest weight first, ties by term id: the accumulator limit then drops only weak evidence.
    const order = Array.from(vector.ids.keys()).sort(
      (a, b) => vector.weights[b] - vector.weights[a] || vector.ids[a] - vector.ids[b],
    );
    const maxW = vector.weights[order[0]];
    for (const qi of order) {
      const qw = vector.weights[qi];
      if (qw < maxW * this.minQueryWeightRatio) break;
      const p = this.postings.get(vector.ids[qi]);
      if (!p) continue;
      const open = touched.length < this.maxCandidates;
      const docs = p.docs;
      const ws = p.weights;
      for (let j = 0; j < docs.length; j++) {
        const d = docs[j];
        if (seen[d] !== epoch) {
          if (!open) continue;
          seen[d] = epoch;
          acc[d] = 0;
          touched.push(d);
        }
        acc[d] += qw * ws[j];
      }
    }
    const exclude = options.exclude;
    const isExcluded =
      exclude === undefined ? () => false : typeof exclude === 'function' ? exclude : (id: string) => exclude.has(id);
    const minScore = options.minScore ?? 0;
    const heap: Neighbour[] = [];
    for (const d of touched) {
      const raw = acc[d];
      if (this.vectors[d] === null) continue;
      const score = stableScore(raw);
      if (score <= 0 || score < minScore) continue;
      const id = this.ids[d];
      if (isExcluded(id)) continue;
      const cand = { id, score };
      if (heap.length < k) heapPush(heap, cand);
      else if (better(cand, heap[0])) heapReplaceTop(heap, cand);
    }
    return heap.sort((a, b) => (better(a, b) ? -1 : 1));
  }

  /** Ids in insertion order (live only). */
  keys(): string[] {
    return this.ids.filter((_, slot) => this.vectors[slot] !== null);
  }
}

/** a ranks before b: higher score, then smaller id. */
function better(a: Neighbour, b: Neighbour): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

// Min-heap on "worst first" so the root is the candidate to evict.
function heapPush(h: Neighbour[], x: Neighbour): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (better(h[p], h[i])) {
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    } else break;
  }
}

function heapReplaceTop(h: Neighbour[], x: Neighbour): void {
  h[0] = x;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let w = i;
    if (l < h.length && better(h[w], h[l])) w = l;
    if (r < h.length && better(h[w], h[r])) w = r;
    if (w === i) break;
    [h[w], h[i]] = [h[i], h[w]];
    i = w;
  }
}
