import { AppConfig } from '@app/config/app-config';
import { PipelineQueue } from './queue/pipeline-queue';
import { RunLeaseService } from './run-lease.service';
import { RunReaperService } from './run-reaper.service';
import { RunLease, RunRepository } from './repositories/run.repository';
import { RunsService } from './runs.service';
import { ImportUploadsService } from './uploads/import-uploads.service';

/** Bull's failed event → the run: which failures end a run, and which leave it to the execution holding it. */
describe('RunReaperService.jobFailed', () => {
  const config = { runLeaseMs: 60_000, runMaxAttempts: 3, redisUrl: 'redis://x' } as AppConfig;
  const RUN = '0b5f0e0a-6f0e-4a43-9b8a-2d3c7c1f0a11';

  function setup(lease: Partial<RunLease>) {
    const row: RunLease = {
      id: RUN,
      kind: 'sync',
      status: 'running',
      owner: 'elsewhere:1:a',
      claimToken: null,
      attempts: 0,
      heartbeatAt: new Date('2026-12-01T10:00:00Z'),
      expired: false,
      ...lease,
    };
    const failSeen = jest.fn().mockResolvedValue(true);
    const runService = { onActiveRunFound: jest.fn() } as unknown as RunsService;
    const runs = {
      lease: jest.fn().mockResolvedValue(row),
      failSeen,
    } as unknown as RunRepository;
    const leases = new RunLeaseService(runs, config);
    const purgeOrphans = jest.fn().mockResolvedValue(0);
    const uploads = { purgeOrphans } as unknown as ImportUploadsService;
    const reaper = new RunReaperService(runService, runs, leases, {} as PipelineQueue, uploads, config);
    return { reaper, failSeen, purgeOrphans };
  }

  it('ends a run whose job failed for good before any execution took it, and deletes its upload', async () => {
    const { reaper, failSeen, purgeOrphans } = setup({});
    await reaper.jobFailed(`run:${RUN}:1`, 'connect ECONNREFUSED', true);
    expect(failSeen).toHaveBeenCalledWith(
      expect.objectContaining({ id: RUN }),
      'Its job failed in the queue (attempt 1): connect ECONNREFUSED',
    );
    expect(purgeOrphans).toHaveBeenCalledTimes(1);
  });

  it("ends a run whose executing worker is gone when its job stalled past Bull's limit", async () => {
    const { reaper, failSeen } = setup({
      claimToken: 'c0ffee00-0000-4000-8000-000000000000',
      attempts: 2,
      expired: true,
    });
    await reaper.jobFailed(`run:${RUN}:2`, 'job stalled more than allowable limit', true);
    expect(failSeen.mock.calls[0]?.[1]).toMatch(
      /^Its job failed in the queue \(attempt 2\): job stalled more than allowable limit; the worker running it \(elsewhere:1:a\) stopped responding; last seen 2026-12-01T10:00:00.000Z$/,
    );
  });

  it("leaves the run alone while the job will be retried, when an older attempt's job fails, or while a live worker holds it", async () => {
    const retried = setup({});
    await retried.reaper.jobFailed(`run:${RUN}:1`, 'boom', false);
    expect(retried.failSeen).not.toHaveBeenCalled();

    const superseded = setup({ attempts: 1 }); // resumed: attempt 2's job is queued
    await superseded.reaper.jobFailed(`run:${RUN}:1`, 'job stalled more than allowable limit', true);
    expect(superseded.failSeen).not.toHaveBeenCalled();

    const live = setup({ claimToken: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1, expired: false });
    await live.reaper.jobFailed(`run:${RUN}:1`, 'job stalled more than allowable limit', true);
    expect(live.failSeen).not.toHaveBeenCalled();

    const help = setup({});
    await help.reaper.jobFailed(`run:${RUN}:help:1`, 'boom', true);
    expect(help.failSeen).not.toHaveBeenCalled();
  });
});
