import { HttpException } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError, ErrorDetail } from './domain-error';
import type { ErrorCode } from './error-codes';

export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: ErrorDetail[];
    request_id: string;
    [extra: string]: unknown;
  };
}

const DATABASE_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

export class DatabaseUnavailableError extends DomainError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'The database is unavailable; retry shortly', { retryAfter: 5 });
  }
}

export class InternalError extends DomainError {
  constructor() {
    super('INTERNAL_ERROR', 'An unexpected error occurred');
  }
}

function isDatabaseDown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // TypeORM releases a transaction's query runner when its connection dies; the next statement of
  // that transaction (often COMMIT) then fails with one of these instead of the connection's error.
  if (error instanceof QueryRunnerAlreadyReleasedError || error instanceof QueryRunnerProviderAlreadyReleasedError) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && DATABASE_DOWN_CODES.has(code)) return true;
  const driverError = (error as { driverError?: unknown }).driverError;
  if (driverError && driverError !== error && isDatabaseDown(driverError)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(error.message);
}

/** Maps anything thrown to the DomainError the client sees; unknown errors become 500 (or 503 when the database is down). */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) return fromHttpException(error);
  if (isDatabaseDown(error)) return new DatabaseUnavailableError();
  return new InternalError();
}

/** The code of a Nest HTTP exception's status (routing and the framework's own refusals). */
const HTTP_EXCEPTION_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMIT_EXCEEDED',
};

function fromHttpException(error: HttpException): DomainError {
  const status = error.getStatus();
  if (status >= 500) return new InternalError();
  // No Nest exception of another 4xx status is thrown: CONFLICT is the neutral fallback.
  const code = HTTP_EXCEPTION_CODES[status] ?? 'CONFLICT';
  return new DomainError(code, error.message, status === 400 ? { details: [] } : {});
}

export function toErrorEnvelope(error: DomainError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...error.extra,
      request_id: requestId,
    },
  };
}
