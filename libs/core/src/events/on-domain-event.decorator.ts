import { SetMetadata } from '@nestjs/common';
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

export const DOMAIN_EVENT_HANDLER = 'perpetua:domainEventHandler';
export const EVERY_DOMAIN_EVENT_HANDLER = 'perpetua:everyDomainEventHandler';

export interface DomainEventHandlerMetadata {
  definition: EventDefinition<unknown>;
  mode: HandlerMode;
}

type HandlerDecorator<H> = <M extends H>(
  target: object,
  key: string | symbol,
  method: TypedPropertyDescriptor<M>,
) => void;

/** Marks a provider method as a handler of `definition`'s events, run in `mode`; the EventBus discovers it at boot. */
export function OnDomainEvent<P>(definition: EventDefinition<P>, mode: HandlerMode): HandlerDecorator<EventHandler<P>> {
  const metadata: DomainEventHandlerMetadata = { definition: definition as EventDefinition<unknown>, mode };
  return (target, key, method) => SetMetadata(DOMAIN_EVENT_HANDLER, metadata)(target, key, method);
}

/** Marks a provider method as a `tx` handler of every event (the activity log); the EventBus discovers it at boot. */
export function OnEveryDomainEvent(): HandlerDecorator<AnyEventHandler> {
  return (target, key, method) => SetMetadata(EVERY_DOMAIN_EVENT_HANDLER, true)(target, key, method);
}
