import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, Observable, throwError } from 'rxjs';
import { ValidationError } from '@app/core/errors/domain-error';
import type { AuthenticatedRequest } from '@app/core/http/auth-user';
import type { RequestWithRawBody } from './request-gate';
import { requestIdOf } from '@app/core/http/request-id';
import { REPLAY_BODY, ReplayBody, WITHOUT_IDEMPOTENCY_KEY } from '@app/core/idempotency/idempotency-options.decorator';
import { IdempotencyService } from '@app/core/idempotency/idempotency.service';
import { IdempotentReplay } from '@app/core/idempotency/idempotent-replay';
import type { StoredResponse } from '@app/core/idempotency/stored-response';

const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;
const REQUIRED_FOR = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Step 5 of docs/api.md §1.9: every authenticated POST/PUT/PATCH carries an `Idempotency-Key`
 * (DELETE optionally) and runs exactly once under it (docs/api.md §1.10): a finished request's
 * outcome is replayed, a running one is 409. Public routes (auth, webhooks) never have a user and
 * are exempt.
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
    const response = context.switchToHttp().getResponse<Response>();
    const replay = this.reflector.get<ReplayBody | undefined>(REPLAY_BODY, context.getHandler()) ?? ((body) => body);
    // Nest sets the route's status before the handler, which may change it (201 vs 200).
    const outcomeOf = (body: unknown): StoredResponse => ({
      status: response.statusCode,
      headers: replayHeaders(response),
      body: replay(body),
    });
    const idempotent = {
      userId: request.user.id,
      key,
      method: request.method,
      path: request.originalUrl,
      rawBody: request.rawBody ?? Buffer.alloc(0),
    };
    return from(
      this.idempotency
        .execute(
          idempotent,
          () => lastValueFrom(next.handle(), { defaultValue: undefined }),
          outcomeOf,
          requestIdOf(request),
        )
        .then((outcome) => {
          if (outcome.kind === 'replay') throw new IdempotentReplay(outcome.response);
          return outcome.result;
        }),
    );
  }
}

function replayHeaders(response: Response): Record<string, string> {
  const location = response.getHeader('Location');
  return typeof location === 'string' ? { Location: location } : {};
}
