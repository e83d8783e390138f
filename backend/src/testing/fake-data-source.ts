import { DataSource, EntityManager } from 'typeorm';

/**
 * A DataSource for unit specs that fake the repositories: `transaction(work)` runs `work` on `tx`, and `manager` is
 * the manager used outside transactions.
 */
export function fakeDataSource(tx: EntityManager, manager = {} as EntityManager): DataSource {
  return {
    manager,
    transaction: async (work: (m: EntityManager) => Promise<unknown>) => work(tx),
  } as unknown as DataSource;
}
