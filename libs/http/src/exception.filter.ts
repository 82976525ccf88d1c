import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@app/core/errors/domain-error';
import { toDomainError } from '@app/core/errors/error-envelope';
import { IdempotentReplay } from '@app/core/idempotency/idempotent-replay';
import { sendError } from './error-response';

/** The one place where thrown errors become the error envelope of docs/api.md §1.5; internals only reach the log. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    if (exception instanceof IdempotentReplay) return replay(response, exception);
    const error = toDomainError(exception);
    if (!(exception instanceof DomainError) && error.status >= 500) {
      this.logger.error({ err: loggableError(exception), code: error.code }, 'request failed');
    }
    sendError(request, response, error);
  }
}

/**
 * What of an unknown error is logged: its name, message, stack and driver error code — never
 * TypeORM's `query`/`parameters` (SQL text and bound values: user data, tokens' hashes).
 */
export function loggableError(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) return { name: typeof exception, message: String(exception) };
  const code = (exception as { code?: unknown }).code;
  return {
    name: exception.name,
    message: exception.message,
    stack: exception.stack,
    ...(typeof code === 'string' ? { code } : {}),
  };
}

/** A stored outcome, verbatim (docs/api.md §1.10); the current request's own headers are kept. */
function replay(response: Response, { response: stored }: IdempotentReplay): void {
  for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
  response.setHeader('X-Idempotent-Replayed', 'true');
  if (stored.json === undefined) response.status(stored.status).json(stored.body);
  else response.status(stored.status).type('application/json').send(stored.json);
}
