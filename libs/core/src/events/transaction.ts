import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestContext } from '../context/request-context';
import type { ActivitySource } from '../database/enums';
import type { DomainEvent, EventDefinition } from './domain-event';

export interface EmitOptions {
  userId: string;
  source: ActivitySource;
  /** Defaults to the current request's id, if any. */
  requestId?: string | null;
  /** Defaults to now; jobs pass their (possibly simulated) clock. */
  occurredAt?: Date;
}

/** What a transaction needs of the event bus: running the handlers of the events it emits. */
export interface EventDispatcher {
  dispatch<P>(definition: EventDefinition<P>, events: ReadonlyArray<DomainEvent<P>>, tx: Transaction): Promise<void>;
}

/** A database transaction that also carries the events it emits and the work due after commit. */
export class Transaction {
  private savepoints = 0;

  constructor(
    readonly manager: EntityManager,
    private readonly bus: EventDispatcher,
    private readonly afterCommitQueue: Array<() => Promise<unknown>>,
  ) {}

  async emit<P>(definition: EventDefinition<P>, payload: P, options: EmitOptions): Promise<DomainEvent<P>> {
    const [event] = await this.emitAll(definition, [{ payload, options }]);
    return event;
  }

  /** Emits many events of one type at once (a job's batch): the activity log writes them in one statement. */
  async emitAll<P>(
    definition: EventDefinition<P>,
    emissions: ReadonlyArray<{ payload: P; options: EmitOptions }>,
  ): Promise<Array<DomainEvent<P>>> {
    const events = emissions.map(({ payload, options }) => this.prepare(definition, payload, options));
    await this.bus.dispatch(definition, events, this);
    return events;
  }

  /**
   * The event `emit` would dispatch, built without dispatching it: for a change whose own
   * statement writes the event's activity entry (`activityRowOf`), then `emitWritten`.
   */
  prepare<P>(definition: EventDefinition<P>, payload: P, options: EmitOptions): DomainEvent<P> {
    return {
      type: definition.type,
      userId: options.userId,
      source: RequestContext.sourceOf(options.source),
      requestId: options.requestId === undefined ? RequestContext.requestId() : options.requestId,
      occurredAt: options.occurredAt ?? new Date(),
      payload,
    };
  }

  /** Dispatches a prepared event whose activity entry the change's statement already wrote. */
  async emitWritten<P>(definition: EventDefinition<P>, event: DomainEvent<P>): Promise<void> {
    await this.bus.dispatch(definition, [{ ...event, activityWritten: true }], this);
  }

  afterCommit(work: () => Promise<unknown>): void {
    this.afterCommitQueue.push(work);
  }

  /** Runs `work` under a savepoint: its failure rolls back only its own writes, then rethrows. */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    await this.manager.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await this.manager.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  /** Runs the after-commit queue; failures are logged, never thrown (docs/README.md §2 invariant 4). */
  static async flushAfterCommit(queue: Array<() => Promise<unknown>>, logger: Logger): Promise<void> {
    for (const work of queue) {
      await work().catch((error: unknown) => logger.error({ err: error }, 'after-commit work failed'));
    }
  }
}
