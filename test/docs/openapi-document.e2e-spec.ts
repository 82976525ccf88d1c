import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ERROR_CODES } from '@app/http/error-response.dto';
import { CLIENT_TYPES_FILE, clientTypes, OPENAPI_FILE, REGENERATE } from '../../scripts/openapi';
import { loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

type Schema = Record<string, unknown>;
type Response = { headers?: Record<string, Schema>; content?: Record<string, { schema: Schema }> };
type Operation = {
  operationId: string;
  deprecated?: boolean;
  requestBody?: unknown;
  responses: Record<string, Response>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; headers: Record<string, Schema>; responses: Record<string, Response> };
};

const HINT = `docs/openapi.json or clients/typescript/schema.d.ts is stale: run \`${REGENERATE}\` and commit both files`;

/** JSON pointers where `a` and `b` differ (an added, removed or changed value), in document order. */
function differences(a: unknown, b: unknown, pointer = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return [pointer || '/'];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) =>
    differences((a as Schema)[key], (b as Schema)[key], `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

function operations(document: Document): Array<[string, string, Operation]> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, Operation] => [path, method, operation]),
  );
}

/** The `error.code` enum of an error response (docs/api.md §1.8). */
function codesOf(response: Response): string[] | undefined {
  const schema = response.content?.['application/json']?.schema as { allOf?: Schema[] } | undefined;
  const narrowed = schema?.allOf?.[1] as { properties: { error: { properties: { code: { enum: string[] } } } } };
  return narrowed?.properties.error.properties.code.enum;
}

/** Every `enum` written inline, outside the named schemas of components/schemas and the per-response codes. */
function inlineEnums(value: unknown, pointer: string): string[] {
  if (!value || typeof value !== 'object') return [];
  const here = 'enum' in value && !/^\/components\/schemas\/[^/]+$/.test(pointer) ? [pointer] : [];
  const nested = Object.entries(value).flatMap(([key, child]) => inlineEnums(child, `${pointer}/${key}`));
  return [...here, ...nested];
}

/** Rows of the error-code table of docs/api.md §1.8: `| 409 | \`TEMPLATE_INACTIVE\` / \`TEMPLATE_EXHAUSTED\` | …`. */
function documentedCodes(): Record<string, number> {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');
  const section = page.slice(page.indexOf('### 1.8 Error codes'), page.indexOf('### 1.9'));
  const rows = [...section.matchAll(/^\| (\d{3}) \| (.+?) \|/gm)];
  return Object.fromEntries(
    rows.flatMap(([, status, cell]) => [...cell.matchAll(/`([A-Z_]+)`/g)].map(([, code]) => [code, Number(status)])),
  );
}

describe('OpenAPI document as a deliverable (docs/README.md "API reference and client")', () => {
  let t: TestApp;
  let served: Document;
  const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as Document;

  beforeAll(async () => {
    t = await createTestApp();
    served = (await t.http.get('/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  it('should serve exactly the committed docs/openapi.json', () => {
    expect({ hint: HINT, differences: differences(committed, served).slice(0, 20) }).toEqual({
      hint: HINT,
      differences: [],
    });
  });

  it('should commit the client types openapi-typescript generates from docs/openapi.json', async () => {
    const generated = await clientTypes(committed as never);
    const stale = generated !== readFileSync(CLIENT_TYPES_FILE, 'utf8');
    expect({ hint: HINT, stale }).toEqual({ hint: HINT, stale: false });
  });

  it('should name every operation <controller>_<method>, unique across the document', () => {
    const ids = operations(served).map(([, , operation]) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(id))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(served.paths['/api/v1/tasks'].get.operationId).toBe('tasks_list');
    expect(served.paths['/api/v1/tasks/{id}/force-complete'].post.operationId).toBe('tasks_force_complete');
    expect(served.paths['/api/v1/health/live'].get.operationId).toBe('health_live_versioned');
  });

  it('should name every enum: a schema of its own in components/schemas, referenced where used', () => {
    const inline = [
      ...inlineEnums(served.components.schemas, '/components/schemas'),
      ...operations(served).flatMap(([path, method, operation]) =>
        ((operation as { parameters?: unknown[] }).parameters ?? []).flatMap((parameter, index) =>
          (parameter as { in: string }).in === 'header' ? [] : inlineEnums(parameter, `${method} ${path} #${index}`),
        ),
      ),
    ];
    expect(inline).toEqual([]);
    expect(served.components.schemas.TaskPriority).toEqual({ type: 'string', enum: ['low', 'medium', 'high'] });
    expect(served.components.schemas.ErrorCode.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it('should list the codes of docs/api.md §1.8, no more and no fewer', () => {
    expect(ERROR_CODES).toEqual(documentedCodes());
  });

  it('should document on every error response the codes it can carry, each of that status', () => {
    const problems = operations(served).flatMap(([path, method, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .flatMap(([status, response]) => {
          const codes = codesOf(response);
          if (!codes?.length) return [`${method} ${path} ${status}: no code enum`];
          return codes
            .filter((code) => ERROR_CODES[code as keyof typeof ERROR_CODES] !== Number(status))
            .map((code) => `${method} ${path} ${status}: ${code} is not a ${status} code`);
        }),
    );
    expect(problems).toEqual([]);
    const patch = served.paths['/api/v1/subtasks/{id}'].patch.responses;
    expect(codesOf(patch['409'])).toEqual(['ARCHIVED', 'IDEMPOTENCY_CONFLICT', 'IDEMPOTENCY_IN_PROGRESS']);
    expect(codesOf(patch['401'])).toEqual(['UNAUTHORIZED', 'TOKEN_EXPIRED']);
    expect(codesOf(served.paths['/api/v1/auth/refresh'].post.responses['401'])).toEqual(['INVALID_REFRESH_TOKEN']);
  });

  it('should document 408/413/415 on every operation with a body and 405 with its Allow header', async () => {
    const missing = operations(served)
      .filter(([, , operation]) => operation.requestBody)
      .flatMap(([path, method, operation]) =>
        ['408', '413', '415'].filter((status) => !operation.responses[status]).map((s) => `${method} ${path} ${s}`),
      );
    expect(missing).toEqual([]);
    const notAllowed = served.components.responses.MethodNotAllowed;
    expect(Object.keys(notAllowed.headers!)).toEqual(['X-Request-ID', 'Allow']);
    expect(codesOf(notAllowed)).toEqual(['METHOD_NOT_ALLOWED']);

    const answer = await t.http.delete('/api/v1/tasks');
    expect(answer.status).toBe(405);
    expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(answer.headers.allow).toEqual(expect.stringContaining('GET'));
  });

  it('should document the response headers every response carries, and the API should send them', async () => {
    const withoutRequestId = operations(served).flatMap(([path, method, operation]) =>
      Object.entries(operation.responses)
        .filter(([, response]) => !response.headers?.['X-Request-ID'])
        .map(([status]) => `${method} ${path} ${status}`),
    );
    expect(withoutRequestId).toEqual([]);
    const create = served.paths['/api/v1/tasks'].post.responses;
    const documented = (status: string): string[] => Object.keys(create[status].headers!);
    expect(documented('201')).toEqual([
      'X-Request-ID',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'X-Idempotent-Replayed',
    ]);
    expect(documented('429')).toEqual(expect.arrayContaining(['Retry-After', 'X-RateLimit-Reset']));
    expect(documented('409')).toContain('Retry-After');
    expect(documented('401')).toEqual(['X-Request-ID', 'WWW-Authenticate']);
    expect(Object.keys(served.paths['/api/v1/tasks/{id}'].put.responses['200'].headers!)).toEqual(
      expect.arrayContaining(['Deprecation', 'Sunset', 'Link']),
    );
    expect(Object.keys(served.components.headers).sort()).toEqual(
      [...documented('201'), 'Retry-After', 'WWW-Authenticate', 'Deprecation', 'Sunset', 'Link', 'Allow'].sort(),
    );

    const { accessToken, user } = await loginAs(t);
    const key = randomUUID();
    const send = () =>
      t.http
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${accessToken}`)
        .set('Idempotency-Key', key)
        .send({ title: 'Replayed' });
    await send().expect(201);
    const replay = await send().expect(201);
    const sent = documented('201').map((name) => name.toLowerCase());
    expect(sent.filter((name) => replay.headers[name] === undefined)).toEqual([]);
    expect(replay.headers['x-idempotent-replayed']).toBe('true');
    const count = await t.dataSource.query('SELECT count(*)::int AS n FROM task_instances WHERE user_id = $1', [
      user.id,
    ]);
    expect(count).toEqual([{ n: 1 }]);
  });
});
