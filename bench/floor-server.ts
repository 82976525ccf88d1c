import { createHash, createPublicKey, KeyObject, randomUUID, verify } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';

/**
 * The floor of `npm run bench`: the four requests of the CRUD mix (list, get, create, PATCH a
 * task) answered by plain `node:http` + `pg`, with the statements the product runs for them
 * (bearer check with the user lookup, the idempotency claim and completion, the task
 * transaction with its activity entry) and the same JSON. No framework, no logging, no
 * validation library: what is left is the unavoidable cost of the work, which the product's
 * throughput is compared with.
 *
 * Env: DATABASE_URL, PORT, JWKS_URL (the product's, for its access-token keys), POOL_SIZE.
 */

const ISSUER = 'perpetua-flow';
const AUDIENCE = 'perpetua-flow-api';
const POOL_SIZE = Number(process.env.POOL_SIZE ?? 20);
const RATE_LIMIT = Number(process.env.RATE_LIMIT_GENERAL ?? 100);
const PRIORITIES = new Set(['low', 'medium', 'high']);

const WITH_COUNTS = `CROSS JOIN LATERAL (
  SELECT count(*)::int AS subtask_count, (count(*) FILTER (WHERE s.completed))::int AS subtask_completed_count
  FROM subtasks s WHERE s.task_id = t.id) c`;

const SQL = {
  user: 'SELECT id, email FROM users WHERE id = $1',
  claimKey: `INSERT INTO idempotency_keys (user_id, key, request_method, request_path, request_hash, state, locked_until, created_at, expires_at)
    VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(secs => $6), now(), now() + make_interval(hours => $7))
    ON CONFLICT (user_id, key) DO NOTHING RETURNING id`,
  completeKey: `UPDATE idempotency_keys SET state = 'completed', locked_until = NULL, response_status = $2, response_headers = $3, response_body = $4 WHERE id = $1`,
  lockTask: `SELECT * FROM task_instances WHERE id = $1 FOR UPDATE`,
  view: `SELECT t.*, c.* FROM task_instances t ${WITH_COUNTS} WHERE t.id = $1`,
  list: `SELECT t.*, c.* FROM (
      SELECT t.*, count(*) OVER () AS total_count FROM task_instances t WHERE t.user_id = $1 AND t.hidden = false
      ORDER BY t.created_at DESC, t.id DESC LIMIT $2 OFFSET $3
    ) t ${WITH_COUNTS} ORDER BY t.created_at DESC, t.id DESC`,
  subtasks: 'SELECT * FROM subtasks WHERE task_id = $1 ORDER BY order_index',
  reminders: 'SELECT * FROM reminders WHERE task_id = $1 ORDER BY scheduled_at, id',
  limits: `SELECT u.tier,
      COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_tasks'), 0)::int AS max_tasks,
      COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_notes'), 0)::int AS max_notes,
      COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'daily_credits'), 0)::int AS daily_credits
    FROM (SELECT id, tier FROM users WHERE id = $1 FOR UPDATE) u
    LEFT JOIN user_achievements ua ON ua.user_id = u.id
    LEFT JOIN achievement_definitions d ON d.id = ua.achievement_id
    GROUP BY u.tier`,
  countActive: `SELECT count(*)::int AS active FROM task_instances
    WHERE user_id = $1 AND completed = false AND archived = false AND hidden = false`,
  insertTask: `INSERT INTO task_instances (id, user_id, template_id, generated_from_task_id, title, description, priority, due_date,
      estimated_duration, focus_time_seconds, completed, completed_at, completed_by, stats_counted, hidden, archived, version,
      created_at, updated_at)
    VALUES ($1, $2, NULL, NULL, $3, $4, $5, NULL, NULL, 0, false, NULL, NULL, false, false, false, 1, $6, $6)`,
  updateTask: `UPDATE task_instances SET title = $1, priority = $2, version = $3, updated_at = $4 WHERE id = $5`,
  activity: `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
    VALUES ($1, 'task', $2, $3, 'user', $4, $5, $6)`,
};

type Row = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: POOL_SIZE });
const keys = new Map<string, KeyObject>();
const windows = new Map<string, number>();

async function loadKeys(): Promise<void> {
  const response = await fetch(process.env.JWKS_URL!);
  const jwks = (await response.json()) as { keys: Array<{ kid: string } & Record<string, string>> };
  for (const jwk of jwks.keys) keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
}

/** RS256 signature, issuer, audience, expiry (30 s skew) and type, then the user row. */
async function authenticate(header: string | undefined): Promise<string> {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, payload, signature] = token.split('.');
  if (!signature) throw new HttpError(401, 'UNAUTHORIZED');
  const { kid } = JSON.parse(Buffer.from(head, 'base64url').toString()) as { kid: string };
  const key = keys.get(kid);
  if (!key || !verify('RSA-SHA256', Buffer.from(`${head}.${payload}`), key, Buffer.from(signature, 'base64url'))) {
    throw new HttpError(401, 'UNAUTHORIZED');
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Row;
  const valid =
    claims.iss === ISSUER &&
    claims.aud === AUDIENCE &&
    claims.type === 'access' &&
    typeof claims.exp === 'number' &&
    claims.exp + 30 > Date.now() / 1000;
  if (!valid) throw new HttpError(401, 'UNAUTHORIZED');
  const { rows } = await pool.query(SQL.user, [claims.sub]);
  if (rows.length === 0) throw new HttpError(401, 'UNAUTHORIZED');
  return rows[0].id as string;
}

/** Fixed 60-s windows in memory, like the product without REDIS_URL. */
function rateLimit(userId: string, response: ServerResponse): void {
  const window = Math.floor(Date.now() / 60_000);
  const key = `${userId}:${window}`;
  const hits = (windows.get(key) ?? 0) + 1;
  windows.set(key, hits);
  response.setHeader('X-RateLimit-Limit', String(RATE_LIMIT));
  response.setHeader('X-RateLimit-Remaining', String(Math.max(0, RATE_LIMIT - hits)));
  response.setHeader('X-RateLimit-Reset', String((window + 1) * 60));
  if (hits > RATE_LIMIT) throw new HttpError(429, 'RATE_LIMIT_EXCEEDED');
}

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

function taskJson(row: Row): Row {
  return {
    id: row.id,
    user_id: row.user_id,
    template_id: row.template_id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    due_date: iso(row.due_date),
    estimated_duration: row.estimated_duration,
    focus_time_seconds: row.focus_time_seconds,
    completed: row.completed,
    completed_at: iso(row.completed_at),
    completed_by: row.completed_by,
    hidden: row.hidden,
    archived: row.archived,
    subtask_count: row.subtask_count ?? 0,
    subtask_completed_count: row.subtask_completed_count ?? 0,
    version: row.version,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function subtaskJson(row: Row): Row {
  return {
    id: row.id,
    task_id: row.task_id,
    title: row.title,
    completed: row.completed,
    completed_at: iso(row.completed_at),
    order_index: row.order_index,
    source: row.source,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function reminderJson(row: Row): Row {
  return {
    id: row.id,
    task_id: row.task_id,
    user_id: row.user_id,
    type: row.type,
    offset_minutes: row.offset_minutes,
    scheduled_at: iso(row.scheduled_at),
    method: row.method,
    fired: row.fired,
    fired_at: iso(row.fired_at),
    skipped: row.skipped,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

async function ownedTask(userId: string, taskId: string, sql: string, client: Pool | PoolClient = pool): Promise<Row> {
  const { rows } = await client.query(sql, [taskId]);
  if (rows.length === 0) throw new HttpError(404, 'NOT_FOUND');
  if (rows[0].user_id !== userId) throw new HttpError(403, 'FORBIDDEN');
  return rows[0] as Row;
}

async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function list(userId: string, query: URLSearchParams): Promise<Row> {
  const offset = Number(query.get('offset') ?? 0);
  const limit = Number(query.get('limit') ?? 25);
  const { rows } = await pool.query(SQL.list, [userId, limit, offset]);
  const total = rows.length > 0 ? Number(rows[0].total_count) : 0;
  return { data: rows.map(taskJson), pagination: { offset, limit, total, has_more: offset + rows.length < total } };
}

async function detail(userId: string, taskId: string): Promise<Row> {
  const view = await ownedTask(userId, taskId, SQL.view);
  const { rows: subtasks } = await pool.query(SQL.subtasks, [taskId]);
  const { rows: reminders } = await pool.query(SQL.reminders, [taskId]);
  return {
    data: { ...taskJson(view), subtasks: subtasks.map(subtaskJson), reminders: reminders.map(reminderJson) },
  };
}

function textField(body: Row, field: string, required: boolean): string | undefined {
  const value = body[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0 || value.trim().length > 200) {
    throw new HttpError(400, 'VALIDATION_ERROR');
  }
  return value.trim();
}

function priorityField(body: Row): string | undefined {
  const value = body.priority;
  if (value !== undefined && (typeof value !== 'string' || !PRIORITIES.has(value))) {
    throw new HttpError(400, 'VALIDATION_ERROR');
  }
  return value;
}

function create(userId: string, body: Row, requestId: string): Promise<Row> {
  const title = textField(body, 'title', true)!;
  const description = typeof body.description === 'string' ? body.description.trim() : '';
  const priority = priorityField(body) ?? 'medium';
  return transaction(async (client) => {
    const now = new Date();
    const { rows: limits } = await client.query(SQL.limits, [userId]);
    const maxTasks = (limits[0].tier === 'pro' ? 200 : 10) + Number(limits[0].max_tasks);
    const { rows: active } = await client.query(SQL.countActive, [userId]);
    if (Number(active[0].active) >= maxTasks) throw new HttpError(409, 'LIMIT_EXCEEDED');
    const id = randomUUID();
    await client.query(SQL.insertTask, [id, userId, title, description, priority, now]);
    await client.query(SQL.activity, [userId, id, 'task_created', '{"template_id":null}', requestId, now]);
    const row = {
      id,
      user_id: userId,
      template_id: null,
      title,
      description,
      priority,
      due_date: null,
      estimated_duration: null,
      focus_time_seconds: 0,
      completed: false,
      completed_at: null,
      completed_by: null,
      hidden: false,
      archived: false,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    return { data: taskJson(row) };
  });
}

function patch(userId: string, taskId: string, body: Row, requestId: string): Promise<Row> {
  const title = textField(body, 'title', false);
  const priority = priorityField(body);
  return transaction(async (client) => {
    const task = await ownedTask(userId, taskId, SQL.lockTask, client);
    if (task.archived) throw new HttpError(409, 'ARCHIVED');
    const now = new Date();
    const changed = [...(title !== task.title ? ['title'] : []), ...(priority !== task.priority ? ['priority'] : [])];
    await client.query(SQL.updateTask, [
      title ?? task.title,
      priority ?? task.priority,
      Number(task.version) + 1,
      now,
      taskId,
    ]);
    await client.query(SQL.activity, [
      userId,
      taskId,
      'task_updated',
      JSON.stringify({ changed_fields: changed }),
      requestId,
      now,
    ]);
    const { rows } = await client.query(SQL.view, [taskId]);
    return { data: { ...taskJson(rows[0]), unlocked_achievements: [] } };
  });
}

/** Claim → work → store the outcome, with the product's statements (docs/api.md §1.10). */
async function idempotent(
  userId: string,
  request: IncomingMessage,
  raw: Buffer,
  status: number,
  work: () => Promise<Row>,
): Promise<Row> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') throw new HttpError(400, 'VALIDATION_ERROR');
  const hash = createHash('sha256').update(raw).digest('hex');
  const { rows } = await pool.query(SQL.claimKey, [userId, key, request.method, request.url, hash, 60, 24]);
  if (rows.length === 0) throw new HttpError(409, 'IDEMPOTENCY_CONFLICT');
  const result = await work();
  await pool.query(SQL.completeKey, [rows[0].id, status, '{}', JSON.stringify(result)]);
  return result;
}

async function route(request: IncomingMessage, response: ServerResponse, raw: Buffer, requestId: string) {
  const url = new URL(request.url ?? '/', 'http://floor');
  if (url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
  const match = /^\/api\/v1\/tasks(?:\/([0-9a-f-]{36}))?$/.exec(url.pathname);
  if (!match) throw new HttpError(404, 'NOT_FOUND');
  const userId = await authenticate(request.headers.authorization);
  rateLimit(userId, response);
  const taskId = match[1];
  const body = (): Row => (raw.length > 0 ? (JSON.parse(raw.toString()) as Row) : {});
  if (request.method === 'GET')
    return { status: 200, body: taskId ? await detail(userId, taskId) : await list(userId, url.searchParams) };
  if (request.method === 'POST' && !taskId) {
    return { status: 201, body: await idempotent(userId, request, raw, 201, () => create(userId, body(), requestId)) };
  }
  if (request.method === 'PATCH' && taskId) {
    return {
      status: 200,
      body: await idempotent(userId, request, raw, 200, () => patch(userId, taskId, body(), requestId)),
    };
  }
  throw new HttpError(405, 'METHOD_NOT_ALLOWED');
}

function send(response: ServerResponse, status: number, body: unknown, requestId: string): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    'X-Request-ID': requestId,
  });
  response.end(json);
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const requestId = randomUUID();
    route(request, response, Buffer.concat(chunks), requestId).then(
      ({ status, body }) => send(response, status, body, requestId),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const code = error instanceof HttpError ? error.code : 'INTERNAL_ERROR';
        if (status === 500) console.error(error);
        send(response, status, { error: { code, message: code, request_id: requestId } }, requestId);
      },
    );
  });
});
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;

loadKeys()
  .then(() =>
    server.listen({ port: Number(process.env.PORT), host: '127.0.0.1', backlog: 4096 }, () =>
      console.log('floor server ready'),
    ),
  )
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
