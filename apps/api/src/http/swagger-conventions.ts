import type { OpenAPIObject } from '@nestjs/swagger';
import type { ErrorCode } from '@app/core/errors/error-codes';
import { errorResponseSchema } from '@app/http/error-response.dto';

type Schema = Record<string, unknown>;
type Response = { description: string; headers?: Record<string, Schema>; content?: Record<string, { schema: Schema }> };
type Operation = {
  operationId?: string;
  deprecated?: boolean;
  parameters?: Array<Record<string, unknown>>;
  requestBody?: unknown;
  responses: Record<string, Response>;
  security?: Array<Record<string, string[]>>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MUTATIONS = ['post', 'put', 'patch', 'delete'];
/** Public writes, and the routes marked `@WithoutIdempotencyKey()` (MCP's JSON-RPC ids, the single-use stream ticket). */
const IDEMPOTENCY_EXEMPT = /^\/api\/v1\/(auth|webhooks)\/|^\/mcp$|^\/api\/v1\/events\/ticket$/;
/** Routes without a bearer token; the calendar feed's token in the path is its credential (docs/calendar-feed.md). */
const PUBLIC_PATHS =
  /^\/(health|metrics|docs|\.well-known)|^\/api\/v1\/(auth|webhooks|health|\.well-known)\/|^\/api\/v1\/calendar-feed\/\{token\}\.ics$/;
/** Paths also served under `/api/v1` (docs/api.md §1.1); the app rewrites them to the unversioned routes. */
export const VERSIONED_ALIASES = ['/health/live', '/health/ready', '/.well-known/jwks.json'];
/** Statuses answered before the rate-limit check (docs/api.md §1.9): they carry no `X-RateLimit-*`. */
const BEFORE_RATE_LIMIT = ['401', '405', '408', '413', '415'];
/** Statuses an idempotent replay can answer with (docs/api.md §1.10 "Stored outcomes"). */
const NOT_STORED = ['400', '401', '408', '413', '415', '429'];
/** Besides every 429: the answers that ask the client to come back later. */
const RETRY_AFTER_CODES = ['IDEMPOTENCY_IN_PROGRESS', 'SERVICE_UNAVAILABLE'];

const header = (description: string, schema: Schema = { type: 'string' }): Schema => ({ description, schema });
const ref = (name: string): Schema => ({ $ref: `#/components/headers/${name}` });

/** The response headers of docs/api.md §1.10–§1.14, referenced from every response that carries them. */
const HEADERS: Record<string, Schema> = {
  'X-Request-ID': header('Id of the request (echoed when the client sent a valid one, docs/api.md §1.11)'),
  'X-RateLimit-Limit': header('Requests allowed in the current window of the bucket (docs/api.md §1.12)', {
    type: 'integer',
  }),
  'X-RateLimit-Remaining': header('Requests left in the current window', { type: 'integer' }),
  'X-RateLimit-Reset': header('Unix seconds when the current window resets', { type: 'integer' }),
  'Retry-After': header('Seconds to wait before retrying', { type: 'integer', minimum: 1 }),
  'X-Idempotent-Replayed': header('`true` when the answer is the stored outcome of the same Idempotency-Key', {
    type: 'string',
    enum: ['true'],
  }),
  'WWW-Authenticate': header('Bearer challenge (RFC 6750)'),
  Deprecation: header('RFC 9745 deprecation date (`@<unix seconds>`, docs/api.md §1.14)'),
  Sunset: header('RFC 8594 date after which the route is removed'),
  Link: header('The successor route (`rel="successor-version"`)'),
  Allow: header('The methods the path supports'),
};

/**
 * Applies the cross-cutting conventions every operation shares, so controllers only document their
 * own: authentication, the common errors (each with the `code`s it can carry), the Idempotency-Key,
 * the response headers, 405, and an `operationId` unique across the versioned aliases.
 */
export function addConventions(document: OpenAPIObject): void {
  for (const alias of VERSIONED_ALIASES) {
    const item = document.paths[alias];
    if (item) document.paths[`/api/v1${alias}`] = versionedAlias(item as Record<string, Operation>);
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      if (METHODS.includes(method)) applyConventions(path, method, value as Operation);
    }
  }
  // Nest copies onto a named enum the description of the first property using it; each keeps its own.
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    if ('enum' in schema) delete schema.description;
  }
  document.components = {
    ...document.components,
    headers: HEADERS,
    responses: {
      MethodNotAllowed: {
        description:
          'METHOD_NOT_ALLOWED: the path exists but not with this method (any path of this document, docs/api.md §1.9)',
        headers: { 'X-Request-ID': ref('X-Request-ID'), Allow: ref('Allow') },
        content: { 'application/json': { schema: errorResponseSchema(['METHOD_NOT_ALLOWED']) } },
      },
    },
  };
}

function versionedAlias(item: Record<string, Operation>): Record<string, Operation> {
  return Object.fromEntries(
    Object.entries(item).map(([method, operation]) => [
      method,
      { ...operation, operationId: `${operation.operationId}_versioned` },
    ]),
  );
}

function applyConventions(path: string, method: string, operation: Operation): void {
  const isPublic = PUBLIC_PATHS.test(path);
  const versioned = path.startsWith('/api/v1');
  // The controller's own error responses, as JSON whatever the success's media type.
  for (const status of Object.keys(operation.responses)) {
    if (Number(status) >= 400) addError(operation, Number(status), []);
  }
  if (!isPublic) {
    operation.security = [{ bearer: [] }];
    addError(operation, 401, ['UNAUTHORIZED', 'TOKEN_EXPIRED']);
    addError(operation, 429, ['RATE_LIMIT_EXCEEDED']);
  }
  if (versioned) {
    addError(operation, 400, ['VALIDATION_ERROR']);
    addError(operation, 500, ['INTERNAL_ERROR']);
    addError(operation, 503, ['SERVICE_UNAVAILABLE']);
  }
  if (operation.requestBody) {
    addError(operation, 408, ['REQUEST_TIMEOUT']);
    addError(operation, 413, ['PAYLOAD_TOO_LARGE']);
    addError(operation, 415, ['UNSUPPORTED_MEDIA_TYPE']);
  }
  const idempotent = MUTATIONS.includes(method) && !isPublic && !IDEMPOTENCY_EXEMPT.test(path);
  if (idempotent) {
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: method !== 'delete',
        description:
          'Client-chosen key (1–255 printable ASCII, a UUID v4 recommended) making the request safe to retry for 24 h',
        schema: { type: 'string', maxLength: 255 },
      },
    ];
    addError(operation, 409, ['IDEMPOTENCY_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS']);
  }
  addHeaders(operation, idempotent);
}

/** The schema of a documented error response (`errorResponseSchema`), whatever the media type Nest gave it. */
function errorSchemaOf(response: Response | undefined): { allOf?: Schema[] } | undefined {
  return Object.values(response?.content ?? {})[0]?.schema;
}

/** The codes a documented error response carries (from its schema), or none when it is not an error. */
function codesOf(response: Response | undefined): string[] {
  const narrowed = errorSchemaOf(response)?.allOf?.[1] as {
    properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
  };
  return narrowed?.properties?.error?.properties?.code?.enum ?? [];
}

/** Documents `codes` on the operation's `status` response, added to the codes it already lists. */
function addError(operation: Operation, status: number, codes: ErrorCode[]): void {
  const existing = operation.responses[status];
  const known = codesOf(existing);
  const added = codes.filter((code) => !known.includes(code));
  const envelope = (errorSchemaOf(existing)?.allOf?.[0] as { $ref?: string } | undefined)?.$ref;
  const descriptions = [existing?.description, added.length ? added.join(' or ') : undefined];
  operation.responses[status] = {
    ...existing,
    description: descriptions.filter(Boolean).join('; '),
    // Errors are JSON even where the success is not (an SSE stream, an iCalendar feed).
    content: { 'application/json': { schema: errorResponseSchema([...known, ...added], envelope) } },
  };
}

function addHeaders(operation: Operation, idempotent: boolean): void {
  const rateLimited = codesOf(operation.responses['429']).includes('RATE_LIMIT_EXCEEDED');
  for (const [status, response] of Object.entries(operation.responses)) {
    const codes = codesOf(response);
    const names = ['X-Request-ID'];
    if (rateLimited && !BEFORE_RATE_LIMIT.includes(status)) {
      names.push('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset');
    }
    if (status === '429' || RETRY_AFTER_CODES.some((code) => codes.includes(code))) names.push('Retry-After');
    if (idempotent && !NOT_STORED.includes(status) && !status.startsWith('5')) names.push('X-Idempotent-Replayed');
    if (codes.includes('UNAUTHORIZED')) names.push('WWW-Authenticate');
    if (operation.deprecated) names.push('Deprecation', 'Sunset', 'Link');
    // A new object: Nest shares one response object between the operations of a controller.
    const headers = { ...response.headers, ...Object.fromEntries(names.map((name) => [name, ref(name)])) };
    operation.responses[status] = { ...response, headers };
  }
}

/** `TasksController` + `forceComplete` → `tasks_force_complete`: stable names for generated clients. */
export function operationId(controllerKey: string, methodKey: string): string {
  return `${controllerKey.replace(/Controller$/, '')}_${methodKey}`
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
