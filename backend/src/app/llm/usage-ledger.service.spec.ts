import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Pricing, PriceTable } from './pricing/pricing';
import type { UsageRepository, UsageRow } from './repositories/usage.repository';
import { BilledCall, UsageLedger } from './usage-ledger.service';

const TABLE: PriceTable = {
  multipliers: { batch: 0.5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
  models: [{ prefix: 'claude-test', input: 3, output: 15 }],
};

const call = (model: string, batch = false): BilledCall => ({
  model,
  batch,
  batchId: batch ? 'msgbatch_1' : null,
  usage: { inputTokens: 1_000_000, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 },
});

describe('UsageLedger (repository faked)', () => {
  const insert = jest.fn(async (_rows: readonly UsageRow[], _manager?: EntityManager) => undefined);
  const ledger = new UsageLedger({ insert } as unknown as UsageRepository, new Pricing(TABLE));
  beforeEach(() => insert.mockClear());

  it('writes one priced row per call, with the run and ticket, in the caller’s transaction', async () => {
    const manager = {} as EntityManager;
    await ledger.record([call('claude-test-1'), call('claude-test-1', true)], { runId: 'r1', ticketId: 7 }, manager);

    expect(insert).toHaveBeenCalledTimes(1);
    const [rows, used] = insert.mock.calls[0]!;
    expect(used).toBe(manager);
    expect(rows).toEqual([
      expect.objectContaining({ runId: 'r1', ticketId: 7, batch: false, batchId: null, costUsd: 3 }),
      expect.objectContaining({ runId: 'r1', ticketId: 7, batch: true, batchId: 'msgbatch_1', costUsd: 1.5 }),
    ]);
  });

  it('writes nothing for no calls, and an unknown cost (warned once per model) for an unpriced model', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await ledger.record([], { runId: null, ticketId: null });
    expect(insert).not.toHaveBeenCalled();

    await ledger.record([call('gpt-unknown'), call('gpt-unknown')], { runId: null, ticketId: null });
    expect(insert.mock.calls[0]![0].map((r) => r.costUsd)).toEqual([null, null]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(ledger.priced('gpt-unknown')).toBe(false);
    expect(ledger.priced('claude-test-2')).toBe(true);
    warn.mockRestore();
  });
});
