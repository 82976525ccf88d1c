import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { DomainEvent, EventDefinition } from './domain-event';
import {
  AnyEventHandler,
  DOMAIN_EVENT_HANDLER,
  DomainEventHandlerMetadata,
  EVERY_DOMAIN_EVENT_HANDLER,
  EventHandler,
  HandlerMode,
} from './on-domain-event.decorator';
import type { EventDispatcher, Transaction } from './transaction';
import { logReactionFailure, runTxSafe } from './tx-safe';

interface Registration {
  mode: HandlerMode;
  name: string;
  handler: EventHandler<unknown>;
}

/**
 * Dispatches the events a transaction emits to the handlers declared with `@OnDomainEvent` and
 * `@OnEveryDomainEvent` on the providers of the app (found at boot, like `@JobHandler` methods).
 */
@Injectable()
export class EventBus implements EventDispatcher, OnModuleInit {
  private readonly handlers = new Map<string, Registration[]>();
  private readonly everyEventHandlers: AnyEventHandler[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        // The decorators checked the method's signature against the handler type they declare.
        if (this.reflector.get<boolean | undefined>(EVERY_DOMAIN_EVENT_HANDLER, fn)) {
          this.everyEventHandlers.push(fn.bind(instance) as AnyEventHandler);
        }
        const metadata = this.reflector.get<DomainEventHandlerMetadata | undefined>(DOMAIN_EVENT_HANDLER, fn);
        if (metadata) {
          const name = `${prototype.constructor.name}.${method}`;
          this.on(metadata.definition, metadata.mode, name, fn.bind(instance) as EventHandler<unknown>);
        }
      }
    }
  }

  on<P>(definition: EventDefinition<P>, mode: HandlerMode, name: string, handler: EventHandler<P>): void {
    const list = this.handlers.get(definition.type) ?? [];
    list.push({ mode, name, handler: handler as EventHandler<unknown> });
    this.handlers.set(definition.type, list);
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
    const { name } = registration;
    const run = (): Promise<void> => registration.handler(event as DomainEvent<unknown>, tx);
    switch (registration.mode) {
      case 'tx':
        await run();
        break;
      case 'tx-safe':
        await runTxSafe(tx, name, event, run);
        break;
      case 'after-commit':
        tx.afterCommit(() => run().catch((error: unknown) => logReactionFailure(name, event, error)));
        break;
    }
  }
}
