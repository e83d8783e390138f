import type { AlertsService } from '@app/alerts/alerts.service';
import { AppConfig } from '@app/config/app-config';
import type { IssuesCacheService } from '@app/issues/issues-cache.service';
import type { IssuesQueryService } from '@app/issues/issues-query.service';
import type { TicketImportService } from '@app/tickets/import/ticket-import.service';
import type { SyncTotals, TicketSyncService } from '@app/zendesk/ticket-sync.service';
import { Run, RunStats } from './entities/run.entity';
import { PipelineService, PipelineStep } from './pipeline.service';
import { RunLease, RunRepository } from './repositories/run.repository';
import { RunLeaseLostError, RunLeaseService } from './run-lease.service';
import type { ImportUploadsService } from './uploads/import-uploads.service';

/** The pipeline's order and endings, with the runs table faked: no database, no queue. */
const config = { runLeaseMs: 60_000, runMaxAttempts: 3 } as AppConfig;
const RUN = '6f1c2b9e-3d4a-4f5b-8c7d-0e1f2a3b4c5d';

function makeRun(over: Partial<Run> = {}): Run {
  return {
    id: RUN,
    kind: 'analyze',
    trigger: 'manual',
    status: 'queued',
    phase: 'queued',
    params: {},
    stats: {},
    ...over,
  } as Run;
}

function setup(options: { run?: Run; lease?: Partial<RunLease>; steps?: PipelineStep[]; sync?: SyncTotals[] } = {}) {
  const run = options.run ?? makeRun();
  const lease: RunLease = {
    id: run.id,
    kind: run.kind,
    status: 'queued',
    owner: null,
    claimToken: null,
    attempts: 0,
    heartbeatAt: null,
    expired: false,
    ...options.lease,
  };
  const runs = {
    lease: jest.fn().mockResolvedValue(lease),
    claim: jest.fn().mockResolvedValue(true),
    get: jest.fn().mockResolvedValue(run),
    renew: jest.fn().mockResolvedValue(true),
    failSeen: jest.fn().mockResolvedValue(true),
    finishClaimed: jest.fn().mockResolvedValue(true),
    start: jest.fn().mockResolvedValue(undefined),
    progress: jest.fn().mockResolvedValue(undefined),
    addErrors: jest.fn().mockResolvedValue(undefined),
  };
  const repository = runs as unknown as RunRepository;
  const leases = new RunLeaseService(repository, config);
  const ticketSync = {
    sync: jest.fn(async (opts: { progress?: (t: SyncTotals) => Promise<void> }) => {
      for (const totals of options.sync ?? []) await opts.progress?.(totals);
    }),
  } as unknown as TicketSyncService;
  const cache = { invalidate: jest.fn().mockResolvedValue(undefined) } as unknown as IssuesCacheService;
  const queries = { warm: jest.fn().mockResolvedValue(undefined) } as unknown as IssuesQueryService;
  const alerts = { evaluate: jest.fn().mockResolvedValue(undefined) } as unknown as AlertsService;
  const service = new PipelineService(
    repository,
    leases,
    ticketSync,
    {} as TicketImportService,
    null,
    cache,
    queries,
    {} as ImportUploadsService,
    alerts,
    options.steps ?? [],
  );
  return { service, runs, leases, cache, alerts };
}

/** A step that records its phase in `order`, reports once, then does `then`. */
const step = (phase: PipelineStep['phase'], order: string[], then?: () => void): PipelineStep => ({
  phase,
  run: async (_run, report) => {
    order.push(phase);
    await report(1, 1);
    then?.();
  },
});

const totals = (over: Partial<SyncTotals>): SyncTotals => ({
  ticketsFetched: 0,
  ticketsChanged: 0,
  ticketsUnchanged: 0,
  ticketsDeleted: 0,
  commentsFetched: 0,
  usersSynced: 0,
  organizationsSynced: 0,
  pages: 1,
  changedIds: [],
  errors: [],
  threadStrategy: null,
  ...over,
});

describe('PipelineService', () => {
  it('runs the steps in order, each in its phase, and finishes the run succeeded', async () => {
    const order: string[] = [];
    const { service, runs, cache } = setup({ steps: [step('analyze', order), step('cluster', order)] });
    await service.execute(RUN);
    expect(order).toEqual(['analyze', 'cluster']);
    expect(runs.start.mock.calls.map((c) => c[1])).toEqual(['analyze', 'cluster']);
    expect(runs.progress).toHaveBeenCalledWith(RUN, { phase: 'cluster', done: 0, total: null });
    expect(runs.progress).toHaveBeenCalledWith(RUN, { done: 1, total: 1 });
    expect(runs.finishClaimed).toHaveBeenCalledTimes(1);
    expect(runs.finishClaimed).toHaveBeenCalledWith(RUN, expect.any(String), 'succeeded', undefined);
    expect(runs.addErrors).not.toHaveBeenCalled();
    expect(cache.invalidate).toHaveBeenCalledTimes(1);
  });

  it('finishes the run failed with the message of a step that throws, and runs no later step', async () => {
    const order: string[] = [];
    const failing = step('analyze', order, () => {
      throw new Error('the analyzer is out of credit');
    });
    const { service, runs } = setup({ steps: [failing, step('cluster', order)] });
    await service.execute(RUN);
    expect(order).toEqual(['analyze']);
    expect(runs.addErrors).toHaveBeenCalledWith(RUN, [{ message: 'the analyzer is out of credit' }]);
    expect(runs.finishClaimed).toHaveBeenCalledWith(RUN, expect.any(String), 'failed', 'the analyzer is out of credit');
  });

  it('does not end a run whose lease it lost: the process that took it over ends it', async () => {
    const order: string[] = [];
    const lost = step('analyze', order, () => {
      throw new RunLeaseLostError(RUN);
    });
    const { service, runs, cache } = setup({ steps: [lost, step('cluster', order)] });
    await service.execute(RUN);
    expect(order).toEqual(['analyze']);
    expect(runs.finishClaimed).not.toHaveBeenCalled();
    expect(runs.addErrors).not.toHaveBeenCalled();
    expect(cache.invalidate).toHaveBeenCalledTimes(1);
  });

  it('stops at the next progress report once the lease renewal finds the run taken over', async () => {
    jest.useFakeTimers();
    try {
      const order: string[] = [];
      const hung: PipelineStep = {
        phase: 'analyze',
        run: async (_run, report) => {
          order.push('analyze');
          await jest.advanceTimersByTimeAsync(config.runLeaseMs / 3); // one renewal: the run is no longer its own
          await report(1, 1);
        },
      };
      const { service, runs } = setup({ steps: [hung, step('cluster', order)] });
      runs.renew.mockResolvedValue(false);
      await service.execute(RUN);
      expect(runs.renew).toHaveBeenCalled();
      expect(order).toEqual(['analyze']);
      expect(runs.finishClaimed).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('PipelineService', () => {
  it("adds a resumed attempt's sync counts to the earlier attempt's", async () => {
    const earlier: RunStats = {
      ticketsFetched: 100,
      ticketsChanged: 40,
      commentsFetched: 300,
      threadStrategy: 'events',
    };
    const { service, runs } = setup({
      run: makeRun({ kind: 'sync', status: 'running', phase: 'sync', stats: earlier }),
      lease: {
        status: 'running',
        owner: 'gone:1:a',
        claimToken: 'c0ffee00-0000-4000-8000-000000000000',
        attempts: 1,
        expired: true,
      },
      sync: [
        totals({ ticketsFetched: 5, ticketsChanged: 2, commentsFetched: 7, errors: [{ ref: '#9', message: 'x' }] }),
      ],
    });
    await service.execute(RUN);
    expect(runs.claim).toHaveBeenCalledTimes(1);
    expect(runs.progress).toHaveBeenCalledWith(RUN, {
      done: 5,
      stats: {
        ticketsFetched: 105,
        ticketsChanged: 42,
        ticketsUnchanged: 0,
        ticketsDeleted: 0,
        commentsFetched: 307,
        usersSynced: 0,
        organizationsSynced: 0,
        threadStrategy: 'events',
      },
    });
    expect(runs.addErrors).toHaveBeenCalledWith(RUN, [
      { ref: 'attempt 2', message: expect.stringMatching(/^resumed: /) },
    ]);
    expect(runs.addErrors).toHaveBeenCalledWith(RUN, [{ ref: '#9', message: 'x' }]);
    expect(runs.finishClaimed).toHaveBeenCalledWith(RUN, expect.any(String), 'succeeded', undefined);
  });

  it("counts a first attempt's sync from zero, whatever stats the run has", async () => {
    const { service, runs } = setup({
      run: makeRun({ kind: 'sync', stats: { ticketsFetched: 100 } }),
      sync: [totals({ ticketsFetched: 5 })],
    });
    await service.execute(RUN);
    expect(runs.progress).toHaveBeenCalledWith(
      RUN,
      expect.objectContaining({ stats: expect.objectContaining({ ticketsFetched: 5 }) }),
    );
  });

  it('leaves a run a live process holds: nothing runs and nothing is written', async () => {
    const order: string[] = [];
    const { service, runs } = setup({
      lease: {
        status: 'running',
        owner: 'another-host:4242:b',
        claimToken: 'c0ffee00-0000-4000-8000-000000000000',
        attempts: 1,
      },
      steps: [step('analyze', order)],
    });
    await service.execute(RUN);
    expect(order).toEqual([]);
    expect(runs.claim).not.toHaveBeenCalled();
    expect(runs.finishClaimed).not.toHaveBeenCalled();
  });
});
