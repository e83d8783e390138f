/**
 * Sparse vectors: parallel arrays of term ids (strictly increasing) and weights. Immutable by
 * convention. Helpers are pure.
 */
export interface SparseVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

export const EMPTY_VECTOR: SparseVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

/** Build from (id → weight) entries; zero weights dropped; sorted by id. */
export function fromEntries(entries: Iterable<readonly [number, number]>): SparseVector {
  const arr = [...entries].filter(([, w]) => w !== 0 && Number.isFinite(w)).sort((a, b) => a[0] - b[0]);
  const ids = new Int32Array(arr.length);
  const weights = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    if (i > 0 && arr[i][0] === arr[i - 1][0]) throw new Error(`duplicate term id ${arr[i][0]}`);
    ids[i] = arr[i][0];
    weights[i] = arr[i][1];
  }
  return { ids, weights };
}

export function norm(v: SparseVector): number {
  let s = 0;
  for (let i = 0; i < v.weights.length; i++) s += v.weights[i] * v.weights[i];
  return Math.sqrt(s);
}

/** L2-normalised copy (the empty vector stays empty). */
export function normalize(v: SparseVector): SparseVector {
  const n = norm(v);
  if (n === 0) return EMPTY_VECTOR;
  const weights = new Float64Array(v.weights.length);
  for (let i = 0; i < weights.length; i++) weights[i] = v.weights[i] / n;
  return { ids: v.ids, weights };
}

/** Dot product by merging the sorted id arrays. */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let s = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) {
      s += a.weights[i++] * b.weights[j++];
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/** Cosine similarity (0 for an empty vector). */
export function cosine(a: SparseVector, b: SparseVector): number {
  const na = norm(a);
  const nb = norm(b);
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}

/** Keep the `k` largest-|weight| entries (ties: lower id), re-normalised. */
export function truncate(v: SparseVector, k: number): SparseVector {
  if (v.ids.length <= k) return v;
  const order = Array.from(v.ids.keys()).sort(
    (x, y) => Math.abs(v.weights[y]) - Math.abs(v.weights[x]) || v.ids[x] - v.ids[y],
  );
  return normalize(fromEntries(order.slice(0, k).map((i) => [v.ids[i], v.weights[i]] as const)));
}

/** Σ scale_i · v_i as a new vector. */
export function linearCombination(parts: ReadonlyArray<readonly [SparseVector, number]>): SparseVector {
  const acc = new Map<number, number>();
  for (const [v, scale] of parts) {
    for (let i = 0; i < v.ids.length; i++) acc.set(v.ids[i], (acc.get(v.ids[i]) ?? 0) + scale * v.weights[i]);
  }
  return fromEntries(acc);
}

/** Round a score so that float summation order cannot change a ranking or a threshold decision. */
export function stableScore(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
