import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runPart, StatementPart } from '../database/named-statement';
import { AmbientTransactions } from './ambient-transaction';
import { EventBus } from './event-bus';
import { Transaction } from './transaction';

/**
 * Runs a use case in one database transaction. Events emitted through the transaction run their
 * `tx` handlers before commit; `after-commit` work runs once the commit succeeded. Inside a
 * request's ambient transaction (its idempotency outcome commits with its effects, docs/api.md
 * §1.10) the use case joins it: the idempotency layer commits and then runs the after-commit work.
 */
@Injectable()
export class UnitOfWork {
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const ambient = AmbientTransactions.current();
    if (ambient) return work(new Transaction(await ambient.join(), this.bus, ambient.afterCommit));
    const afterCommit: Array<() => Promise<unknown>> = [];
    const result = await this.dataSource.transaction((manager: EntityManager) =>
      work(new Transaction(manager, this.bus, afterCommit)),
    );
    await Transaction.flushAfterCommit(afterCommit, this.logger);
    return result;
  }

  /**
   * Called right before an outside provider call (AI, payments, transcription): inside a request it
   * commits the claim with what ran so far (e.g. the credit reservation), so that no transaction
   * stays open during the call (docs/api.md §1.10 "Exactly once"); elsewhere it does nothing.
   * `writes`, the use case's last writes before the call, go in the claim's own statement inside a
   * request and run in `tx` elsewhere (docs/round-trips.md §6).
   */
  async commitBeforeOutsideCall(writes?: { tx: Transaction; part: StatementPart }): Promise<void> {
    const ambient = AmbientTransactions.current();
    if (ambient) await ambient.commitBeforeOutsideCall(writes?.part);
    else if (writes) await runPart(writes.tx.manager, writes.part);
  }

  /**
   * For a handler that writes its answer itself (the chat stream): commits its effects with the
   * stored outcome `body` before the answer goes out; elsewhere it does nothing.
   */
  async commitOutcome(body: unknown): Promise<void> {
    await AmbientTransactions.current()?.commitOutcome(body);
  }

  /**
   * The failure counterpart of {@link commitOutcome}: what the handler wrote to compensate (e.g. a
   * released reservation) commits with the failure's outcome before the handler answers.
   */
  async commitFailure(error: unknown): Promise<void> {
    await AmbientTransactions.current()?.commitFailure(error);
  }

  /** The request's idempotency claim id, reused as the id of what it reserves, if inside a request. */
  claim(): { id: string; takenOver: boolean } | undefined {
    return AmbientTransactions.current()?.claim;
  }
}
