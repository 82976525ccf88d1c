import { SetMetadata } from '@nestjs/common';
import type { DomainEvent, EventDefinition } from './domain-event';
import type { Transaction } from './transaction';

/**
 * A handler runs inside the change's transaction and a failure aborts the change (docs/jobs.md §5).
 * A reaction that must not abort it is a direct call through `runTxSafe`; work after the commit is
 * `tx.afterCommit`, and the metrics an event adds to are declared on its definition (`counted`).
 */
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
}

type HandlerDecorator<H> = <M extends H>(
  target: object,
  key: string | symbol,
  method: TypedPropertyDescriptor<M>,
) => void;

/** Marks a provider method as a handler of `definition`'s events; the EventBus discovers it at boot. */
export function OnDomainEvent<P>(definition: EventDefinition<P>): HandlerDecorator<EventHandler<P>> {
  const metadata: DomainEventHandlerMetadata = { definition: definition as EventDefinition<unknown> };
  return (target, key, method) => SetMetadata(DOMAIN_EVENT_HANDLER, metadata)(target, key, method);
}

/** Marks a provider method as a handler of every event (the activity log); the EventBus discovers it at boot. */
export function OnEveryDomainEvent(): HandlerDecorator<AnyEventHandler> {
  return (target, key, method) => SetMetadata(EVERY_DOMAIN_EVENT_HANDLER, true)(target, key, method);
}
