import type { Request, Response } from 'express';
import type { DomainError, RateLimitWindow } from '../errors/domain-error';
import type { ErrorCode } from '../errors/error-codes';
import { toErrorEnvelope } from '../errors/error-envelope';
import { requestIdOf } from './request-id';

/** The bearer challenge of each 401 code that carries one (docs/api.md §1.4, RFC 6750). */
const CHALLENGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHORIZED: 'Bearer',
  TOKEN_EXPIRED: 'Bearer error="invalid_token", error_description="The access token expired"',
};

/** The rate-limit headers of docs/api.md §1.12 describing `window`. */
export function rateLimitHeaders(window: RateLimitWindow): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(window.limit),
    'X-RateLimit-Remaining': String(window.remaining),
    'X-RateLimit-Reset': String(Math.ceil(window.resetAt / 1000)),
  };
}

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
