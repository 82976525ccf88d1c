import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent, EventDefinition } from './domain-event';
import type { Transaction } from './transaction';

/**
 * Handler modes of docs/jobs.md §5: `tx` runs inside the transaction and aborts it on failure;
 * `tx-safe` runs under a savepoint and only logs a failure; `after-commit` runs once the
 * transaction committed and only logs a failure. (Jobs are enqueued by `tx` handlers.)
 */
export type HandlerMode = 'tx' | 'tx-safe' | 'after-commit';
export type EventHandler<P> = (event: DomainEvent<P>, tx: Transaction) => Promise<void>;
/** Receives every event of one emission at once (a job's batch emits thousands of the same type). */
export type AnyEventHandler = (
  events: ReadonlyArray<DomainEvent<unknown>>,
  definition: EventDefinition<unknown>,
  tx: Transaction,
) => Promise<void>;

interface Registration {
  mode: HandlerMode;
  name: string;
  handler: EventHandler<unknown>;
}

@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly handlers = new Map<string, Registration[]>();
  private readonly everyEventHandlers: AnyEventHandler[] = [];

  on<P>(definition: EventDefinition<P>, mode: HandlerMode, name: string, handler: EventHandler<P>): void {
    const list = this.handlers.get(definition.type) ?? [];
    list.push({ mode, name, handler: handler as EventHandler<unknown> });
    this.handlers.set(definition.type, list);
  }

  /** A `tx` handler for every event (the activity log). */
  onEvery(handler: AnyEventHandler): void {
    this.everyEventHandlers.push(handler);
  }

  /**
   * Dispatches events of one type emitted together: every-event handlers see them all in one call,
   * then each event goes through the type's handlers, in order.
   */
  async dispatch<P>(
    definition: EventDefinition<P>,
    events: ReadonlyArray<DomainEvent<P>>,
    tx: Transaction,
  ): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.everyEventHandlers) {
      await handler(events as ReadonlyArray<DomainEvent<unknown>>, definition as EventDefinition<unknown>, tx);
    }
    const registrations = this.handlers.get(definition.type) ?? [];
    for (const event of events) {
      for (const registration of registrations) await this.runHandler(registration, event, tx);
    }
  }

  private async runHandler<P>(registration: Registration, event: DomainEvent<P>, tx: Transaction): Promise<void> {
    const run = (): Promise<void> => registration.handler(event as DomainEvent<unknown>, tx);
    switch (registration.mode) {
      case 'tx':
        await run();
        break;
      case 'tx-safe':
        await tx.savepoint(run).catch((error: unknown) => this.logFailure(registration, event, error));
        break;
      case 'after-commit':
        tx.afterCommit(() => run().catch((error: unknown) => this.logFailure(registration, event, error)));
        break;
    }
  }

  private logFailure<P>(registration: Registration, event: DomainEvent<P>, error: unknown): void {
    this.logger.error(
      { event: event.type, handler: registration.name, user_id: event.userId, err: error },
      `event handler ${registration.name} failed for ${event.type}; the change itself stands`,
    );
  }
}
