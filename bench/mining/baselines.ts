/**
 * Baselines run in the same process on the same data:
 * - plain TF-IDF (scikit-learn TfidfVectorizer defaults: lower-case, tokens of ≥ 2 word characters,
 *   English stop words, raw tf, smooth idf, L2 norm; subject and body concatenated);
 * - k-means on those vectors with the TRUE k: k-means++ seeding from a seeded PRNG (mulberry32),
 *   Lloyd iterations (≤ 50), best of 3 seeds by inertia;
 * - cosine retrieval: exhaustive top-k by cosine.
 */
const { eng: STOP }: { eng: string[] } = require('stopword');

export interface Doc {
  id: string;
  subject: string;
  body: string;
}

export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}

const STOPSET = new Set(STOP);

export function tfidf(docs: readonly Doc[]): { vectors: Sparse[]; dim: number } {
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const counts = docs.map((d) => {
    const m = new Map<number, number>();
    for (const tok of `${d.subject}\n${d.body}`.toLowerCase().match(/\b\w\w+\b/g) ?? []) {
      if (STOPSET.has(tok)) continue;
      let id = vocab.get(tok);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(tok, id);
        df.push(0);
      }
      m.set(id, (m.get(id) ?? 0) + 1);
    }
    for (const id of m.keys()) df[id]++;
    return m;
  });
  const n = docs.length;
  const vectors = counts.map((m) => {
    const entries = [...m.entries()].sort((a, b) => a[0] - b[0]);
    const idx = new Int32Array(entries.length);
    const val = new Float32Array(entries.length);
    let norm = 0;
    entries.forEach(([id, c], i) => {
      const w = c * (Math.log((1 + n) / (1 + df[id])) + 1);
      idx[i] = id;
      val[i] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < val.length; i++) val[i] /= norm;
    return { idx, val };
  });
  return { vectors, dim: vocab.size };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Squared euclidean distance between unit sparse x and dense centroid c with precomputed |c|². */
function dist2(x: Sparse, c: Float32Array, c2: number): number {
  let d = 0;
  for (let i = 0; i < x.idx.length; i++) d += x.val[i] * c[x.idx[i]];
  return 1 - 2 * d + c2;
}

/** k-means++ seeding: the first centroid at random, each next one drawn ∝ squared distance to the nearest. */
function seedCentroids(vectors: readonly Sparse[], dim: number, k: number, rand: () => number) {
  const n = vectors.length;
  const centroids: Float32Array[] = [];
  const toDense = (v: Sparse) => {
    const c = new Float32Array(dim);
    for (let i = 0; i < v.idx.length; i++) c[v.idx[i]] = v.val[i];
    return c;
  };
  const norms: number[] = [];
  centroids.push(toDense(vectors[Math.floor(rand() * n)]));
  norms.push(1);
  const d2 = new Float64Array(n).fill(Infinity);
  while (centroids.length < k) {
    const c = centroids[centroids.length - 1];
    const cn = norms[norms.length - 1];
    let total = 0;
    for (let i = 0; i < n; i++) {
      d2[i] = Math.min(d2[i], Math.max(0, dist2(vectors[i], c, cn)));
      total += d2[i];
    }
    let r = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centroids.push(toDense(vectors[pick]));
    norms.push(1);
  }
  return { centroids, norms, toDense };
}

export function kmeans(vectors: readonly Sparse[], dim: number, k: number, seeds = [1, 2, 3], maxIter = 50): number[] {
  let best: { inertia: number; labels: number[] } | undefined;
  for (const seed of seeds) {
    const rand = mulberry32(seed);
    const n = vectors.length;
    const { centroids, norms, toDense } = seedCentroids(vectors, dim, k, rand);
    const labels = new Array<number>(n).fill(-1);
    let inertia = 0;
    for (let it = 0; it < maxIter; it++) {
      let changed = 0;
      inertia = 0;
      for (let i = 0; i < n; i++) {
        let bj = 0;
        let bd = Infinity;
        for (let j = 0; j < k; j++) {
          const dd = dist2(vectors[i], centroids[j], norms[j]);
          if (dd < bd) {
            bd = dd;
            bj = j;
          }
        }
        inertia += bd;
        if (labels[i] !== bj) {
          labels[i] = bj;
          changed++;
        }
      }
      if (changed === 0) break;
      const sizes = new Array<number>(k).fill(0);
      for (const c of centroids) c.fill(0);
      for (let i = 0; i < n; i++) {
        const c = centroids[labels[i]];
        sizes[labels[i]]++;
        const v = vectors[i];
        for (let t = 0; t < v.idx.length; t++) c[v.idx[t]] += v.val[t];
      }
      for (let j = 0; j < k; j++) {
        const c = centroids[j];
        if (sizes[j] === 0) {
          // Empty cluster: reseed on a deterministic pseudo-random point.
          c.set(toDense(vectors[Math.floor(rand() * n)]));
          norms[j] = 1;
          continue;
        }
        let s = 0;
        for (let t = 0; t < dim; t++) {
          c[t] /= sizes[j];
          s += c[t] * c[t];
        }
        norms[j] = s;
      }
    }
    if (!best || inertia < best.inertia) best = { inertia, labels: [...labels] };
  }
  return (best as { labels: number[] }).labels;
}

/** Exhaustive cosine top-k (excluding self), ties by id. */
export function cosineTopK(
  ids: readonly string[],
  vectors: readonly Sparse[],
  dim: number,
  k: number,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const dense = new Float32Array(dim);
  for (let q = 0; q < vectors.length; q++) {
    const v = vectors[q];
    for (let i = 0; i < v.idx.length; i++) dense[v.idx[i]] = v.val[i];
    const scores: Array<[number, number]> = [];
    for (let d = 0; d < vectors.length; d++) {
      if (d === q) continue;
      const x = vectors[d];
      let s = 0;
      for (let i = 0; i < x.idx.length; i++) s += x.val[i] * dense[x.idx[i]];
      if (s > 0) scores.push([d, s]);
    }
    for (let i = 0; i < v.idx.length; i++) dense[v.idx[i]] = 0;
    scores.sort((a, b) => b[1] - a[1] || (ids[a[0]] < ids[b[0]] ? -1 : 1));
    out.set(
      ids[q],
      scores.slice(0, k).map(([d]) => ids[d]),
    );
  }
  return out;
}
