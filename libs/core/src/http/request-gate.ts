import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ValidationError } from '../errors/domain-error';
import { sendError } from './error-response';

const MAX_BODY_BYTES = 1024 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that verify a signature over `rawBody` and parse it themselves afterwards. */
const SIGNED_RAW_BODY_PATHS = new Set(['/api/v1/webhooks/checkout']);
const MIDDLEWARE_METHOD_COUNT = 8;

export type RequestWithRawBody = Request & { rawBody?: Buffer };

export interface RouteLayer {
  route?: { path: string; _methods(): string[] };
  match(path: string): boolean;
}

/**
 * Step 1 of api.md §1.9: unknown path → 404, known path with another method → 405 + `Allow`.
 * The route table is read from the Express router once routes are registered.
 */
export function routeGate(getRouterStack: () => RouteLayer[]): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const methods = new Set<string>();
    for (const layer of getRouterStack()) {
      if (!layer.route || !layer.match(request.path)) continue;
      const routeMethods = layer.route._methods();
      // Nest mounts route-scoped middleware (the request logger) as a route for every method: not an endpoint.
      if (routeMethods.length > MIDDLEWARE_METHOD_COUNT) continue;
      for (const method of routeMethods) methods.add(method.toUpperCase());
    }
    if (methods.size === 0) return sendError(request, response, new DomainError(404, 'NOT_FOUND', 'Route not found'));
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.has(request.method)) return next();
    response.setHeader('Allow', [...methods].sort().join(', '));
    return sendError(
      request,
      response,
      new DomainError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not supported on this path`),
    );
  };
}

/**
 * Step 2 of api.md §1.9: body size (413), content type (415) and JSON syntax (400). Keeps the raw
 * bytes for the idempotency fingerprint and webhook signatures; an empty body reads as `{}`.
 */
export function jsonBodyGate(): RequestHandler {
  return (request: Request, response: Response, nextInContext: NextFunction) => {
    // Stream events fire outside the request's AsyncLocalStorage context; resume inside it.
    const next = AsyncResource.bind(nextInContext);
    const raw = request as RequestWithRawBody;
    if (!BODY_METHODS.has(request.method)) {
      raw.body = {};
      return next();
    }
    const declared = Number(request.headers['content-length'] ?? 'NaN');
    if (declared > MAX_BODY_BYTES) return tooLarge(request, response);
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    request.on('data', (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        aborted = true;
        tooLarge(request, response);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (aborted) return;
      const body = Buffer.concat(chunks);
      raw.rawBody = body;
      const result = parseBody(body, request.headers['content-type']);
      if (result instanceof DomainError) {
        // A signed webhook answers 401 for a bad signature before any JSON error (api.md §14).
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
  sendError(request, response, new DomainError(413, 'PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MiB'));
}

/** Parses a request body under the rules of api.md §1.2. */
export function parseBody(body: Buffer, contentType: string | undefined): Record<string, unknown> | DomainError {
  const text = body.toString('utf8');
  if (text.trim().length === 0) return {};
  if (!contentType || !/^application\/(.+\+)?json\s*(;|$)/i.test(contentType.trim())) {
    return new DomainError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return new ValidationError([], 'Malformed JSON body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return new ValidationError([], 'The JSON body must be an object');
  }
  const badField = findUnstorableString(parsed, '');
  if (badField !== undefined) {
    return ValidationError.field(badField || 'body', 'must not contain U+0000 or unpaired surrogates');
  }
  return parsed as Record<string, unknown>;
}

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** PostgreSQL cannot store U+0000 or unpaired surrogates; returns the dot path of the first such string. */
function findUnstorableString(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return childPath;
    const found = findUnstorableString(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
