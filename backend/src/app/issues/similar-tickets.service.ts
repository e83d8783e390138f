import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { rankSimilarTickets } from '@pim/text-mining';
import { errorMessage } from '@app/common/errors';
import { TicketsService } from '@app/tickets/tickets.service';
import { SimilarTicketsResponse } from './dto/similar-tickets.response';
import { SimilarRepository } from './repositories/similar.repository';

/** Full-text candidates per request (the bound on work: the ranking cleans and vectorises this many tickets). */
const CANDIDATES = 400;
/** Tickets sharing a cluster with the ticket, added to the candidates (most recent first). */
const CLUSTER_MATES = 100;
/** Lexemes of the ticket's own `search` vector that make up the full-text query. */
const QUERY_TERMS = 24;
/** Lexemes in more than this share of tickets are left out of the full-text query (they still count in ranking). */
const MAX_QUERY_DF = 0.05;
/** Lexeme document frequencies (to pick the query's lexemes) come from the most recent tickets, refreshed hourly. */
const DF_SAMPLE = 20_000;
const DF_TTL_MS = 60 * 60_000;
/** Characters of a description that count (a pasted log must not make one request slow). */
const MAX_DESCRIPTION = 20_000;

interface CollectionStats {
  at: number;
  /** Lexeme (PostgreSQL `english`) document frequencies of the sample. */
  docs: number;
  df: Map<string, number>;
}

/**
 * Tickets similar to one ticket, ranked by the similarity of the tickets' own texts — the library's duplicate
 * mode (`rankSimilarTickets` of @pim/text-mining: cleaned subject counted 3× + cleaned description, TF-IDF with
 * bigrams, cosine), the same ranking `npm run mine --similar` uses over all tickets.
 *
 * Bounded work on any number of tickets: candidates come from PostgreSQL — a full-text query (`tickets.search`,
 * GIN index) OR-ing the ticket's most distinctive lexemes, best `ts_rank` first, plus some tickets sharing a
 * cluster with it — and only those are ranked, with term statistics fitted on the candidates. Nothing is held per
 * ticket in the process (API replicas stay small and always see the database's current tickets); the only cache is
 * the lexeme document frequencies of the ≤ 20,000 most recent tickets (`ts_stat`, refreshed hourly in the
 * background), used to leave lexemes common to most tickets out of the full-text query so it matches few rows.
 * Until the first load finishes, the query takes the ticket's most frequent lexemes. Shared clusters only break
 * ties. Why this ranking and what was measured: docs/adr/0009-similar-tickets-and-duplicates.md.
 */
@Injectable()
export class SimilarTicketsService {
  private readonly logger = new Logger(SimilarTicketsService.name);
  private stats?: CollectionStats;
  private loadingStats?: Promise<void>;

  constructor(
    private readonly repository: SimilarRepository,
    private readonly tickets: TicketsService,
  ) {}

  async similar(zendeskId: number, limit: number): Promise<SimilarTicketsResponse> {
    const ticket = await this.repository.ticket(zendeskId, MAX_DESCRIPTION);
    if (!ticket) throw new NotFoundException(`Ticket ${zendeskId} not found`);
    const clusterIds = await this.repository.clustersOf(zendeskId);
    const stats = this.collectionStats();
    const query = fullTextQuery(parseTsvector(ticket.lexemes ?? ''), stats);
    const ids = await this.repository.candidateIds(zendeskId, clusterIds, query, {
      fullText: CANDIDATES,
      clusterMates: CLUSTER_MATES,
    });
    if (!ids.length) return { zendeskId, items: [] };
    const rows = await this.repository.candidates(ids, MAX_DESCRIPTION);
    const byId = new Map(rows.map((r) => [String(r.zendesk_id), r]));
    const ranked = rankSimilarTickets(
      { id: String(zendeskId), subject: ticket.subject, body: ticket.description },
      rows.map((r) => ({ id: String(r.zendesk_id), subject: r.subject, body: r.description })),
      rows.length,
    );
    const mine = new Set(clusterIds);
    const items = ranked
      .map((n) => {
        const r = byId.get(n.id)!;
        return {
          zendeskId: Number(r.zendesk_id),
          ...(r.original_id ? { originalId: r.original_id } : {}),
          subject: r.subject,
          status: r.status,
          createdAt: new Date(r.created_at),
          score: Math.round(n.score * 1e4) / 1e4,
          sharedClusterIds: r.clusters.filter((c) => mine.has(c)),
          zendeskUrl: this.tickets.zendeskUrl(Number(r.zendesk_id)),
        };
      })
      .sort(
        (a, b) =>
          b.score - a.score || b.sharedClusterIds.length - a.sharedClusterIds.length || a.zendeskId - b.zendeskId,
      )
      .slice(0, limit);
    return { zendeskId, items };
  }

  /** The cached lexeme statistics (undefined until the first load finishes); starts a refresh when stale. */
  private collectionStats(): CollectionStats | undefined {
    if ((!this.stats || Date.now() - this.stats.at > DF_TTL_MS) && !this.loadingStats) {
      this.loadingStats = this.loadCollectionStats()
        .catch((error: unknown) => {
          this.logger.warn(`similar tickets statistics: ${errorMessage(error)}`);
          // No statistics until the next refresh: queries take the ticket's most frequent lexemes meanwhile.
          this.stats = { at: Date.now(), docs: 0, df: new Map() };
        })
        .finally(() => (this.loadingStats = undefined));
    }
    return this.stats;
  }

  /** Waits for the lexeme statistics (warm-up, benchmarks, tests). */
  async warmUp(): Promise<void> {
    this.collectionStats();
    await this.loadingStats;
  }

  private async loadCollectionStats(): Promise<void> {
    const { docs, df } = await this.repository.lexemeStats(DF_SAMPLE);
    this.stats = { at: Date.now(), docs, df };
  }
}

/** Lexemes of a `tsvector`'s text form with their weighted count (subject = weight A counts 3, others 1). */
export function parseTsvector(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /'((?:[^'\\]|''|\\.)*)'(?::([0-9A-D,]+))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lexeme = m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    const positions = m[2] ? m[2].split(',') : ['1'];
    let n = 0;
    for (const p of positions) n += p.endsWith('A') ? 3 : 1;
    out.set(lexeme, (out.get(lexeme) ?? 0) + n);
  }
  return out;
}

/**
 * The full-text query of a ticket: an OR of its most distinctive lexemes (weighted count × IDF when document
 * frequencies are known; lexemes in more than MAX_QUERY_DF of tickets left out unless nothing else is left), as
 * `tsquery` text ('' when the ticket has no usable lexeme).
 */
export function fullTextQuery(
  lexemes: ReadonlyMap<string, number>,
  stats?: { docs: number; df: ReadonlyMap<string, number> },
): string {
  const scored = [...lexemes]
    .filter(([w]) => w.length >= 2 && !/^\d+$/.test(w))
    .map(([w, n]) => {
      const df = stats?.df.get(w) ?? 0;
      const idf = stats && stats.docs > 0 ? Math.log(1 + (stats.docs - df + 0.5) / (df + 0.5)) : 1;
      const common = !!stats && stats.docs >= 100 && df > MAX_QUERY_DF * stats.docs;
      return { w, score: (1 + Math.log(n)) * idf, common };
    });
  const rare = scored.filter((s) => !s.common);
  const chosen = (rare.length ? rare : scored)
    .sort((a, b) => b.score - a.score || (a.w < b.w ? -1 : a.w > b.w ? 1 : 0))
    .slice(0, QUERY_TERMS);
  return chosen.map((s) => `'${s.w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');
}
