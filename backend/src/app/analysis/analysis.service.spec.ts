import type { DataSource, EntityManager } from 'typeorm';
import type { UsageLedger } from '@app/llm/usage-ledger.service';
import type { TicketAnalysisMarks } from '@app/tickets/analysis-marks.service';
import { AnalysisRecordsService } from './analysis-records.service';
import { AnalysisTicketsService } from './analysis-tickets.service';
import { AnalysisService } from './analysis.service';
import {
  AnalysisHaltedError,
  AnalysisOutcome,
  AnalysisTicket,
  Analyzer,
  BatchAnswer,
  BatchCapability,
  BilledCall,
} from './analyzer';
import type { AnalysisBatch } from './entities/analysis-batch.entity';
import type { AnalysisBatchRepository } from './repositories/analysis-batch.repository';
import type { AnalysisTicketRepository, AnalysisTicketRow } from './repositories/analysis-ticket.repository';
import type { IssueRepository } from './repositories/issue.repository';
import type { TicketAnalysisRepository } from './repositories/ticket-analysis.repository';
import type { AnalysisSettingsService } from './settings/analysis-settings.service';
import type { EffectiveAnalysisSettings } from './settings/analysis-settings.types';
import type { TaxonomyService } from './taxonomy/taxonomy.service';
import { TEST_TAXONOMY } from './testing';

/**
 * The analyze phase with its repositories faked (no database): the services are the real ones, the repositories
 * and the ledger jest.fn objects over a few in-memory tickets, the analyzer a fake with the capabilities a test
 * gives it.
 */

const ISSUE = {
  category: 'performance',
  subcategory: 'slow_loading',
  issueType: 'bug',
  severity: 'high',
  summary: 'Dashboard takes a minute to load',
  detail: 'The dashboard page is slow for large accounts.',
  quote: 'takes a minute',
  confidence: 0.9,
} as const;

const CALL: BilledCall = {
  model: 'claude-test',
  batch: false,
  usage: { inputTokens: 100, outputTokens: 20, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 },
};

const found = (calls: BilledCall[] = []): AnalysisOutcome => ({
  status: 'issues_found',
  reason: 'the dashboard is slow',
  issues: [{ ...ISSUE }],
  calls,
});

/** In-memory tickets and the jest.fn repositories over them. */
function fakeStore(ids: number[]) {
  const rows = new Map<number, AnalysisTicketRow>(
    ids.map((id) => [
      id,
      {
        zendesk_id: String(id),
        subject: `Ticket ${id}: the dashboard takes a minute to load`,
        description: 'It takes a minute every morning.',
        status: 'open',
        priority: null,
        tags: [],
        created_at: new Date('2026-10-01T10:00:00Z'),
        updated_at: new Date('2026-10-01T10:00:00Z'),
        content_hash: `h${id}`.padEnd(64, '0'),
        analyzed_hash: null,
        deleted_at: null,
        organization: null,
      },
    ]),
  );
  const ticketRepository = {
    pendingIds: jest.fn(async () =>
      [...rows.values()]
        .filter((r) => !r.deleted_at && r.analyzed_hash !== r.content_hash)
        .map((r) => Number(r.zendesk_id)),
    ),
    pendingNotRecordedIn: jest.fn(async (among: number[]) => among),
    ticketsByIds: jest.fn(async (wanted: number[]) => wanted.flatMap((id) => (rows.has(id) ? [rows.get(id)!] : []))),
    commentsOf: jest.fn(async () => []),
  };
  const analyses = {
    insertOne: jest.fn(async (_m: EntityManager, row: { ticketId: number }) => ({ id: `a${row.ticketId}`, ...row })),
    insertFree: jest.fn(async () => undefined),
  };
  const issues = { replaceForTickets: jest.fn(async () => undefined) };
  const marks = {
    markAnalyzed: jest.fn(async (tickets: ReadonlyArray<{ zendeskId: number; contentHash: string }>) => {
      for (const t of tickets) {
        const row = rows.get(t.zendeskId);
        if (row && row.content_hash === t.contentHash) row.analyzed_hash = t.contentHash;
      }
    }),
  };
  const ledger = { record: jest.fn(async () => undefined), cost: jest.fn(() => 0.001) };
  const batches = {
    findOpen: jest.fn(async (): Promise<AnalysisBatch[]> => []),
    countOpen: jest.fn(async () => 0),
    insertSubmitted: jest.fn(async (b: Pick<AnalysisBatch, 'id' | 'runId' | 'model' | 'requests'>) => ({
      ...b,
      status: 'in_progress' as const,
      createdAt: new Date(),
      processedAt: null,
    })),
    markProcessed: jest.fn(async () => undefined),
  };
  return { rows, ticketRepository, analyses, issues, marks, ledger, batches };
}

type Store = ReturnType<typeof fakeStore>;

function service(store: Store, analyzer: Analyzer, settings: Partial<EffectiveAnalysisSettings> = {}) {
  const dataSource = { transaction: jest.fn((work: (m: EntityManager) => unknown) => work({} as EntityManager)) };
  const records = new AnalysisRecordsService(
    dataSource as unknown as DataSource,
    store.analyses as unknown as TicketAnalysisRepository,
    store.issues as unknown as IssueRepository,
    store.marks as unknown as TicketAnalysisMarks,
    store.ledger as unknown as UsageLedger,
  );
  const tickets = new AnalysisTicketsService(store.ticketRepository as unknown as AnalysisTicketRepository);
  const effective: EffectiveAnalysisSettings = {
    mode: 'auto',
    model: 'claude-test',
    modeSource: 'env',
    modelSource: 'env',
    batchMinimum: 100,
    ...settings,
  };
  return new AnalysisService(
    analyzer,
    store.batches as unknown as AnalysisBatchRepository,
    { get: async () => TEST_TAXONOMY } as unknown as TaxonomyService,
    tickets,
    records,
    { effective: async () => effective } as unknown as AnalysisSettingsService,
  );
}

const progress = () => ({ report: jest.fn(async () => undefined), errors: jest.fn(async () => undefined) });

/** An in-process analyzer (no capabilities), like the local one. */
function inProcess(analyze: (t: AnalysisTicket) => Promise<AnalysisOutcome>): Analyzer {
  return { name: 'local', model: 'fake-local-v1', analyze: jest.fn(analyze) };
}

/** A remote analyzer with calls in flight and a model choice, optionally able to batch. */
function remote(analyze: (t: AnalysisTicket) => Promise<AnalysisOutcome>, batch?: BatchCapability): Analyzer {
  return {
    name: 'claude',
    model: 'claude-test',
    concurrency: 2,
    check: jest.fn(async () => undefined),
    models: { use: jest.fn(), list: jest.fn(async () => []), exists: jest.fn(async () => true) },
    analyze: jest.fn(analyze),
    ...(batch ? { batch } : {}),
  };
}

describe('AnalysisService (repositories faked)', () => {
  it('ends every pending ticket with a record, in one set-based write per page for an in-process analyzer', async () => {
    const store = fakeStore([1, 2, 3]);
    const analyzer = inProcess(async (t) =>
      t.zendeskId === 2 ? { status: 'no_product_issue', reason: 'a question', issues: [], calls: [] } : found(),
    );
    const summary = await service(store, analyzer).analyzePending('run-1', progress());

    expect(summary).toMatchObject({ mode: 'local', tickets: 3, issuesFound: 2, noProductIssue: 1, failed: 0 });
    expect(store.analyses.insertFree).toHaveBeenCalledTimes(1);
    const [, written, context] = store.analyses.insertFree.mock.calls[0] as unknown as [
      unknown,
      Array<{ ticketId: number; status: string }>,
      { runId: string; analyzer: string },
    ];
    expect(written.map((r) => [r.ticketId, r.status])).toEqual([
      [1, 'issues_found'],
      [2, 'no_product_issue'],
      [3, 'issues_found'],
    ]);
    expect(context).toMatchObject({ runId: 'run-1', analyzer: 'local' });
    expect(store.analyses.insertOne).not.toHaveBeenCalled();
    expect(await store.ticketRepository.pendingIds()).toEqual([]);
  });

  it('records a ticket the analyzer throws on as failed, leaves it pending, and analyses it again next run', async () => {
    const store = fakeStore([1, 2]);
    let broken = true;
    const analyzer = inProcess(async (t) => {
      if (t.zendeskId === 2 && broken) throw new Error('engine exploded');
      return found();
    });
    const analysis = service(store, analyzer);
    const first = progress();

    expect(await analysis.analyzePending('run-1', first)).toMatchObject({ tickets: 2, issuesFound: 1, failed: 1 });
    const [, written] = store.analyses.insertFree.mock.calls[0] as unknown as [
      unknown,
      Array<{ ticketId: number; status: string; reason: string }>,
    ];
    expect(written.find((r) => r.ticketId === 2)).toMatchObject({
      status: 'failed',
      reason: 'local analyzer error: engine exploded',
    });
    expect(first.errors).toHaveBeenCalledWith([
      { ref: 'ticket 2', message: 'analysis failed: local analyzer error: engine exploded' },
    ]);
    expect(store.marks.markAnalyzed).toHaveBeenCalledWith([expect.objectContaining({ zendeskId: 1 })], {});
    expect(await store.ticketRepository.pendingIds()).toEqual([2]);

    broken = false;
    expect(await analysis.analyzePending('run-2', progress())).toMatchObject({ tickets: 1, issuesFound: 1 });
    expect(analyzer.analyze).toHaveBeenLastCalledWith(expect.objectContaining({ zendeskId: 2 }), TEST_TAXONOMY);
    expect(await store.ticketRepository.pendingIds()).toEqual([]);
  });

  it('records a remote analyzer ticket by ticket with its billed calls, on the run model, without batches', async () => {
    const store = fakeStore([1, 2, 3]);
    const analyzer = remote(async () => found([CALL]));
    const summary = await service(store, analyzer, { mode: 'batch', model: 'claude-chosen' }).analyzePending(
      'run-1',
      progress(),
    );

    expect(analyzer.models?.use).toHaveBeenCalledWith('claude-chosen');
    expect(analyzer.check).toHaveBeenCalled();
    // 'batch' mode, but the analyzer cannot batch: realtime, and no batch is looked up or stored.
    expect(summary).toMatchObject({ mode: 'realtime', tickets: 3, issuesFound: 3, batches: 0 });
    expect(store.batches.findOpen).not.toHaveBeenCalled();
    expect(store.batches.insertSubmitted).not.toHaveBeenCalled();
    expect(store.analyses.insertOne).toHaveBeenCalledTimes(3);
    expect(store.analyses.insertOne.mock.calls[0]![1]).toMatchObject({ calls: 1, costUsd: 0.001, inputTokens: 100 });
    expect(store.ledger.record).toHaveBeenCalledWith([CALL], { runId: 'run-1', ticketId: 1 }, {});
    expect(store.issues.replaceForTickets).toHaveBeenCalledWith({}, [1], [expect.objectContaining(ISSUE)]);
  });

  it('uses the batch capability for large runs: answers recorded, unusable ones retried realtime', async () => {
    const store = fakeStore([1, 2, 3]);
    const submitted: string[] = [];
    const batch: BatchCapability = {
      submit: jest.fn(async (requests) => {
        submitted.push(...requests.map((r) => r.customId));
        return 'batch-1';
      }),
      status: jest.fn(async () => 'ended'),
      results: jest.fn(async () => {
        const batchCall = { ...CALL, batch: true, batchId: 'batch-1' };
        const answers = new Map<string, BatchAnswer>();
        answers.set(submitted[0]!, {
          call: batchCall,
          answer: { kind: 'ok', status: 'issues_found', reason: 'slow', issues: [{ ...ISSUE }] },
        });
        answers.set(submitted[1]!, { call: batchCall, answer: { kind: 'invalid', reason: 'no tool call' } });
        return answers; // the third request did not succeed
      }),
      analyzeRealtime: jest.fn(async (_t, _tax, prior) => found([...prior.calls, CALL])),
    };
    const analyzer = remote(async () => found([CALL]), batch);
    const summary = await service(store, analyzer, { mode: 'auto', batchMinimum: 3 }).analyzePending(
      'run-1',
      progress(),
    );

    expect(summary).toMatchObject({ mode: 'batch', tickets: 3, issuesFound: 3, batches: 1 });
    expect(batch.submit).toHaveBeenCalledTimes(1);
    expect(analyzer.analyze).not.toHaveBeenCalled();
    expect(store.batches.insertSubmitted).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'batch-1', runId: 'run-1', model: 'claude-test' }),
    );
    expect(store.batches.markProcessed).toHaveBeenCalledWith('batch-1');
    // Ticket 2 continues from the batch's invalid answer (one attempt spent), ticket 3 from nothing.
    expect(batch.analyzeRealtime).toHaveBeenCalledTimes(2);
    expect(batch.analyzeRealtime).toHaveBeenCalledWith(
      expect.objectContaining({ zendeskId: 2 }),
      TEST_TAXONOMY,
      expect.objectContaining({ invalidAnswers: 1, calls: [expect.objectContaining({ batchId: 'batch-1' })] }),
    );
    expect(batch.analyzeRealtime).toHaveBeenCalledWith(expect.objectContaining({ zendeskId: 3 }), TEST_TAXONOMY, {
      calls: [],
      invalidAnswers: 0,
      maxTokenStops: 0,
    });
    const batchIds = store.analyses.insertOne.mock.calls.map((c) => (c[1] as unknown as { batchId: string }).batchId);
    expect(batchIds).toEqual(['batch-1', 'batch-1', 'batch-1']);
  });

  it('analyses a small run realtime even when the analyzer can batch', async () => {
    const store = fakeStore([1, 2]);
    const batch: BatchCapability = {
      submit: jest.fn(),
      status: jest.fn(),
      results: jest.fn(),
      analyzeRealtime: jest.fn(),
    };
    const analyzer = remote(async () => found([CALL]), batch);
    const analysis = service(store, analyzer, { mode: 'auto', batchMinimum: 100 });

    expect(await analysis.plan()).toEqual({ shareable: true, ids: [1, 2], model: 'claude-test' });
    expect(await analysis.analyzePending('run-1', progress())).toMatchObject({ mode: 'realtime', tickets: 2 });
    expect(batch.submit).not.toHaveBeenCalled();
    expect(analyzer.analyze).toHaveBeenCalledTimes(2);
  });

  it('stops at a run-stopping error after recording what was in flight (two calls); the rest stays pending', async () => {
    const store = fakeStore([1, 2, 3, 4]);
    const analyzer = remote(async (t) => {
      if (t.zendeskId === 2) throw new AnalysisHaltedError('spend limit reached');
      return found([CALL]);
    });

    await expect(service(store, analyzer).analyzePending('run-1', progress())).rejects.toThrow('spend limit reached');
    const recorded = store.analyses.insertOne.mock.calls.map((c) => (c[1] as unknown as { ticketId: number }).ticketId);
    expect(recorded).toEqual([1]);
    expect(await store.ticketRepository.pendingIds()).toEqual([2, 3, 4]);
  });
});
