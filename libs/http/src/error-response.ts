import type { Request, Response } from 'express';
import type { DomainError } from '@app/core/errors/domain-error';
import type { ErrorCode } from '@app/core/errors/error-codes';
import { toErrorEnvelope } from '@app/core/errors/error-envelope';
import { requestIdOf } from '@app/core/http/request-id';
import { rateLimitHeaders } from '@app/core/rate-limit/rate-limiter';

/** The bearer challenge of each 401 code that carries one (docs/api.md §1.4, RFC 6750). */
const CHALLENGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Bearer',
  TOKEN_EXPIRED: 'Bearer error="invalid_token", error_description="The access token expired"',
};

/** The headers an error answer carries, derived from the error's data (docs/api.md §1.8, §1.12). */
export function errorHeaders(error: DomainError): Record<string, string> {
  const headers = error.rateLimit ? rateLimitHeaders(error.rateLimit) : {};
  if (error.retryAfter !== undefined) headers['Retry-After'] = String(error.retryAfter);
  const challenge = CHALLENGES[error.code];
  if (challenge) headers['WWW-Authenticate'] = challenge;
  return headers;
}

/** Writes the error envelope with the code's status and the error's headers (filter and pre-routing gate alike). */
export function sendError(request: Request, response: Response, error: DomainError): void {
  for (const [name, value] of Object.entries(errorHeaders(error))) response.setHeader(name, value);
  (response.locals as { errorCode?: string }).errorCode = error.code;
  response.status(error.status).json(toErrorEnvelope(error, requestIdOf(request)));
}
