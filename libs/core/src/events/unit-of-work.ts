import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AmbientTransactions } from './ambient-transaction';
import { EventBus } from './event-bus';
import { Transaction } from './transaction';

/**
 * Runs a use case in one database transaction. Events emitted through the transaction run their
 * `tx` handlers before commit; `after-commit` work runs once the commit succeeded. Inside an
 * ambient transaction (a request whose idempotency outcome commits with its effects, docs/api.md
 * §1.10) the use case joins it: the outer layer commits and then runs the after-commit work.
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
    if (ambient) return work(new Transaction(ambient.manager, this.bus, ambient.afterCommit));
    const afterCommit: Array<() => Promise<unknown>> = [];
    const result = await this.dataSource.transaction((manager: EntityManager) =>
      work(new Transaction(manager, this.bus, afterCommit)),
    );
    await Transaction.flushAfterCommit(afterCommit, this.logger);
    return result;
  }
}
