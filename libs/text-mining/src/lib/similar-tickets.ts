/**
 * Similar tickets and duplicate groups: the library's duplicate mode (`mineDocuments` in `problem` mode with
 * `similar`) as reusable pieces, so the product's CLI and API rank tickets exactly as the benchmark measures.
 *
 * - `SimilarTicketIndex`: clean each ticket (subject + description), fit one TextModel on all of them
 *   (`problem`-mode options: subject counts 3×, bigrams at half weight, every word kept), index the vectors in a
 *   NeighbourIndex and answer top-k cosine queries.
 * - `rankSimilarTickets`: the same ranking over a bounded candidate set (e.g. a full-text search's hits), with the
 *   statistics fitted on the query and its candidates.
 * - `duplicateGroups`: a high-precision grouping of likely duplicate reports from the neighbour lists: two tickets
 *   are linked only when each is the other's best match, the score is high and stands out from the rest of both
 *   lists (and, when dates are known, they were filed close together; when the tickets' fields can be compared,
 *   their descriptions are not copies of one template); linked tickets form groups.
 */
import { CleanTicketOptions, TicketLike, cleanTicket } from './clean';
import { Neighbour, NeighbourIndex } from './neighbour-index';
import { SparseVector, cosine, dot, stableScore } from './sparse';
import { TermStatistics, TextModel, TextModelOptions } from './text-model';

export interface SimilarTicketInput extends TicketLike {
  id: string;
  /** Creation time (used by `duplicateGroups`' `maxDays`); optional. */
  createdAt?: Date | string | number | null;
}

/** TextModel options of similar-ticket retrieval (tuned on GitBugs SeaMonkey: see bench/RESULTS.md). */
export const SIMILAR_TICKET_MODEL: Readonly<TextModelOptions> = {
  minDf: 1,
  bigrams: true,
  bigramWeight: 0.5,
  subjectWeight: 3,
};

/**
 * The base of `ranked`: plain TF-IDF of subject + description (greetings, signatures and quotes removed, URLs kept
 * whole; no bigrams, the subject counted once, sublinear tf) — the textbook ranking similar tickets must never fall
 * below (issue 19, point 3).
 */
export const BASE_TICKET_MODEL: Readonly<TextModelOptions> = {
  minDf: 1,
  bigrams: false,
  subjectWeight: 1,
  sublinearTf: true,
};

export interface SimilarTicketIndexOptions {
  clean?: CleanTicketOptions;
  model?: TextModelOptions;
  /**
   * Collection statistics to add to those of the indexed tickets (e.g. the `model` of a `SimilarTicketIndex` over a
   * sample of the collection): for ranking a small candidate set as the whole collection would.
   */
  background?: TermStatistics;
}

/** Cosine of two tickets' subjects alone and of their descriptions alone; null when either side has none. */
export interface FieldSimilarity {
  subject: number | null;
  body: number | null;
}

export class SimilarTicketIndex {
  readonly model: TextModel;
  private readonly index = new NeighbourIndex();
  private readonly vectors = new Map<string, SparseVector>();
  private readonly base = new TextModel(BASE_TICKET_MODEL);
  private readonly baseIndex = new NeighbourIndex();
  private readonly baseVectors = new Map<string, SparseVector>();

  private constructor(
    model: TextModel,
    private readonly clean: CleanTicketOptions | undefined,
  ) {
    this.model = model;
  }

  /**
   * Cleans, fits and indexes all tickets at once (statistics need the whole set before any vector is made).
   * Order does not matter: tickets are processed in id order. A repeated id keeps its last ticket.
   */
  static build(tickets: Iterable<SimilarTicketInput>, options: SimilarTicketIndexOptions = {}): SimilarTicketIndex {
    const byId = new Map<string, SimilarTicketInput>();
    for (const t of tickets) byId.set(t.id, t);
    const docs = [...byId.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => ({ id: t.id, ...cleanTicket(t, options.clean) }));
    const out = new SimilarTicketIndex(new TextModel({ ...SIMILAR_TICKET_MODEL, ...options.model }), options.clean);
    out.model.addDocuments(docs);
    for (const d of docs) {
      const v = out.model.vectorize(d, options.background);
      out.vectors.set(d.id, v);
      out.index.add(d.id, v);
    }
    // The base reads what the customer wrote (greetings, signatures and quoted replies out: a signature would make
    // one customer's tickets alike) with URLs whole (a path names the page that fails).
    const raw = [...byId.values()].map((t) => {
      const c = cleanTicket(t, { ...options.clean, urlsToHosts: false });
      return { id: t.id, text: `${c.subject}\n${c.body}` };
    });
    out.base.addDocuments(raw.map((r) => r.text));
    for (const r of raw) {
      const v = out.base.vectorize(r.text);
      out.baseVectors.set(r.id, v);
      out.baseIndex.add(r.id, v);
    }
    return out;
  }

  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.vectors.has(id);
  }

  vector(id: string): SparseVector | undefined {
    return this.vectors.get(id);
  }

  /** The k indexed tickets most similar to ticket `id` (never itself); [] for an unknown id. */
  similar(id: string, k: number, minScore = 0): Neighbour[] {
    const v = this.vectors.get(id);
    if (!v) return [];
    return this.index.query(v, k, { exclude: (x) => x === id, minScore });
  }

  /**
   * The product's similar tickets: the plain TF-IDF cosine of the raw texts (the base) plus the cosine of the cleaned,
   * subject-weighted vectors (`similar`), over the best `pool` candidates of each. A ticket both rank high comes
   * first; one the refinement alone likes cannot push the base's best far down. Score = the sum (0–2).
   */
  ranked(id: string, k: number, pool = Math.max(50, 5 * k)): Neighbour[] {
    const v = this.vectors.get(id);
    const b = this.baseVectors.get(id);
    if (!v || !b) return [];
    const exclude = (x: string) => x === id;
    const candidates = new Set([
      ...this.index.query(v, pool, { exclude }).map((n) => n.id),
      ...this.baseIndex.query(b, pool, { exclude }).map((n) => n.id),
    ]);
    return [...candidates]
      .map((c) => ({ id: c, score: stableScore(dot(b, this.baseVectors.get(c)!) + dot(v, this.vectors.get(c)!)) }))
      .filter((n) => n.score > 0)
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, k);
  }

  /** `ranked` for every indexed ticket, in id order. */
  allRanked(k: number): Map<string, Neighbour[]> {
    const out = new Map<string, Neighbour[]>();
    for (const id of [...this.vectors.keys()]) out.set(id, this.ranked(id, k));
    return out;
  }

  /**
   * How alike two tickets are field by field, under this index's model (cleaned the same way): `duplicateGroups`
   * uses it to tell one template filled in twice (near-identical descriptions, e.g. a web form's or one author's
   * series) from two people reporting one problem in their own words.
   */
  fieldSimilarity(a: TicketLike, b: TicketLike): FieldSimilarity {
    const ca = cleanTicket({ subject: a.subject, body: a.body }, this.clean);
    const cb = cleanTicket({ subject: b.subject, body: b.body }, this.clean);
    const field = (x: string, y: string, key: 'subject' | 'body'): number | null =>
      x && y ? cosine(this.model.vectorize({ [key]: x }), this.model.vectorize({ [key]: y })) : null;
    return { subject: field(ca.subject, cb.subject, 'subject'), body: field(ca.body, cb.body, 'body') };
  }

  /** `similar` for every indexed ticket, in id order. */
  allSimilar(k: number): Map<string, Neighbour[]> {
    const out = new Map<string, Neighbour[]>();
    for (const id of [...this.vectors.keys()]) out.set(id, this.similar(id, k));
    return out;
  }
}

/**
 * Ranks `candidates` by similarity to `query` (cosine of the vectors `SimilarTicketIndex` makes, statistics fitted
 * on the query and the candidates, plus `options.background` when given). Returns at most `k` candidates with a positive score, best first, ties by id.
 */
export function rankSimilarTickets(
  query: SimilarTicketInput,
  candidates: readonly SimilarTicketInput[],
  k: number,
  options: SimilarTicketIndexOptions = {},
): Neighbour[] {
  const index = SimilarTicketIndex.build([...candidates.filter((c) => c.id !== query.id), query], options);
  return index.ranked(query.id, k);
}

export interface DuplicateGroupOptions {
  /** A link needs at least this cosine. Default 0.5. */
  minScore?: number;
  /**
   * …and at least this many times the mean score of the other listed neighbours — in both tickets' lists when
   * `mutual`. Default 2.
   */
  ratio?: number;
  /** Both tickets must be each other's best match. Default true. */
  mutual?: boolean;
  /** When both tickets have a creation time: at most this many days apart. Default off. */
  maxDays?: number;
  /**
   * When fields can be compared (`DuplicateGroupContext.fields`) and both tickets have a subject: descriptions at
   * least this alike are one template filled in twice — a form, or one author's series of reports — not two
   * reports of one problem, and are not linked (unless they are a copy, below). Without a subject on both sides the
   * description is the whole report, and its likeness is the evidence, not a template. Default 0.4.
   */
  maxBodySimilarity?: number;
  /**
   * …except a copy: subjects and descriptions both at least this alike, filed at most `copyDays` apart (a report
   * sent twice). Default 0.9.
   */
  copySimilarity?: number;
  /** Default 2. Unknown dates do not block a copy. */
  copyDays?: number;
}

export interface DuplicateGroupContext {
  /** Creation time of each ticket (for `maxDays` and `copyDays`). */
  createdAt?: ReadonlyMap<string, Date | string | number | null | undefined>;
  /** Field-by-field similarity of two tickets (e.g. `SimilarTicketIndex.fieldSimilarity`); undefined: unknown. */
  fields?: (a: string, b: string) => FieldSimilarity | undefined;
}

const DUPLICATE_DEFAULTS: Required<Omit<DuplicateGroupOptions, 'maxDays'>> = {
  minScore: 0.5,
  ratio: 2,
  mutual: true,
  maxBodySimilarity: 0.4,
  copySimilarity: 0.9,
  copyDays: 2,
};

/**
 * Groups likely duplicate reports from each ticket's ranked neighbours (`similar`: id → best first, e.g.
 * `SimilarTicketIndex.allSimilar(11)`). Only linked tickets are returned: id → group id (the smallest member id).
 * Precision over recall: a ticket not in the map is a group of its own.
 */
export function duplicateGroups(
  similar: ReadonlyMap<string, readonly Neighbour[]>,
  options: DuplicateGroupOptions = {},
  context: DuplicateGroupContext = {},
): Map<string, string> {
  const o = { ...DUPLICATE_DEFAULTS, ...options };
  const time = (id: string): number | null => {
    const v = context.createdAt?.get(id);
    if (v === null || v === undefined) return null;
    const t = new Date(v).getTime();
    return Number.isFinite(t) ? t : null;
  };
  const withinDays = (a: string, b: string, days: number): boolean => {
    const ta = time(a);
    const tb = time(b);
    return ta === null || tb === null || Math.abs(ta - tb) <= days * 86_400_000;
  };
  /** The ticket's best match when it is high and stands out from the rest of its list. */
  const standout = (id: string): Neighbour | undefined => {
    const list = similar.get(id) ?? [];
    const top = list[0];
    if (!top || top.score < o.minScore) return undefined;
    const rest = list.slice(1);
    const mean = rest.length ? rest.reduce((s, n) => s + n.score, 0) / rest.length : 0;
    return top.score >= o.ratio * mean ? top : undefined;
  };
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  const ids = [...similar.keys()].sort();
  for (const id of ids) {
    const top = standout(id);
    if (!top) continue;
    if (o.mutual) {
      if (standout(top.id)?.id !== id) continue;
      // Every check below is symmetric: a mutual pair is judged once, from its smaller id.
      if (top.id < id) continue;
    }
    if (o.maxDays !== undefined && !withinDays(id, top.id, o.maxDays)) continue;
    const f = context.fields?.(id, top.id);
    if (f && f.subject !== null && f.body !== null && f.body >= o.maxBodySimilarity) {
      const copy = f.subject >= o.copySimilarity && f.body >= o.copySimilarity && withinDays(id, top.id, o.copyDays);
      if (!copy) continue;
    }
    const ra = find(id);
    const rb = find(top.id);
    if (ra !== rb) {
      if (ra < rb) parent.set(rb, ra);
      else parent.set(ra, rb);
    }
  }
  // Roots are the smallest member ids (unions keep the smaller root).
  const rootOf = new Map<string, string>();
  const size = new Map<string, number>();
  for (const id of parent.keys()) {
    const root = find(id);
    rootOf.set(id, root);
    size.set(root, (size.get(root) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const [id, root] of rootOf) if ((size.get(root) ?? 0) > 1) out.set(id, root);
  return out;
}
