import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Echoes a well-formed client `X-Request-ID`, otherwise makes a UUID v4 (docs/api.md §1.11). */
export function requestIdFor(request: IncomingMessage): string {
  const supplied = request.headers['x-request-id'];
  return typeof supplied === 'string' && CLIENT_REQUEST_ID.test(supplied) ? supplied : randomUUID();
}

export function requestIdOf(request: IncomingMessage): string {
  return (request as IncomingMessage & { id?: string }).id ?? 'unknown';
}
