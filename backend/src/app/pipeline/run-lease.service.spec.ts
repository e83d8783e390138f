import { hostname } from 'node:os';
import { AppConfig } from '@app/config/app-config';
import { Run } from './entities/run.entity';
import { RunLease, RunRepository } from './repositories/run.repository';
import { RunLeaseService } from './run-lease.service';

/** Who executes a run: the claim's decisions, with the runs table faked. */
const config = { runLeaseMs: 60_000, runMaxAttempts: 3 } as AppConfig;
const RUN = '0d9a6c55-7a4e-4e0b-9f3f-5b0c1d2e3f40';
const TOKEN = 'c0ffee00-0000-4000-8000-000000000000';

function setup(lease: Partial<RunLease> | null) {
  const row: RunLease | null = lease && {
    id: RUN,
    kind: 'sync',
    status: 'running',
    owner: null,
    claimToken: null,
    attempts: 0,
    heartbeatAt: null,
    expired: false,
    ...lease,
  };
  const runs = {
    lease: jest.fn().mockResolvedValue(row),
    claim: jest.fn().mockResolvedValue(true),
    get: jest.fn().mockResolvedValue({ id: RUN } as Run),
    renew: jest.fn().mockResolvedValue(true),
    failSeen: jest.fn().mockResolvedValue(true),
    finishClaimed: jest.fn().mockResolvedValue(true),
    addErrors: jest.fn().mockResolvedValue(undefined),
  };
  const leases = new RunLeaseService(runs as unknown as RunRepository, config);
  return { leases, runs };
}

describe('RunLeaseService.claim', () => {
  it('takes a new run for this process: first attempt, no error recorded', async () => {
    const { leases, runs } = setup({ status: 'queued' });
    const claim = await leases.claim(RUN);
    claim?.end();
    expect(claim?.attempt).toBe(1);
    expect(runs.claim).toHaveBeenCalledWith(
      expect.objectContaining({ id: RUN }),
      leases.owner,
      expect.any(String),
      60_000,
    );
    expect(runs.addErrors).not.toHaveBeenCalled();
  });

  it('returns null for a run a live process on another host holds, without touching it', async () => {
    const { leases, runs } = setup({ owner: 'elsewhere:4242:b', claimToken: TOKEN, attempts: 1 });
    expect(await leases.claim(RUN)).toBeNull();
    expect(runs.claim).not.toHaveBeenCalled();
    expect(runs.failSeen).not.toHaveBeenCalled();
  });

  it('returns null for a run that ended, or is gone', async () => {
    expect(await setup({ status: 'succeeded' }).leases.claim(RUN)).toBeNull();
    expect(await setup(null).leases.claim(RUN)).toBeNull();
  });

  it('takes over a run whose lease ran out, counting the attempt and saying why', async () => {
    const { leases, runs } = setup({ owner: 'elsewhere:4242:b', claimToken: TOKEN, attempts: 1, expired: true });
    const claim = await leases.claim(RUN);
    claim?.end();
    expect(claim?.attempt).toBe(2);
    expect(runs.addErrors).toHaveBeenCalledWith(RUN, [
      { ref: 'attempt 2', message: expect.stringMatching(/^resumed: the process running it \(elsewhere:4242:b\)/) },
    ]);
  });

  it('takes over at once a run whose owner on this host is a process that no longer exists', async () => {
    const { leases } = setup({ owner: `${hostname()}:2147483646:b`, claimToken: TOKEN, attempts: 1 });
    const claim = await leases.claim(RUN);
    claim?.end();
    expect(claim?.attempt).toBe(2);
  });

  it('fails a run whose executions died RUN_MAX_ATTEMPTS times instead of taking it again', async () => {
    const { leases, runs } = setup({ owner: 'elsewhere:4242:b', claimToken: TOKEN, attempts: 3, expired: true });
    expect(await leases.claim(RUN)).toBeNull();
    expect(runs.claim).not.toHaveBeenCalled();
    expect(runs.failSeen.mock.calls[0]?.[1]).toMatch(/Given up after 3 of RUN_MAX_ATTEMPTS=3 attempts/);
  });

  it('tries again when another process changed the run first, and gives up after five tries', async () => {
    const { leases, runs } = setup({ status: 'queued' });
    runs.claim.mockResolvedValue(false);
    expect(await leases.claim(RUN)).toBeNull();
    expect(runs.claim).toHaveBeenCalledTimes(5);
  });

  it('finishes the run under its own claim token, and stops renewing when it ends', async () => {
    jest.useFakeTimers();
    try {
      const { leases, runs } = setup({ status: 'queued' });
      const claim = await leases.claim(RUN);
      const token = runs.claim.mock.calls[0]?.[2] as string;
      await jest.advanceTimersByTimeAsync(20_000);
      expect(runs.renew).toHaveBeenCalledWith(RUN, token, 60_000);
      await claim?.finish('succeeded');
      claim?.end();
      expect(runs.finishClaimed).toHaveBeenCalledWith(RUN, token, 'succeeded', undefined);
      runs.renew.mockClear();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(runs.renew).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});
