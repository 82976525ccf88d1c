import { NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IdempotencyInterceptor } from '@app/core/idempotency/idempotency.interceptor';

/** The methods an `Idempotency-Key` can apply to (docs/api.md §1.10): reads never pass through it. */
const WRITE_METHODS = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
  RequestMethod.ALL,
]);

/**
 * Puts the idempotency interceptor on every write handler, once at boot, instead of running it
 * globally: Nest builds an interceptor chain (rxjs observables, two `AsyncResource.bind`s) for
 * every request a global interceptor covers, and a read gains nothing from it. It becomes the
 * first method-level interceptor, so it still runs where the global one did (no route declares
 * interceptors of its own before it). Must run before `app.init()` registers the routes.
 */
export function bindIdempotencyToWrites(app: NestExpressApplication): void {
  const interceptor = app.get(IdempotencyInterceptor);
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype?: object } | undefined)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || !WRITE_METHODS.has(method)) continue;
        const own = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as NestInterceptor[] | undefined) ?? [];
        if (!own.includes(interceptor)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...own], handler);
      }
    }
  }
}
