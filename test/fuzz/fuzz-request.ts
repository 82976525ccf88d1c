import { createHmac, randomUUID } from 'node:crypto';
import fc, { Arbitrary } from 'fast-check';
import { bigBody, bodyValue, idValue, nastyString, rawBody } from './fuzz-values';
import type { FuzzWorld, WriteEndpoint } from './write-endpoints';

/** One generated request: path parameters, query, body and headers. */
export interface FuzzRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: { kind: 'json'; value: Record<string, unknown> } | { kind: 'raw'; text: string } | { kind: 'none' };
  /** `owner`, `other` (the other user's valid token), `none`, or a literal header value. */
  authorization: string;
  idempotencyKey: string | null;
  contentType: string | null;
  requestId: string | null;
  taskHeader: string | null;
  origin: string | null;
  signature: 'valid' | 'upper' | 'missing' | 'wrong' | 'truncated';
}

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** Header values must be byte strings without CR/LF/NUL; anything else is not sendable at all. */
const sendable = (text: string): string =>
  [...text].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) <= 0xff && c.charCodeAt(0) !== 0x7f).join('');
const headerText = fc.string({ unit: 'binary', maxLength: 300 }).map(sendable);
const REUSED_KEYS = ['fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'];

function authorization(world: FuzzWorld): Arbitrary<string> {
  const token = world.owner.accessToken;
  const [header, payload] = token.split('.');
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
  return fc.oneof(
    { weight: 30, arbitrary: fc.constant('owner') },
    { weight: 2, arbitrary: fc.constant('other') },
    { weight: 2, arbitrary: fc.constant('none') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Bearer x.y.z',
        'Basic dXNlcjpwYXNz',
        `Bearer ${token}x`,
        `Bearer ${header}.${payload}.`,
        `Bearer ${unsigned}`,
        `bearer ${token}`,
        `Bearer  ${token}`,
        `Token ${token}`,
      ),
    },
    { weight: 1, arbitrary: headerText.map((s) => `Bearer ${s}`) },
  );
}

/** Generated requests for one endpoint: mostly well-formed, every part sometimes hostile. */
export function fuzzRequest(endpoint: WriteEndpoint, world: FuzzWorld): Arbitrary<FuzzRequest> {
  const params = fc.record(
    Object.fromEntries(Object.entries(endpoint.params ?? {}).map(([name, ids]) => [name, idValue(() => ids(world))])),
  );
  const query = endpoint.query ? bodyValue(endpoint.query(world)) : fc.constant({});
  const jsonBody = endpoint.body
    ? bodyValue(endpoint.body(world))
    : fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), nastyString), { maxKeys: 2 });
  const body: Arbitrary<FuzzRequest['body']> = fc.oneof(
    { weight: endpoint.body ? 24 : 6, arbitrary: jsonBody.map((value) => ({ kind: 'json' as const, value })) },
    { weight: endpoint.body ? 1 : 8, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: rawBody.map((text) => ({ kind: 'raw' as const, text })) },
    { weight: 1, arbitrary: bigBody.map((text) => ({ kind: 'raw' as const, text })) },
  );
  const taskIds = (): string[] => [world.owner.owned.task, world.other.owned.task];
  return fc.record({
    params,
    query,
    body,
    authorization:
      endpoint.auth === 'bearer'
        ? authorization(world)
        : fc.oneof({ weight: 6, arbitrary: fc.constant('none') }, authorization(world)),
    idempotencyKey: fc.oneof(
      { weight: 20, arbitrary: fc.constant(null).map(() => randomUUID()) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('', 'k'.repeat(256), 'clé-é', 'tab\tkey', ...REUSED_KEYS) },
      { weight: 1, arbitrary: headerText },
    ),
    contentType: fc.oneof(
      { weight: 20, arbitrary: fc.constant('application/json') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          null,
          'text/plain',
          'application/json; charset=utf-8',
          'application/merge-patch+json',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonx',
          'APPLICATION/JSON',
        ),
      },
      { weight: 1, arbitrary: headerText },
    ),
    requestId: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, headerText),
    taskHeader: endpoint.taskHeader ? fc.option(idValue(taskIds).map(sendable), { freq: 2 }) : fc.constant(null),
    origin: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      fc.constantFrom('https://evil.example', 'http://localhost:5173', 'null'),
    ),
    signature: fc.oneof(
      { weight: 12, arbitrary: fc.constant('valid' as const) },
      fc.constantFrom('upper' as const, 'missing' as const, 'wrong' as const, 'truncated' as const),
    ),
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // Unpaired surrogates cannot be percent-encoded as UTF-8; send the replacement character's bytes.
    return encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  }
}

function queryText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Turns a generated request into what `fetch` sends. */
export function toHttp(
  endpoint: WriteEndpoint,
  world: FuzzWorld,
  request: FuzzRequest,
  baseUrl: string,
  webhookSecret: string,
): SentRequest {
  let path = endpoint.path;
  for (const [name, value] of Object.entries(request.params)) path = path.replace(`{${name}}`, encodeSegment(value));
  const search = Object.entries(request.query)
    .map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(queryText(value))}`)
    .join('&');
  const headers: Record<string, string> = {};
  const token = { owner: world.owner.accessToken, other: world.other.accessToken }[request.authorization];
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (request.authorization !== 'none') headers.Authorization = request.authorization;
  if (request.idempotencyKey !== null) headers['Idempotency-Key'] = request.idempotencyKey;
  if (request.contentType !== null) headers['Content-Type'] = request.contentType;
  if (request.requestId !== null) headers['X-Request-ID'] = request.requestId;
  if (request.taskHeader !== null) headers['X-Task-Id'] = request.taskHeader;
  if (request.origin !== null) headers.Origin = request.origin;
  const body =
    request.body.kind === 'json'
      ? JSON.stringify(request.body.value)
      : request.body.kind === 'raw'
        ? request.body.text
        : undefined;
  if (endpoint.auth === 'webhook' && request.signature !== 'missing') {
    const signature = createHmac('sha256', webhookSecret)
      .update(body ?? '')
      .digest('hex');
    headers['Cko-Signature'] = {
      valid: signature,
      upper: signature.toUpperCase(),
      wrong: signature.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      truncated: signature.slice(0, 40),
    }[request.signature];
  }
  return {
    url: `${baseUrl}${path}${search ? `?${search}` : ''}`,
    method: endpoint.method,
    headers,
    body,
  };
}

/** A short, readable description of a request for failure messages. */
export function describeRequest(sent: SentRequest): string {
  const body = sent.body ?? '';
  const headers = { ...sent.headers };
  if (headers.Authorization) headers.Authorization = headers.Authorization.slice(0, 40);
  return `${sent.method} ${sent.url.slice(0, 300)}\nheaders: ${JSON.stringify(headers)}\nbody (${body.length} chars): ${body.slice(0, 3000)}`;
}
