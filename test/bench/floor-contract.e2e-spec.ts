import { randomUUID } from 'node:crypto';
import { freePort, launchTs, Launched, stop, waitForStatus } from '../../bench/processes';
import { loginAs, LoggedInUser } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * bench/floor-server.ts answers the bench's four requests like the product (same statuses,
 * bodies and headers), and keeps idempotency exactly once: the floor is only a fair yardstick
 * when it does the same work.
 */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Per-request values (ids, times, request ids, rate-limit counters, CORS of the test env) blanked. */
const VARYING_HEADERS =
  /^(date|connection|keep-alive|content-length|x-request-id|x-ratelimit-remaining|access-control-.*)$/;
function normalized(answer: Answer): Answer {
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !VARYING_HEADERS.test(name)));
  const body = JSON.parse(
    JSON.stringify(answer.body).replace(/"(request_id|id|created_at|updated_at)":"[^"]*"/g, '"$1":"…"'),
  ) as unknown;
  return { status: answer.status, headers, body };
}

async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  key: string = randomUUID(),
): Promise<Answer> {
  const response = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'idempotency-key': key,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: await response.json() };
}

describe('bench floor server', () => {
  let t: TestApp;
  let floor: Launched;
  let floorUrl: string;
  let owner: LoggedInUser;
  let other: LoggedInUser;
  const taskIds: string[] = [];

  const seedTask = async (user: LoggedInUser, title: string): Promise<string> => {
    const created = await call(t.baseUrl, 'POST', '/api/v1/tasks', user.accessToken, { title });
    return (created.body as { data: { id: string } }).data.id;
  };
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await t.dataSource.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
    owner = await loginAs(t, { tier: 'pro' });
    other = await loginAs(t);
    for (let i = 0; i < 4; i++) taskIds.push(await seedTask(owner, `Seed ${i}`));
    await t.dataSource.query(
      `INSERT INTO subtasks (task_id, title, order_index, completed, completed_at) VALUES ($1, 'One', 0, true, now()), ($1, 'Two', 1, false, NULL)`,
      [taskIds[0]],
    );
    await t.dataSource.query(
      `INSERT INTO reminders (task_id, user_id, type, scheduled_at, method) VALUES ($1, $2, 'absolute', now() + interval '2 days', 'in_app')`,
      [taskIds[0], owner.user.id],
    );
    const port = await freePort();
    floorUrl = `http://127.0.0.1:${port}`;
    floor = launchTs(
      'floor',
      'bench/floor-server.ts',
      [],
      {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        PORT: String(port),
        JWKS_URL: `${t.baseUrl}/.well-known/jwks.json`,
        RATE_LIMIT_GENERAL: '100000',
        POOL_SIZE: '4',
      },
      '/dev/null',
    );
    await waitForStatus(`${floorUrl}/health`, floor);
  }, 120_000);

  afterAll(async () => {
    await stop(floor);
    await t.close();
  });

  it.each([
    ['list', 'GET', () => '/api/v1/tasks', undefined],
    ['a page', 'GET', () => '/api/v1/tasks?offset=1&limit=2', undefined],
    ['a page past the end', 'GET', () => '/api/v1/tasks?offset=40', undefined],
    ['an out-of-range limit', 'GET', () => '/api/v1/tasks?limit=500', undefined],
    ['a detail with subtasks and a reminder', 'GET', () => `/api/v1/tasks/${taskIds[0]}`, undefined],
    ['a detail without children', 'GET', () => `/api/v1/tasks/${taskIds[1]}`, undefined],
    ['an unknown task', 'GET', () => `/api/v1/tasks/${randomUUID()}`, undefined],
    ['a malformed id', 'GET', () => '/api/v1/tasks/nope', undefined],
    ['a create', 'POST', () => '/api/v1/tasks', { title: '  Trimmed  ', description: 'd', priority: 'high' }],
    ['an empty title', 'POST', () => '/api/v1/tasks', { title: ' ' }],
    ['a wrong priority', 'POST', () => '/api/v1/tasks', { title: 'P', priority: 'urgent' }],
    ['a stale version', 'PATCH', () => `/api/v1/tasks/${taskIds[2]}`, { title: 'R', version: 9 }],
    ['a PATCH of an unknown task', 'PATCH', () => `/api/v1/tasks/${randomUUID()}`, { title: 'R' }],
    ['an unsupported method', 'DELETE', () => '/api/v1/tasks', undefined],
  ] as Array<[string, string, () => string, unknown]>)(
    'answers %s like the product',
    async (_name, method, path, body) => {
      const product = await call(t.baseUrl, method, path(), owner.accessToken, body);
      const answer = await call(floorUrl, method, path(), owner.accessToken, body);
      expect(normalized(answer)).toEqual(normalized(product));
    },
  );

  it("answers another user's task 403 like the product, for reads and writes", async () => {
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { title: 'Mine now' }],
    ] as const) {
      const product = await call(t.baseUrl, method, `/api/v1/tasks/${taskIds[3]}`, other.accessToken, body);
      const answer = await call(floorUrl, method, `/api/v1/tasks/${taskIds[3]}`, other.accessToken, body);
      expect(answer.status).toBe(403);
      expect(normalized(answer)).toEqual(normalized(product));
    }
  });

  it('answers a PATCH like the product and writes version + 1 and one activity row', async () => {
    const product = await call(t.baseUrl, 'PATCH', `/api/v1/tasks/${taskIds[1]}`, owner.accessToken, {
      title: 'Renamed',
      priority: 'low',
    });
    const answer = await call(floorUrl, 'PATCH', `/api/v1/tasks/${taskIds[1]}`, owner.accessToken, {
      title: 'Renamed',
      priority: 'low',
      version: 2,
    });
    expect(normalized(answer)).toEqual(
      normalized({ ...product, body: { data: { ...(product.body as { data: object }).data, version: 3 } } }),
    );
    const [row] = await t.dataSource.query('SELECT version, title, priority FROM task_instances WHERE id = $1', [
      taskIds[1],
    ]);
    expect(row).toEqual({ version: 3, title: 'Renamed', priority: 'low' });
    const metadata = await t.dataSource.query(
      `SELECT metadata FROM activity_logs WHERE entity_id = $1 AND action = 'task_updated' ORDER BY created_at`,
      [taskIds[1]],
    );
    expect(metadata.map((entry: { metadata: unknown }) => entry.metadata)).toEqual([
      { changed_fields: ['title', 'priority'] },
      { changed_fields: [] },
    ]);
  });

  it('runs a write once per key: a retry replays it, another body conflicts, nothing is written twice', async () => {
    const key = randomUUID();
    const first = await call(floorUrl, 'POST', '/api/v1/tasks', owner.accessToken, { title: 'Once' }, key);
    const retry = await call(floorUrl, 'POST', '/api/v1/tasks', owner.accessToken, { title: 'Once' }, key);
    const changed = await call(floorUrl, 'POST', '/api/v1/tasks', owner.accessToken, { title: 'Twice' }, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['x-idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(changed.status).toBe(409);
    expect((changed.body as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_CONFLICT');
    const id = (first.body as { data: { id: string } }).data.id;
    expect(
      await count(`SELECT count(*) AS n FROM task_instances WHERE user_id = $1 AND title = 'Once'`, [owner.user.id]),
    ).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM activity_logs WHERE entity_id = $1`, [id])).toBe(1);
    const [stored] = await t.dataSource.query(
      'SELECT state, response_status, request_method, request_path FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [owner.user.id, key],
    );
    expect(stored).toEqual({
      state: 'completed',
      response_status: 201,
      request_method: 'POST',
      request_path: '/api/v1/tasks',
    });
  });

  it('answers concurrent duplicates 409 IDEMPOTENCY_IN_PROGRESS or a replay, and applies the PATCH once', async () => {
    const key = randomUUID();
    const [{ version: before }] = await t.dataSource.query('SELECT version FROM task_instances WHERE id = $1', [
      taskIds[2],
    ]);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(floorUrl, 'PATCH', `/api/v1/tasks/${taskIds[2]}`, owner.accessToken, { title: 'Raced' }, key),
      ),
    );
    const fresh = answers.filter((answer) => answer.status === 200 && !answer.headers['x-idempotent-replayed']);
    expect(fresh).toHaveLength(1);
    // Each other answer is one of the two the race allows, whole.
    const allowed = [
      { status: 409, code: 'IDEMPOTENCY_IN_PROGRESS', retryAfter: '1', replayed: undefined },
      { status: 200, code: undefined, retryAfter: undefined, replayed: 'true' },
    ];
    for (const answer of answers.filter((candidate) => candidate !== fresh[0])) {
      expect(allowed).toContainEqual({
        status: answer.status,
        code: (answer.body as { error?: { code: string } }).error?.code,
        retryAfter: answer.headers['retry-after'],
        replayed: answer.headers['x-idempotent-replayed'],
      });
    }
    const [{ version: after }] = await t.dataSource.query('SELECT version FROM task_instances WHERE id = $1', [
      taskIds[2],
    ]);
    expect(after).toBe(before + 1);
  });

  it('refuses a create over the active-task limit with the stored 409 LIMIT_EXCEEDED, as the product does', async () => {
    await t.dataSource.query(
      `INSERT INTO task_instances (user_id, title, description, priority, created_at, updated_at)
       SELECT $1, 'Filler ' || g, '', 'low', now(), now() FROM generate_series(1, 50) g`,
      [other.user.id],
    );
    const key = randomUUID();
    const product = await call(t.baseUrl, 'POST', '/api/v1/tasks', other.accessToken, { title: 'Over' });
    const answer = await call(floorUrl, 'POST', '/api/v1/tasks', other.accessToken, { title: 'Over' }, key);
    expect(answer.status).toBe(409);
    expect(normalized(answer)).toEqual(normalized(product));
    const replay = await call(floorUrl, 'POST', '/api/v1/tasks', other.accessToken, { title: 'Over' }, key);
    expect(replay.status).toBe(409);
    expect(replay.headers['x-idempotent-replayed']).toBe('true');
    expect(await count(`SELECT count(*) AS n FROM task_instances WHERE user_id = $1`, [other.user.id])).toBe(50);
  });

  it('answers 401 without a valid token or for a deleted user', async () => {
    const missing = await fetch(`${floorUrl}/api/v1/tasks`);
    expect(missing.status).toBe(401);
    const gone = await loginAs(t);
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [gone.user.id]);
    const product = await call(t.baseUrl, 'GET', '/api/v1/tasks', gone.accessToken);
    const answer = await call(floorUrl, 'GET', '/api/v1/tasks', gone.accessToken);
    expect(answer.status).toBe(401);
    expect((answer.body as { error: unknown }).error).toEqual({
      ...(product.body as { error: object }).error,
      request_id: (answer.body as { error: { request_id: string } }).error.request_id,
    });
  });
});
