import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { catchError, finalize, mergeMap } from 'rxjs/operators';
import { ValidationError } from '../errors/domain-error';
import { toDomainError, toErrorEnvelope } from '../errors/error-envelope';
import type { AuthenticatedRequest } from '../http/auth-user';
import type { RequestWithRawBody } from '../http/request-gate';
import { requestIdOf } from '../http/request-id';
import { EXACTLY_ONCE } from './exactly-once.decorator';
import { REPLAY_BODY, ReplayBody, WITHOUT_IDEMPOTENCY_KEY } from './idempotency-options.decorator';
import { IdempotencyRequest, IdempotencyService, StoredResponse } from './idempotency.service';
import { IdempotentReplay } from './idempotent-replay';

const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;
const REQUIRED_FOR = new Set(['POST', 'PUT', 'PATCH']);
const LEASE_RENEW_MS = 20_000;

/**
 * Step 5 of docs/api.md §1.9: every authenticated POST/PUT/PATCH carries an `Idempotency-Key`
 * (DELETE optionally); a finished request's outcome is replayed, a running one is 409.
 * Public routes (auth, webhooks) never have a user and are exempt.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & RequestWithRawBody>();
    const key = request.headers['idempotency-key'];
    const applies = REQUIRED_FOR.has(request.method) || (request.method === 'DELETE' && key !== undefined);
    if (!request.user || !applies || this.reflector.get<boolean>(WITHOUT_IDEMPOTENCY_KEY, context.getHandler())) {
      return next.handle();
    }
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      const message = key === undefined ? 'is required on this request' : 'must be 1–255 printable ASCII characters';
      return throwError(() => ValidationError.field('Idempotency-Key', message));
    }
    const idempotent: IdempotencyRequest = {
      userId: request.user.id,
      key,
      method: request.method,
      path: request.originalUrl,
      rawBody: request.rawBody ?? Buffer.alloc(0),
    };
    if (this.reflector.get<boolean>(EXACTLY_ONCE, context.getHandler())) {
      return from(this.exactlyOnce(idempotent, context, next, requestIdOf(request)));
    }
    return from(this.idempotency.claim(idempotent)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') return throwError(() => new IdempotentReplay(claim.response));
        const renew = setInterval(
          () => void this.idempotency.renewLease(claim.id).catch(() => undefined),
          LEASE_RENEW_MS,
        );
        const response = context.switchToHttp().getResponse<Response>();
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            // Nest sets the route's status before the handler, which may change it (201 vs 200).
            await this.idempotency.complete(claim.id, {
              status: response.statusCode,
              headers: replayHeaders(response),
              body,
            });
            return body;
          }),
          catchError((error: unknown) => from(this.recordFailure(claim.id, error, requestIdOf(request)))),
          finalize(() => clearInterval(renew)),
        );
      }),
    );
  }

  private async exactlyOnce(
    request: IdempotencyRequest,
    context: ExecutionContext,
    next: CallHandler,
    requestId: string,
  ): Promise<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    const replay = this.reflector.get<ReplayBody | undefined>(REPLAY_BODY, context.getHandler()) ?? ((body) => body);
    try {
      const outcome = await this.idempotency.runInTransaction(
        request,
        () => lastValueFrom(next.handle(), { defaultValue: undefined }),
        (body) => ({ status: response.statusCode, headers: replayHeaders(response), body: replay(body) }),
      );
      if (outcome.kind === 'replay') throw new IdempotentReplay(outcome.response);
      return outcome.result;
    } catch (error) {
      if (error instanceof IdempotentReplay) throw error;
      // The effects rolled back; a replayable outcome (a 4xx) is stored on its own.
      const domainError = toDomainError(error);
      if (IdempotencyService.isStored(domainError.status, domainError.code)) {
        await this.idempotency.storeOutcome(request, {
          status: domainError.status,
          headers: {},
          body: toErrorEnvelope(domainError, requestId),
        });
      }
      throw error;
    }
  }

  private async recordFailure(id: string, error: unknown, requestId: string): Promise<never> {
    const domainError = toDomainError(error);
    if (IdempotencyService.isStored(domainError.status, domainError.code)) {
      const stored: StoredResponse = {
        status: domainError.status,
        headers: {},
        body: toErrorEnvelope(domainError, requestId),
      };
      await this.idempotency.complete(id, stored);
    } else {
      await this.idempotency.release(id).catch(() => undefined);
    }
    throw error;
  }
}

function replayHeaders(response: Response): Record<string, string> {
  const location = response.getHeader('Location');
  return typeof location === 'string' ? { Location: location } : {};
}
