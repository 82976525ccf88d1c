import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/** A transaction opened by an outer layer (the idempotency interceptor) that use cases join. */
export interface AmbientTransaction {
  manager: EntityManager;
  /** Work due once the outer transaction committed; the outer layer runs it. */
  afterCommit: Array<() => Promise<unknown>>;
}

const storage = new AsyncLocalStorage<AmbientTransaction>();

export const AmbientTransactions = {
  current(): AmbientTransaction | undefined {
    return storage.getStore();
  },
  run<T>(ambient: AmbientTransaction, work: () => Promise<T>): Promise<T> {
    return storage.run(ambient, work);
  },
};
