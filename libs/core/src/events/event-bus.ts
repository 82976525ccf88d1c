import { Injectable, OnModuleInit } from '@nestjs/common';
import type { DomainEvent, EventDefinition } from './domain-event';
import {
  AnyEventHandler,
  DOMAIN_EVENT_HANDLER,
  DomainEventHandlerMetadata,
  EVERY_DOMAIN_EVENT_HANDLER,
  EventHandler,
} from './on-domain-event.decorator';
import { MarkedMethods } from '../discovery/marked-methods';
import { MetricsService } from '../metrics/metrics.service';
import type { EventDispatcher, Transaction } from './transaction';

/**
 * Dispatches the events a transaction emits to the handlers declared with `@OnDomainEvent` and
 * `@OnEveryDomainEvent` on the providers of the app (found at boot, like `@JobHandler` methods).
 */
@Injectable()
export class EventBus implements EventDispatcher, OnModuleInit {
  private readonly handlers = new Map<string, Array<EventHandler<unknown>>>();
  private readonly everyEventHandlers: AnyEventHandler[] = [];

  constructor(
    private readonly marked: MarkedMethods,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // The decorators checked each method's signature against the handler type they declare.
    for (const { fn } of this.marked.find<true>(EVERY_DOMAIN_EVENT_HANDLER))
      this.everyEventHandlers.push(fn as AnyEventHandler);
    for (const { metadata, fn } of this.marked.find<DomainEventHandlerMetadata>(DOMAIN_EVENT_HANDLER)) {
      this.on(metadata.definition, fn as EventHandler<unknown>);
    }
  }

  private on<P>(definition: EventDefinition<P>, handler: EventHandler<P>): void {
    const list = this.handlers.get(definition.type) ?? [];
    list.push(handler as EventHandler<unknown>);
    this.handlers.set(definition.type, list);
  }

  /**
   * Dispatches events of one type emitted together: every-event handlers see them all in one call,
   * then each event goes through the type's handlers, in order; the metrics they add to are counted
   * once the transaction committed.
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
    const handlers = this.handlers.get(definition.type) ?? [];
    for (const event of events) {
      for (const handler of handlers) await handler(event as DomainEvent<unknown>, tx);
    }
    const { counted } = definition;
    if (counted) {
      const counts = events.map((event) => counted(event.payload));
      tx.afterCommit(async () => counts.forEach((count) => this.metrics.count(count)));
    }
  }
}
