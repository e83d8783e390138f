import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SimilarTicketIndex, cleanText, duplicateGroups } from '@pim/text-mining';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AnalysisService } from '@app/analysis/analysis.service';
import { AppModule } from '@app/app.module';
import { AppConfig, loadConfig } from '@app/config/app-config';
import { startEmbeddedPostgres } from '@app/database/embedded-postgres';
import { ClusteringService } from '@app/issues/clustering/clustering.service';
import { MineRepository } from '@app/issues/repositories/mine.repository';
import { TicketRepository } from '@app/tickets/repositories/ticket.repository';
import { SimilarTicketsService } from '@app/issues/similar-tickets.service';
import { detectFormat, ImportFormat, readTicketFile } from '@app/tickets/import/ticket-file-reader';
import { TicketImportService } from '@app/tickets/import/ticket-import.service';
import { IssueFields, issueFieldsOf } from '@app/analysis/issue-fields';

/**
 * `npm run mine`: the product's pipeline (import → analyze → cluster) over one file, on a throw-away embedded
 * database (in-memory PGlite; its temp DATA_DIR is removed at the end), without HTTP, Redis or Zendesk.
 */

export const USAGE =
  'Usage: npm run mine -- --input FILE --output OUT.jsonl [--analyzer local|claude] [--all-tickets] [--similar K]';

/**
 * The category of the "topic issues" `--all-tickets` adds: one per ticket, summary = the cleaned subject (or
 * the start of the cleaned description when there is no subject), detail = the cleaned description. The
 * product's clustering step clusters them like any other category, so every ticket gets a topic cluster whether
 * or not the analyzer found a product problem in it. They are not reported among the ticket's `issues`.
 */
export const TOPIC_CATEGORY = '_topic';

export interface MineOptions {
  input: string;
  output: string;
  analyzer: 'local' | 'claude';
  allTickets: boolean;
  similar: number;
}

export interface MineIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseMineArgs(argv: readonly string[]): MineOptions {
  const opts: Partial<MineOptions> = { analyzer: 'local', allTickets: false, similar: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--input':
        opts.input = value();
        break;
      case '--output':
        opts.output = value();
        break;
      case '--analyzer': {
        const v = value();
        if (v !== 'local' && v !== 'claude') throw new UsageError(`--analyzer must be local or claude (got "${v}")`);
        opts.analyzer = v;
        break;
      }
      case '--all-tickets':
        opts.allTickets = true;
        break;
      case '--similar': {
        const v = value();
        const k = Number(v);
        if (!Number.isInteger(k) || k < 1 || k > 100)
          throw new UsageError(`--similar must be an integer from 1 to 100 (got "${v}")`);
        opts.similar = k;
        break;
      }
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        throw new UsageError(`unknown argument "${a}"`);
    }
  }
  if (!opts.input) throw new UsageError('--input is required');
  if (!opts.output) throw new UsageError('--output is required');
  return opts as MineOptions;
}

export interface MineLine {
  /** The input's id: a Zendesk id, or another tool's ticket key (`TCK-1042`) as the file wrote it. */
  id: number | string;
  clusterId: string | null;
  clusterName: string | null;
  category: string | null;
  subcategory: string | null;
  issueType: string | null;
  severity: string | null;
  issues: Array<IssueFields & { confidence: number; clusterId: string | null; clusterName: string | null }>;
  /** `--similar K`: the K most similar other tickets, best first. */
  similar?: Array<number | string>;
  /**
   * `--similar K`: the likely duplicate reports of this ticket (the other members of its duplicate group: see
   * DUPLICATE_GROUPS); [] when none stands out.
   */
  duplicates?: Array<number | string>;
}

/**
 * How `--similar` groups likely duplicate reports (`duplicateGroups` of @pim/text-mining): two tickets are linked
 * when each is the other's best match, with cosine ≥ 0.25 and ≥ 2.5× the mean of the rest of each one's top 10,
 * filed at most 90 days apart, and their descriptions are not one template filled in twice (description cosine
 * < 0.4, unless subject and description are ≥ 0.9 alike and filed ≤ 2 days apart: a report sent twice). Picked on
 * GitBugs SeaMonkey (bench/RESULTS.md, "what was tried").
 */
export const DUPLICATE_GROUPS = {
  minScore: 0.25,
  ratio: 2.5,
  mutual: true,
  maxDays: 90,
  maxBodySimilarity: 0.4,
  copySimilarity: 0.9,
  copyDays: 2,
} as const;

export interface MineResult {
  tickets: number;
  rejected: number;
  clusters: number;
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Nest's own log lines go to stderr (warnings and errors only): stdout carries the summary table. */
function stderrLogger(write: (text: string) => void): LoggerService {
  const line =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) => {
      const context =
        rest.length && typeof rest[rest.length - 1] === 'string' ? `[${String(rest[rest.length - 1])}] ` : '';
      write(`${level} ${context}${message instanceof Error ? message.message : String(message)}\n`);
    };
  return {
    log: () => undefined,
    verbose: () => undefined,
    debug: () => undefined,
    warn: line('warn'),
    error: line('error'),
  };
}

/** Runs the whole command; returns the process exit code. */
export async function runMine(argv: readonly string[], io: MineIo): Promise<number> {
  let options: MineOptions;
  try {
    options = parseMineArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      if (!error.message) {
        io.stdout(`${USAGE}\n`); // --help
        return 0;
      }
      io.stderr(`mine: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (!existsSync(options.input)) {
    io.stderr(`mine: input file not found: ${options.input}\n`);
    return 2;
  }
  if (options.analyzer === 'claude' && !io.env['ANTHROPIC_API_KEY']) {
    io.stderr('mine: --analyzer claude requires ANTHROPIC_API_KEY\n');
    return 2;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'pim-mine-'));
  try {
    await mine(options, io, dataDir);
    return 0;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function mine(options: MineOptions, io: MineIo, dataDir: string): Promise<MineResult> {
  const started = Date.now();
  const loaded = loadConfig(mineEnv(options, io, dataDir));
  const format = await detectFormat(options.input, basename(options.input));
  const { order, rejected } = await inputOrder(options.input, format, io);

  const embedded = await startEmbeddedPostgres(dataDir, { inMemory: true, warn: (m) => io.stderr(`mine: ${m}\n`) });
  const config: AppConfig & { databaseUrl: string } = { ...loaded, databaseUrl: embedded.url };
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, embedded: true }), {
    logger: stderrLogger(io.stderr),
    abortOnError: false,
  }).catch(async (error: unknown) => {
    await embedded.stop().catch(() => undefined);
    throw error;
  });
  try {
    const progress = (phase: string) => io.stderr(`mine: ${phase} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    const analysis = await importAndCluster(app, options, io, format, progress);
    const ticketRows = app.get(TicketRepository, { strict: false });
    const mined = app.get(MineRepository, { strict: false });
    const lines = await collect(ticketRows, mined, options.allTickets);
    const ids = await fileIds(ticketRows);
    if (options.similar) {
      progress(`similar tickets (K=${options.similar})`);
      if (io.env['MINE_SIMILAR_VIA'] === 'service') await similarViaService(app, order, ids, lines, options.similar);
      else await addSimilar(ticketRows, lines, options.similar);
    }
    await writeLines(options.output, order, ids, lines);
    progress(`wrote ${order.length} lines to ${options.output}`);

    const summary = await summaryTable(mined, options.allTickets);
    io.stdout(
      `${order.length} tickets (${rejected} rejected rows), ${analysis.issuesFound} with product issues, ` +
        `${summary.count} clusters${options.allTickets ? ' (by topic, --all-tickets)' : ''}\n\n${summary.table}`,
    );
    return { tickets: order.length, rejected, clusters: summary.count };
  } finally {
    await app.close();
    await embedded.stop();
  }
}

/** The environment of the throw-away app: never a configured database, queue or Zendesk account. */
function mineEnv(options: MineOptions, io: MineIo, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...io.env,
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    PROCESS_ROLE: 'all',
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    // A password of our own: the first-admin notice would otherwise print one on stdout.
    ADMIN_PASSWORD: randomBytes(24).toString('hex'),
  };
  for (const key of Object.keys(env))
    if (
      /^(DATABASE_URL|REDIS_URL|ZENDESK_|DASHBOARD_PASSWORD)/.test(key) ||
      (options.analyzer === 'local' && key === 'ANTHROPIC_API_KEY')
    )
      delete env[key];
  return env;
}

/** Pass 1: every bad row on stderr with its line number; the input order of the good ones (by the file's own id). */
async function inputOrder(
  input: string,
  format: ImportFormat,
  io: MineIo,
): Promise<{ order: Array<number | string>; rejected: number }> {
  const order: Array<number | string> = [];
  const seen = new Set<number | string>();
  let rejected = 0;
  let duplicates = 0;
  for await (const row of readTicketFile(input, format)) {
    if ('error' in row) {
      rejected++;
      io.stderr(`${input}:${row.line}: ${row.error} (skipped)\n`);
      continue;
    }
    const key = row.ticket.originalId ?? row.ticket.zendeskId;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    order.push(key);
  }
  if (duplicates) io.stderr(`mine: ${duplicates} row(s) repeat an earlier id: the last one wins\n`);
  return { order, rejected };
}

/** Import, analysis (and topic issues with --all-tickets), clustering: the product's pipeline in this process. */
async function importAndCluster(
  app: INestApplicationContext,
  options: MineOptions,
  io: MineIo,
  format: ImportFormat,
  progress: (phase: string) => void,
): Promise<{ issuesFound: number }> {
  progress(`importing ${format} ${options.input}`);
  const totals = await app.get(TicketImportService, { strict: false }).importFile(options.input, format);
  progress(`analysing ${totals.rowsImported} tickets with the ${options.analyzer} analyzer`);
  const analysis = await app.get(AnalysisService, { strict: false }).analyzePending(null, {
    report: async () => undefined,
    errors: async (errors) => {
      for (const e of errors) io.stderr(`analysis ${e.ref}: ${e.message}\n`);
    },
  });
  if (options.allTickets) await addTopicIssues(app.get(MineRepository, { strict: false }));
  progress(
    `clustering (${analysis.issuesFound} tickets with issues, ${analysis.noProductIssue} without, ${analysis.failed} failed)`,
  );
  await app.get(ClusteringService, { strict: false }).clusterPending(null);
  return analysis;
}

/** Benchmark hook (bench/mining --cli-service): the API's similar-tickets service, one request per ticket. */
async function similarViaService(
  app: INestApplicationContext,
  order: Array<number | string>,
  ids: FileIds,
  lines: Map<number, MineLine>,
  k: number,
): Promise<void> {
  const service = app.get(SimilarTicketsService, { strict: false });
  await service.warmUp();
  for (const key of order) {
    const id = ids.internal(key);
    const line = id === undefined ? undefined : lines.get(id);
    if (line) line.similar = (await service.similar(id!, k)).items.map((i) => i.zendeskId);
  }
}

/** One line per input ticket, in the input's order, named as the file named it. */
async function writeLines(
  output: string,
  order: Array<number | string>,
  ids: FileIds,
  lines: Map<number, MineLine>,
): Promise<void> {
  const out = createWriteStream(output, { encoding: 'utf8' });
  for (const key of order) {
    const id = ids.internal(key);
    const line = id === undefined ? undefined : lines.get(id);
    if (!line) continue;
    if (!out.write(`${JSON.stringify(ids.external(line))}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The file's own ids in and out: a ticket key (`TCK-1042`) is stored under an internal id (`mappedTicketId`); the
 * output names every ticket (`id`, `similar`, `duplicates`) as the file did.
 */
interface FileIds {
  internal: (key: number | string) => number | undefined;
  external: (line: MineLine) => MineLine;
}

async function fileIds(tickets: TicketRepository): Promise<FileIds> {
  const rows = await tickets.findKeyed();
  const toInternal = new Map(rows.map((r) => [r.originalId, r.zendeskId]));
  const toOriginal = new Map(rows.map((r) => [r.zendeskId, r.originalId]));
  const out = (id: number | string) => (typeof id === 'number' ? (toOriginal.get(id) ?? id) : id);
  return {
    internal: (key) => (typeof key === 'number' ? key : toInternal.get(key)),
    external: (line) => ({
      ...line,
      id: out(line.id),
      ...(line.similar ? { similar: line.similar.map(out) } : {}),
      ...(line.duplicates ? { duplicates: line.duplicates.map(out) } : {}),
    }),
  };
}

/** `--all-tickets`: one topic issue per analysed ticket (see TOPIC_CATEGORY). */
async function addTopicIssues(mined: MineRepository): Promise<void> {
  const rows = await mined.latestAnalysedTickets();
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const slice = rows.slice(i, i + CHUNK).map((r) => {
      const body = cleanText(r.description);
      const subject = cleanText(r.subject) || body;
      return { ...r, summary: shorten(subject, 200), detail: body === subject ? '' : body };
    });
    await mined.insertTopicIssues(
      slice.map((r) => ({
        ticketId: r.id,
        analysisId: r.analysis_id,
        summary: r.summary,
        detail: r.detail,
        createdAt: r.created_at,
      })),
      TOPIC_CATEGORY,
    );
  }
}

/**
 * `--similar K`: every ticket against every other, in memory — `SimilarTicketIndex.ranked`: plain TF-IDF cosine of
 * the raw texts as the base plus the library's duplicate mode (cleaned subject, counted 3×, + cleaned description,
 * bigrams), inverted-index candidates, no per-ticket query. Also fills `duplicates` (DUPLICATE_GROUPS).
 */
async function addSimilar(ticketRows: TicketRepository, lines: Map<number, MineLine>, k: number): Promise<void> {
  const rows = (await ticketRows.findLiveTexts()).map((r) => ({ ...r, id: String(r.zendeskId) }));
  const tickets = new Map(rows.map((r) => [r.id, { subject: r.subject, body: r.description }]));
  const index = SimilarTicketIndex.build([...tickets].map(([id, t]) => ({ id, ...t })));
  // At least 11 neighbours: duplicate grouping compares the best match with the rest of a top 10 (its bars are on the
  // cleaned vectors' cosine); the similar lists are the ranking with the plain TF-IDF base (`ranked`).
  const lists = index.allSimilar(11);
  const ranked = index.allRanked(k);
  const groups = duplicateGroups(new Map([...lists].map(([id, list]) => [id, list.slice(0, 11)])), DUPLICATE_GROUPS, {
    createdAt: new Map(rows.map((r) => [r.id, r.createdAt])),
    fields: (a, b) => {
      const ta = tickets.get(a);
      const tb = tickets.get(b);
      return ta && tb ? index.fieldSimilarity(ta, tb) : undefined;
    },
  });
  const members = new Map<string, number[]>();
  for (const [id, group] of groups) members.set(group, [...(members.get(group) ?? []), Number(id)]);
  for (const [id, line] of lines) {
    line.similar = (ranked.get(String(id)) ?? []).map((n) => Number(n.id));
    const group = groups.get(String(id));
    line.duplicates = group ? (members.get(group) ?? []).filter((m) => m !== id).sort((a, b) => a - b) : [];
  }
}

async function collect(
  ticketRows: TicketRepository,
  mined: MineRepository,
  allTickets: boolean,
): Promise<Map<number, MineLine>> {
  const lines = new Map<number, MineLine>();
  for (const id of await ticketRows.findLiveIds())
    lines.set(id, {
      id,
      clusterId: null,
      clusterName: null,
      category: null,
      subcategory: null,
      issueType: null,
      severity: null,
      issues: [],
    });
  for (const r of await mined.issueLines()) {
    const line = lines.get(Number(r.ticket_id));
    if (!line) continue;
    if (r.category === TOPIC_CATEGORY) {
      line.clusterId = r.cluster_id ?? null;
      line.clusterName = r.cluster_name ?? null;
      continue;
    }
    line.issues.push({
      ...issueFieldsOf(r),
      confidence: Math.round(Number(r.confidence) * 1000) / 1000,
      clusterId: r.cluster_id ?? null,
      clusterName: r.cluster_name ?? null,
    });
  }
  for (const line of lines.values()) {
    // The main issue: the most severe, then the most confident, then the first reported.
    const main = [...line.issues].sort(
      (a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.confidence - a.confidence,
    )[0];
    if (!main) continue;
    line.category = main.category;
    line.subcategory = main.subcategory;
    line.issueType = main.issueType;
    line.severity = main.severity;
    if (!allTickets) {
      line.clusterId = main.clusterId;
      line.clusterName = main.clusterName;
    }
  }
  return lines;
}

async function summaryTable(mined: MineRepository, allTickets: boolean): Promise<{ count: number; table: string }> {
  const rows = await mined.clusterTable(TOPIC_CATEGORY, allTickets);
  const SHOWN = 40;
  const table: string[] = [];
  table.push(`${'tickets'.padStart(7)}  ${'cluster'.padEnd(8)}  ${allTickets ? '' : `${'category'.padEnd(20)}  `}name`);
  for (const r of rows.slice(0, SHOWN))
    table.push(
      `${String(r.tickets).padStart(7)}  ${r.id.slice(0, 8)}  ${allTickets ? '' : `${r.category.slice(0, 20).padEnd(20)}  `}${shorten(r.name || '(unnamed)', 90)}`,
    );
  if (rows.length > SHOWN) {
    const rest = rows.slice(SHOWN);
    table.push(
      `${String(rest.reduce((n, r) => n + r.tickets, 0)).padStart(7)}  …         in ${rest.length} smaller clusters`,
    );
  }
  return { count: rows.length, table: `${table.join('\n')}\n` };
}

function shorten(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}
