import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

/** A provider method carrying a decorator's metadata, bound to its instance. */
export interface MarkedMethod<M> {
  metadata: M;
  fn: (...args: never[]) => unknown;
}

/**
 * The provider methods of the app marked by a decorator (`SetMetadata(key, …)` on the method):
 * how the event bus finds `@OnDomainEvent` handlers and the job registry `@JobHandler`s, at boot.
 */
@Injectable()
export class MarkedMethods {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  find<M>(key: string): Array<MarkedMethod<M>> {
    const found: Array<MarkedMethod<M>> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || wrapper.isAlias) continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const metadata = this.reflector.get<M | undefined>(key, fn);
        if (metadata === undefined) continue;
        found.push({ metadata, fn: (fn as (...args: never[]) => unknown).bind(instance) });
      }
    }
    return found;
  }
}
