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
export type AnyEventHandler = (
  event: DomainEvent<unknown>,
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

  async dispatch<P>(definition: EventDefinition<P>, event: DomainEvent<P>, tx: Transaction): Promise<void> {
    for (const handler of this.everyEventHandlers) {
      await handler(event as DomainEvent<unknown>, definition as EventDefinition<unknown>, tx);
    }
    for (const registration of this.handlers.get(definition.type) ?? []) {
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
  }

  private logFailure(registration: Registration, event: DomainEvent<unknown>, error: unknown): void {
    this.logger.error(
      { event: event.type, handler: registration.name, user_id: event.userId, err: error },
      `event handler ${registration.name} failed for ${event.type}; the change itself stands`,
    );
  }
}
