import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '@app/core/errors/domain-error';
import { sendError } from './error-response';

/**
 * Requests that wait on an outside service (AI provider, speech) and would hold a slot for
 * seconds, and event streams, open for hours (docs/events.md §2).
 */
const UNGATED = [
  /^\/api\/v1\/ai\//i,
  /^\/api\/v1\/notes\/[^/]+\/convert/i,
  /^\/api\/v1\/ws\//i,
  /^\/api\/v1\/events$/i,
];
/** The router matches paths case-insensitively: so does the gate. */
const GATED = /^\/(api\/v1\/|mcp$)/i;

/**
 * Bounds the API requests worked on at once; the others wait their turn in arrival order before
 * any work starts (authentication, database). Under a flood of connections the process then
 * holds a bounded working set (memory) and each admitted request finishes quickly instead of
 * every request advancing slowly side by side while holding pooled connections and row locks.
 * Only `/api/v1` and `/mcp` are gated (health, metrics and docs always answer); requests that wait on an
 * outside provider are not gated either. A request leaves its slot when its response is
 * finished or its connection closes. At most `maxWaiting` wait: beyond that the request is answered
 * `503 SERVICE_UNAVAILABLE` with `Retry-After` at once (docs/admission-gate.md).
 */
export function admissionGate(limit: number, maxWaiting: number): RequestHandler {
  let active = 0;
  const waiting: Array<() => void> = [];
  const admitNext = (): void => {
    const next = waiting.shift();
    if (next) next();
  };
  return (request: Request, response: Response, next: NextFunction) => {
    if (!GATED.test(request.path) || UNGATED.some((path) => path.test(request.path))) return next();
    if (active >= limit && waiting.length >= maxWaiting) return sendError(request, response, new QueueFullError());
    let state: 'waiting' | 'admitted' | 'done' = 'waiting';
    const leave = (): void => {
      if (state === 'admitted') {
        active--;
        admitNext();
      }
      state = 'done';
    };
    response.once('finish', leave);
    response.once('close', leave);
    if (active < limit) {
      state = 'admitted';
      active++;
      return next();
    }
    // Admitted later from another request's callbacks: back in this request's async context.
    const context = new AsyncResource('admissionGate');
    waiting.push(() => {
      if (state !== 'waiting') return admitNext();
      state = 'admitted';
      active++;
      context.runInAsyncScope(next);
    });
  };
}

class QueueFullError extends DomainError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'The server is busy, retry shortly', { retryAfter: 1 });
  }
}
