import { CallHandler, ExecutionContext, NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { IdempotencyInterceptor } from '@app/http/idempotency.interceptor';

/** The methods an `Idempotency-Key` can apply to (docs/api.md §1.10): reads never pass through it. */
const WRITE_METHODS = new Set([
  RequestMethod.POST,
  RequestMethod.PUT,
  RequestMethod.PATCH,
  RequestMethod.DELETE,
  RequestMethod.ALL,
]);

/** Each application's own interceptor, by its Express instance (a test process runs several apps). */
const interceptors = new WeakMap<object, NestInterceptor>();

/**
 * What the write handlers' metadata names. Handler metadata lives on the controller classes,
 * shared by every application of the process, so it names this one object, which hands the
 * request to the interceptor of the application that received it.
 */
const writeIdempotency: NestInterceptor = {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const interceptor = interceptors.get(context.switchToHttp().getRequest<Request>().app);
    if (!interceptor) throw new Error('bindIdempotencyToWrites was not called for this application');
    return interceptor.intercept(context, next) as Observable<unknown>;
  },
};

/**
 * Puts the idempotency interceptor on every write handler, once at boot, instead of running it
 * globally: Nest builds an interceptor chain (rxjs observables, two `AsyncResource.bind`s) for
 * every request a global interceptor covers, and a read gains nothing from it. It becomes the
 * first method-level interceptor, so it still runs where the global one did (no route declares
 * interceptors of its own before it). Must run before `app.init()` registers the routes.
 */
export function bindIdempotencyToWrites(app: NestExpressApplication): void {
  interceptors.set(app.getHttpAdapter().getInstance() as object, app.get(IdempotencyInterceptor));
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
        if (!own.includes(writeIdempotency)) {
          Reflect.defineMetadata(INTERCEPTORS_METADATA, [writeIdempotency, ...own], handler);
        }
      }
    }
  }
}
