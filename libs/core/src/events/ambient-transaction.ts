import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { StatementPart } from '../database/named-statement';

/**
 * The transaction of a request whose idempotency outcome commits with its effects (docs/api.md
 * §1.10 "Exactly once"), opened by the idempotency layer; use cases and repositories join it.
 */
export interface AmbientTransaction {
  /** The open transaction's manager; begins the request's next phase when none is open. */
  join(): Promise<EntityManager>;
  /** The open transaction, lent to code that asks the data source for a query runner; none between phases. */
  lentRunner(): QueryRunner | undefined;
  /**
   * Commits the phase before an outside provider call: the request stays claimed under a lease;
   * `writes` go in the claim's own statement.
   */
  commitBeforeOutsideCall(writes?: StatementPart): Promise<void>;
  /** Stores the outcome with the effects and commits now, for a handler that writes its answer itself. */
  commitOutcome(body: unknown): Promise<void>;
  /** Settles a failure now (stored outcome or released key, with the compensations), for the same handlers. */
  commitFailure(error: unknown): Promise<void>;
  /** Id of the request's idempotency claim; `takenOver` when it continues a claim whose process died. */
  readonly claim: { id: string; takenOver: boolean };
  /** Work due once the transaction committed; the idempotency layer runs it. */
  readonly afterCommit: Array<() => Promise<unknown>>;
}

const storage = new AsyncLocalStorage<AmbientTransaction>();

export const AmbientTransactions = {
  current(): AmbientTransaction | undefined {
    return storage.getStore();
  },
  run<T>(ambient: AmbientTransaction, work: () => Promise<T>): Promise<T> {
    return storage.run(ambient, work);
  },
  /** Runs `work` outside any ambient transaction (after-commit work of a request's phase). */
  outside<T>(work: () => Promise<T>): Promise<T> {
    return storage.exit(work);
  },
  /**
   * Makes every query runner the data source hands out inside a request join the request's open
   * transaction (repositories that query the data source directly included), so no write of the
   * request commits on its own. Its `release` is the request's business, not the borrower's.
   */
  lendRunners(dataSource: DataSource): void {
    const create = dataSource.createQueryRunner.bind(dataSource);
    dataSource.createQueryRunner = (mode) => storage.getStore()?.lentRunner() ?? create(mode);
  },
  /** A view of `runner` whose `release` does nothing (the lender releases it). */
  lend(runner: QueryRunner): QueryRunner {
    return new Proxy(runner, {
      get: (target, property, receiver) =>
        property === 'release' ? () => Promise.resolve() : Reflect.get(target, property, receiver),
    });
  },
};
