import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '@app/core/errors/domain-error';
import { sendError } from './error-response';
import { parseBody } from '@app/core/http/json-body';

const MAX_BODY_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that verify a signature over `rawBody` and parse it themselves afterwards. */
const SIGNED_RAW_BODY_PATHS = new Set(['/api/v1/webhooks/checkout']);
const MIDDLEWARE_METHOD_COUNT = 8;

export type RequestWithRawBody = Request & { rawBody?: Buffer };

export interface RouteLayer {
  /** The handler's function name: `serveStatic` for an `express.static` mount. */
  name?: string;
  route?: { path: string; _methods(): string[] };
  match(path: string): boolean;
}

/** Route layers bucketed by the first static path segments, so a request tests only its own few. */
interface RouteIndex {
  size: number;
  byPrefix: Map<string, RouteLayer[]>;
  /** Layers whose leading segments are not static (parameters, wildcards): tested for every path. */
  anywhere: RouteLayer[];
  /** Static-file mounts (the Swagger UI assets under `/docs`): they answer GET and HEAD below their path. */
  staticMounts: RouteLayer[];
}

const PREFIX_SEGMENTS = 3;
const STATIC_HANDLER = 'serveStatic';
const STATIC_METHODS = new Set(['GET', 'HEAD']);
const DYNAMIC_SEGMENT = /[:*{(]/;

/** `api/v1/tasks` for `/api/v1/tasks/…` (Express matches case-insensitively, trailing slash optional). */
function prefixOf(path: string): string {
  return path.toLowerCase().split('/').filter(Boolean).slice(0, PREFIX_SEGMENTS).join('/');
}

function indexRoutes(stack: RouteLayer[]): RouteIndex {
  const index: RouteIndex = { size: stack.length, byPrefix: new Map(), anywhere: [], staticMounts: [] };
  for (const layer of stack) {
    if (!layer.route) {
      if (layer.name === STATIC_HANDLER) index.staticMounts.push(layer);
      continue;
    }
    // Nest mounts route-scoped middleware (the request logger) as a route for every method: not an endpoint.
    if (layer.route._methods().length > MIDDLEWARE_METHOD_COUNT) continue;
    const path = layer.route.path;
    const leading = typeof path === 'string' ? path.split('/').filter(Boolean).slice(0, PREFIX_SEGMENTS) : [];
    if (leading.length === 0 || leading.some((segment) => DYNAMIC_SEGMENT.test(segment))) {
      index.anywhere.push(layer);
      continue;
    }
    const key = leading.join('/').toLowerCase();
    index.byPrefix.set(key, [...(index.byPrefix.get(key) ?? []), layer]);
  }
  return index;
}

/**
 * Step 1 of docs/api.md §1.9: unknown path → 404, known path with another method → 405 + `Allow`.
 * The route table is read from the Express router once routes are registered (indexed again
 * whenever its size changes). GET and HEAD below a static-file mount go on to it: it serves the
 * file, and a missing one reaches the application's own 404.
 */
export function routeGate(getRouterStack: () => RouteLayer[]): RequestHandler {
  let index: RouteIndex | undefined;
  return (request: Request, response: Response, next: NextFunction) => {
    const stack = getRouterStack();
    if (!index || index.size !== stack.length) index = indexRoutes(stack);
    const methods = new Set<string>();
    const collect = (layers: RouteLayer[] | undefined): void => {
      for (const layer of layers ?? []) {
        if (!layer.match(request.path)) continue;
        for (const method of layer.route!._methods()) methods.add(method.toUpperCase());
      }
    };
    collect(index.byPrefix.get(prefixOf(request.path)));
    collect(index.anywhere);
    if (
      methods.size === 0 &&
      STATIC_METHODS.has(request.method) &&
      index.staticMounts.some((layer) => layer.match(request.path))
    )
      return next();
    if (methods.size === 0) return sendError(request, response, new DomainError('NOT_FOUND', 'Route not found'));
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.has(request.method)) return next();
    response.setHeader('Allow', [...methods].sort().join(', '));
    return sendError(
      request,
      response,
      new DomainError('METHOD_NOT_ALLOWED', `${request.method} is not supported on this path`),
    );
  };
}

/**
 * Step 2 of docs/api.md §1.9: body size (413), content type (415) and JSON syntax (400). Keeps the raw
 * bytes for the idempotency fingerprint and webhook signatures; an empty body reads as `{}`.
 */
export function jsonBodyGate(timeoutMs: number): RequestHandler {
  return (request: Request, response: Response, nextInContext: NextFunction) => {
    const raw = request as RequestWithRawBody;
    if (!BODY_METHODS.has(request.method)) {
      raw.body = {};
      return nextInContext();
    }
    // Stream events fire outside the request's AsyncLocalStorage context; resume inside it. (A
    // resource rather than AsyncResource.bind, which builds a deprecation wrapper on every call.)
    const context = new AsyncResource('jsonBodyGate');
    const next = (error?: unknown): void => context.runInAsyncScope(nextInContext, undefined, error);
    const declared = Number(request.headers['content-length'] ?? 'NaN');
    if (declared > MAX_BODY_BYTES) return tooLarge(request, response);
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    // A client that trickles its body holds a slot and a socket: it has `timeoutMs` to finish.
    const timer = setTimeout(() => {
      aborted = true;
      response.setHeader('Connection', 'close');
      sendError(request, response, new DomainError('REQUEST_TIMEOUT', 'Request body not received in time'));
    }, timeoutMs);
    response.once('close', () => clearTimeout(timer));
    request.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        aborted = true;
        clearTimeout(timer);
        tooLarge(request, response);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      clearTimeout(timer);
      if (aborted) return;
      const body = Buffer.concat(chunks);
      raw.rawBody = body;
      const result = parseBody(body, request.headers['content-type']);
      if (result instanceof DomainError) {
        // A signed webhook answers 401 for a bad signature before any JSON error (docs/api.md §14).
        const deferred = result.status === 400 && SIGNED_RAW_BODY_PATHS.has(request.path);
        if (!deferred) return sendError(request, response, result);
        raw.body = {};
        return next();
      }
      raw.body = result;
      next();
    });
    request.on('error', (error) => next(error));
  };
}

function tooLarge(request: Request, response: Response): void {
  response.setHeader('Connection', 'close');
  sendError(request, response, new DomainError('PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MiB'));
}
