import type { Request, Response } from 'express';
import type { DomainError } from '@app/core/errors/domain-error';
import { toErrorEnvelope } from '@app/core/errors/error-envelope';
import { requestIdOf } from '@app/core/http/request-id';

/** Writes the error envelope with the error's status and headers (filter and pre-routing gate alike). */
export function sendError(request: Request, response: Response, error: DomainError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  (response.locals as { errorCode?: string }).errorCode = error.code;
  response.status(error.status).json(toErrorEnvelope(error, requestIdOf(request)));
}
