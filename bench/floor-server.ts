import { createHash, createPublicKey, KeyObject, randomUUID, verify } from 'node:crypto';
import { createServer, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Pool, PoolClient, QueryConfig, types } from 'pg';
import { effectiveLimits, tierLimits } from '../libs/limits/src/tier-limits';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, ACCESS_TOKEN_TYPE } from '../libs/auth/src/jwt.constants';
import { TASK_PRIORITIES, UserTier } from '../libs/core/src/database/enums';
import {
  ArchivedError,
  DomainError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  TokenExpiredError,
  UnauthorizedError,
  ValidationError,
} from '../libs/core/src/errors/domain-error';
import { RateLimitExceededError } from '../libs/core/src/rate-limit/rate-limiter';
import { errorHeaders } from '../libs/http/src/error-response';
import { IdempotencyService } from '../libs/core/src/idempotency/idempotency.service';
import type { TaskResponseDto } from '../libs/tasks/src/dto/task-response.dto';
import { TaskVersionConflictError } from '../libs/tasks/src/tasks.errors';

/**
 * The floor of `npm run bench`: the fastest reasonable implementation of the product's contract
 * for the four requests of the CRUD mix (list, get, create, PATCH a task), on `node:http` + `pg`.
 * Every rule the product follows for them is kept — RS256 bearer verification and the user check,
 * the rate-limit headers, ownership (403/404), the active-task limit under the locked user row,
 * optimistic versioning, `Idempotency-Key` exactly once (docs/api.md §1.10: key, fingerprint and
 * outcome in the transaction of the effect; a concurrent duplicate 409 at once), the activity row
 * and the product's JSON — with the fewest statements and commits a pooled `pg` client allows:
 *
 * - list, get: one named statement each (the user check joined in), no transaction;
 * - create, PATCH: BEGIN, a claim statement (advisory try-lock on the key, the stored key, the
 *   user or task row locked), a write statement (row + activity row + key with its outcome in one
 *   CTE), COMMIT — one commit.
 *
 * bench/README.md compares this with the product statement by statement. Not covered, because
 * the bench never sends them: list filters other than offset/limit, PATCH of due_date and of the
 * completed/hidden/archived flags (they answer 400 here), the deprecated PUT alias, CORS
 * preflights.
 *
 * Env: DATABASE_URL, PORT, JWKS_URL (the product's, for its access-token keys), POOL_SIZE,
 * RATE_LIMIT_GENERAL.
 */

const POOL_SIZE = Number(process.env.POOL_SIZE ?? 20);
const RATE_LIMIT = Number(process.env.RATE_LIMIT_GENERAL ?? 100);
const PRO_DAILY_CREDITS = 0; // credits play no part in these four requests
const CLOCK_TOLERANCE_SECONDS = 30;
const KEY_RETENTION = '24 hours';
const PRIORITIES = new Set<string>(TASK_PRIORITIES);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_FORMAT = /^[\x20-\x7E]{1,255}$/;
const TASK_PATH = /^\/api\/v1\/tasks(?:\/([^/?]+))?\/?$/;

/** Timestamps as PostgreSQL prints them in UTC (`2026-01-02 03:04:05.678+00`) → ISO 8601 with milliseconds. */
function isoOf(text: string | null): string | null {
  if (text === null) return null;
  const dot = text.indexOf('.', 19);
  const millis = dot === 19 ? (text.slice(20, text.length - 3) + '00').slice(0, 3) : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
}
// No Date objects: timestamps stay text (the session runs in UTC) and are rewritten, not parsed.
types.setTypeParser(types.builtins.TIMESTAMPTZ, (text) => text);

const TASK_COLUMNS = `t.id, t.user_id, t.template_id, t.title, t.description, t.priority, t.due_date,
  t.estimated_duration, t.focus_time_seconds, t.completed, t.completed_at, t.completed_by, t.hidden,
  t.archived, t.version, t.created_at, t.updated_at`;
const COUNTS = `LEFT JOIN LATERAL (
    SELECT count(*)::int AS subtask_count, (count(*) FILTER (WHERE s.completed))::int AS subtask_completed_count
    FROM subtasks s WHERE s.task_id = t.id) c ON true`;
const ISO = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** The session-scoped advisory lock id of one (user, key) pair. */
const KEY_LOCK = `pg_try_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::text, 0))`;

const statement = (name: string, text: string) => ({ name, text });
const SQL = {
  /** The user check and one page of the user's visible tasks with counts and the total. */
  list: statement(
    'floor_list',
    `SELECT ${TASK_COLUMNS}, t.total_count, c.subtask_count, c.subtask_completed_count
     FROM users u
     LEFT JOIN LATERAL (
       SELECT t.*, count(*) OVER () AS total_count FROM task_instances t
       WHERE t.user_id = u.id AND t.hidden = false
       ORDER BY t.created_at DESC, t.id DESC LIMIT $2 OFFSET $3) t ON true
     ${COUNTS}
     WHERE u.id = $1
     ORDER BY t.created_at DESC, t.id DESC`,
  ),
  /** The user check, the task with counts, its subtasks and reminders as JSON text (one statement). */
  detail: statement(
    'floor_detail',
    `SELECT ${TASK_COLUMNS}, c.subtask_count, c.subtask_completed_count,
       (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'task_id', s.task_id, 'title', s.title,
          'completed', s.completed, 'completed_at', ${ISO('s.completed_at')}, 'order_index', s.order_index,
          'source', s.source, 'created_at', ${ISO('s.created_at')}, 'updated_at', ${ISO('s.updated_at')})
          ORDER BY s.order_index), '[]')::text FROM subtasks s WHERE s.task_id = t.id) AS subtasks,
       (SELECT COALESCE(json_agg(json_build_object('id', r.id, 'task_id', r.task_id, 'user_id', r.user_id,
          'type', r.type, 'offset_minutes', r.offset_minutes, 'scheduled_at', ${ISO('r.scheduled_at')},
          'method', r.method, 'fired', r.fired, 'fired_at', ${ISO('r.fired_at')}, 'skipped', r.skipped,
          'created_at', ${ISO('r.created_at')}, 'updated_at', ${ISO('r.updated_at')})
          ORDER BY r.scheduled_at, r.id), '[]')::text FROM reminders r WHERE r.task_id = t.id) AS reminders
     FROM users u
     LEFT JOIN task_instances t ON t.id = $2
     ${COUNTS}
     WHERE u.id = $1`,
  ),
  /** Create, in the transaction: the key's try-lock first, then the user row locked, its limits, the stored key. */
  createClaim: statement(
    'floor_create_claim',
    `SELECT l.got, u.tier, u.max_tasks, u.found, k.request_method, k.request_path, k.request_hash,
       k.response_status, k.response_headers, k.response_body::text AS response_body
     FROM (SELECT ${KEY_LOCK} AS got) l
     LEFT JOIN LATERAL (
       SELECT u.tier, true AS found, (SELECT COALESCE(SUM(d.perk_value), 0)::int FROM user_achievements ua
         JOIN achievement_definitions d ON d.id = ua.achievement_id
         WHERE ua.user_id = u.id AND d.perk_type = 'max_tasks') AS max_tasks
       FROM users u WHERE u.id = $1 AND l.got FOR UPDATE OF u) u ON true
     LEFT JOIN idempotency_keys k ON k.user_id = $1 AND k.key = $2 AND k.expires_at > now()`,
  ),
  /** Create: the active count under the user lock; the task, its activity row and the stored outcome if there is room. */
  createWrite: statement(
    'floor_create_write',
    `WITH active AS (
       SELECT count(*)::int AS n FROM task_instances
       WHERE user_id = $1 AND completed = false AND archived = false AND hidden = false),
     task AS (
       INSERT INTO task_instances (id, user_id, title, description, priority, version, created_at, updated_at)
       SELECT $2::uuid, $1::uuid, $3::text, $4::text, $5::text, 1, $6::timestamptz, $6::timestamptz
       FROM active WHERE active.n < $7 RETURNING id),
     activity AS (
       INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
       SELECT $1::uuid, 'task', id, 'task_created', 'user', '{"template_id":null}'::jsonb, $8::text, $6::timestamptz
       FROM task),
     outcome AS (${storeOutcome({ user: '$1', key: '$9', method: "'POST'", path: '$10', hash: '$11', status: '201', body: '$12', now: '$6', when: 'EXISTS (SELECT 1 FROM task)' })}
       RETURNING 1)
     SELECT active.n, (SELECT count(*)::int FROM task) AS created, (SELECT count(*)::int FROM outcome) AS stored
     FROM active`,
  ),
  /** PATCH, in the transaction: the key's try-lock, the user check, the stored key, the task row locked with counts. */
  patchClaim: statement(
    'floor_patch_claim',
    `SELECT l.got, (SELECT tier FROM users WHERE id = $1) AS tier, k.request_method, k.request_path,
       k.request_hash, k.response_status, k.response_headers, k.response_body::text AS response_body,
       ${TASK_COLUMNS}, c.subtask_count, c.subtask_completed_count
     FROM (SELECT ${KEY_LOCK} AS got) l
     LEFT JOIN idempotency_keys k ON k.user_id = $1 AND k.key = $2 AND k.expires_at > now()
     LEFT JOIN LATERAL (SELECT * FROM task_instances WHERE id = $3 AND l.got FOR UPDATE) t ON true
     ${COUNTS}`,
  ),
  /** PATCH: the row (version + 1), its activity row and the stored outcome. */
  patchWrite: statement(
    'floor_patch_write',
    `WITH task AS (
       UPDATE task_instances SET title = $3, description = $4, priority = $5, version = $6, updated_at = $7
       WHERE id = $2),
     activity AS (
       INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
       VALUES ($1, 'task', $2, 'task_updated', 'user', $8, $9, $7))
     ${storeOutcome({ user: '$1', key: '$10', method: "'PATCH'", path: '$11', hash: '$12', status: '200', body: '$13', now: '$7' })}`,
  ),
  /** An error outcome of a write (403, 404, 409), stored in the request's transaction. */
  storeError: statement(
    'floor_store_error',
    storeOutcome({
      user: '$1',
      key: '$2',
      path: '$3',
      hash: '$4',
      body: '$5',
      method: '$6',
      status: '$7',
      now: 'now()',
    }),
  ),
};

interface OutcomeParameters {
  user: string;
  key: string;
  method: string;
  path: string;
  hash: string;
  status: string;
  body: string;
  now: string;
  /** Stored only when this holds (default: always). */
  when?: string;
}

/**
 * INSERT of a key with its outcome (SQL expressions per column). An expired row of the same key is
 * replaced; a live one (only possible when its commit raced this request's try-lock) is left alone
 * and the statement reports no row, so the caller rolls back and replays it.
 */
function storeOutcome(p: OutcomeParameters): string {
  return `INSERT INTO idempotency_keys AS k (user_id, key, request_method, request_path, request_hash, state,
      response_status, response_headers, response_body, created_at, expires_at)
    SELECT ${p.user}::uuid, ${p.key}::text, ${p.method}::text, ${p.path}::text, ${p.hash}::text, 'completed',
      ${p.status}::int, '{}'::jsonb, ${p.body}::jsonb, ${p.now}::timestamptz, ${p.now}::timestamptz + interval '${KEY_RETENTION}'
    WHERE ${p.when ?? 'true'}
    ON CONFLICT (user_id, key) DO UPDATE SET request_method = EXCLUDED.request_method,
      request_path = EXCLUDED.request_path, request_hash = EXCLUDED.request_hash, state = EXCLUDED.state,
      locked_until = NULL, response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers,
      response_body = EXCLUDED.response_body, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
    WHERE k.expires_at <= now()`;
}

type Row = Record<string, unknown>;

/** An answer: status, body as JSON text, extra headers. */
interface Answer {
  status: number;
  json: string;
  headers?: OutgoingHttpHeaders;
}

/** A live key with another outcome stored meanwhile (the try-lock raced its commit): run again. */
class KeyRaced extends Error {}

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: POOL_SIZE,
  options: '-c TimeZone=UTC',
});
const keys = new Map<string, KeyObject>();

async function loadKeys(): Promise<void> {
  const response = await fetch(process.env.JWKS_URL!);
  const jwks = (await response.json()) as { keys: Array<{ kid: string } & Record<string, string>> };
  for (const jwk of jwks.keys) keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
}

/** RS256 with a known `kid`, issuer, audience, expiry (30 s skew), type, `sub` and `jti`: the caller's id. */
function verifiedUserId(header: string | undefined): string {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
  const [head, payload, signature] = token.split('.');
  if (!signature) throw new UnauthorizedError(token ? 'Invalid access token' : 'Missing bearer token');
  const invalid = new UnauthorizedError('Invalid access token');
  let claims: Row;
  try {
    const { alg, kid } = JSON.parse(Buffer.from(head, 'base64url').toString()) as Row;
    const key = keys.get(String(kid));
    const signed = Buffer.from(`${head}.${payload}`);
    if (alg !== 'RS256' || !key || !verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) {
      throw invalid;
    }
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Row;
  } catch {
    throw invalid;
  }
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + CLOCK_TOLERANCE_SECONDS <= now) {
    throw new TokenExpiredError();
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const valid =
    claims.iss === ACCESS_TOKEN_ISSUER &&
    audience.includes(ACCESS_TOKEN_AUDIENCE) &&
    claims.type === ACCESS_TOKEN_TYPE &&
    typeof claims.sub === 'string' &&
    UUID.test(claims.sub) &&
    typeof claims.jti === 'string' &&
    claims.jti !== '';
  if (!valid) throw invalid;
  return (claims.sub as string).toLowerCase();
}

/** Fixed 60-s windows in memory, like the product without REDIS_URL; only this window's counters are kept. */
const rateWindow = { index: 0, hits: new Map<string, number>() };
function rateLimit(userId: string): { headers: OutgoingHttpHeaders; exceeded: boolean; retryAfter: number } {
  const now = Date.now();
  const index = Math.floor(now / 60_000);
  if (index !== rateWindow.index) rateWindow.hits = new Map();
  rateWindow.index = index;
  const hits = (rateWindow.hits.get(userId) ?? 0) + 1;
  rateWindow.hits.set(userId, hits);
  const resetAt = (index + 1) * 60_000;
  return {
    headers: {
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - hits)),
      'X-RateLimit-Reset': String(resetAt / 1000),
    },
    exceeded: hits > RATE_LIMIT,
    retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}

function taskJson(row: Row): Row {
  return {
    id: row.id,
    user_id: row.user_id,
    template_id: row.template_id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    due_date: isoOf(row.due_date as string | null),
    estimated_duration: row.estimated_duration,
    focus_time_seconds: row.focus_time_seconds,
    completed: row.completed,
    completed_at: isoOf(row.completed_at as string | null),
    completed_by: row.completed_by,
    hidden: row.hidden,
    archived: row.archived,
    subtask_count: row.subtask_count ?? 0,
    subtask_completed_count: row.subtask_completed_count ?? 0,
    version: row.version,
    created_at: isoOf(row.created_at as string),
    updated_at: isoOf(row.updated_at as string),
  };
}

function errorJson(error: DomainError, requestId: string): string {
  return JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...error.extra,
      request_id: requestId,
    },
  });
}

function query(client: Pool | PoolClient, sql: { name: string; text: string }, values: unknown[]): Promise<Row[]> {
  return client.query({ ...sql, values } as QueryConfig).then((result) => result.rows as Row[]);
}

function pageParameter(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  // class-validator's IsInt, Min and Max messages, as the product's QueryIntField answers them.
  if (!/^-?\d+$/.test(raw)) throw ValidationError.field(name, 'must be an integer');
  if (value < min) throw ValidationError.field(name, `must not be less than ${min}`);
  if (value > max) throw ValidationError.field(name, `must not be greater than ${max}`);
  return value;
}

async function list(userId: string, params: URLSearchParams): Promise<Answer> {
  const offset = pageParameter(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = pageParameter(params, 'limit', 25, 1, 100);
  const rows = await query(pool, SQL.list, [userId, limit, offset]);
  if (rows.length === 0) throw new UnauthorizedError('The user of this access token no longer exists');
  const tasks = rows[0].id === null ? [] : rows;
  const total = tasks.length > 0 ? Number(tasks[0].total_count) : 0;
  // A page past the end carries no total; the product counts it separately, so does the floor.
  const counted = tasks.length === 0 && offset > 0 ? await countVisible(userId) : total;
  const pagination = { offset, limit, total: counted, has_more: offset + tasks.length < counted };
  return { status: 200, json: JSON.stringify({ data: tasks.map(taskJson), pagination }) };
}

async function countVisible(userId: string): Promise<number> {
  const rows = await query(
    pool,
    statement('floor_count', 'SELECT count(*)::int AS n FROM task_instances WHERE user_id = $1 AND hidden = false'),
    [userId],
  );
  return Number(rows[0].n);
}

async function detail(userId: string, taskId: string): Promise<Answer> {
  if (!UUID.test(taskId)) throw ValidationError.field('id', 'must be a UUID');
  const rows = await query(pool, SQL.detail, [userId, taskId.toLowerCase()]);
  if (rows.length === 0) throw new UnauthorizedError('The user of this access token no longer exists');
  const row = owned(rows[0], userId);
  const task = JSON.stringify(taskJson(row));
  // The children are already JSON: spliced in, never parsed.
  return {
    status: 200,
    json: `{"data":${task.slice(0, -1)},"subtasks":${row.subtasks as string},"reminders":${row.reminders as string}}}`,
  };
}

function owned(row: Row, userId: string): Row {
  if (row.id === null) throw new NotFoundError('Task');
  if (row.user_id !== userId) throw new ForbiddenError();
  return row;
}

interface WriteRequest {
  userId: string;
  key: string;
  path: string;
  hash: string;
  method: string;
  requestId: string;
  body: Row;
}

async function transaction(work: (client: PoolClient) => Promise<Answer>): Promise<Answer> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const answer = await work(client);
    await client.query('COMMIT');
    return answer;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Steps 5 of docs/api.md §1.9 on the claim row: a running duplicate (try-lock refused) → 409 at once;
 * a stored outcome → replayed or, with another fingerprint, 409 IDEMPOTENCY_CONFLICT.
 */
function replayOrConflict(claim: Row, request: WriteRequest): Answer | undefined {
  if (!claim.got) {
    throw new DomainError(
      'IDEMPOTENCY_IN_PROGRESS',
      'The original request with this Idempotency-Key is still running',
      {
        retryAfter: 1,
      },
    );
  }
  if (claim.response_status === null) return undefined;
  const same =
    claim.request_method === request.method &&
    claim.request_path === request.path &&
    claim.request_hash === request.hash;
  if (!same) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
  }
  return {
    status: Number(claim.response_status),
    json: claim.response_body as string,
    headers: { ...(claim.response_headers as Record<string, string>), 'X-Idempotent-Replayed': 'true' },
  };
}

/** Stores a 403/404/409 outcome with the key in the request's transaction, then answers it. */
async function storedError(client: PoolClient, request: WriteRequest, error: DomainError): Promise<Answer> {
  const json = errorJson(error, request.requestId);
  const values = [request.userId, request.key, request.path, request.hash, json, request.method, error.status];
  const stored = await client.query({ ...SQL.storeError, values } as QueryConfig);
  if (stored.rowCount === 0) throw new KeyRaced();
  return { status: error.status, json, headers: errorHeaders(error) };
}

const TITLE = { trim: true, min: 1 };
const DESCRIPTION = { trim: false, min: 0 };

/** A text field as the product's TextField checks it (trimmed or not, length in code points). */
function text(body: Row, field: string, max: number, options: { trim: boolean; min: number }): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw ValidationError.field(field, 'must be a string');
  const trimmed = options.trim ? value.trim() : value;
  const length = [...trimmed].length;
  if (length < options.min || length > max) {
    const message =
      options.min === 1 && length === 0 ? 'must not be empty' : `must be between ${options.min} and ${max} characters`;
    throw ValidationError.field(field, message);
  }
  return trimmed;
}

/** Fields of the contract the floor does not implement (the bench never sends them): 400 rather than ignored. */
function refuseUnsupported(body: Row, unsupported: string[]): void {
  const field = unsupported.find((name) => body[name] !== undefined && body[name] !== null);
  if (field) throw ValidationError.field(field, 'is not supported by the floor server');
}

function priority(body: Row): string | undefined {
  const value = body.priority;
  if (value !== undefined && (typeof value !== 'string' || !PRIORITIES.has(value))) {
    throw ValidationError.field('priority', `must be one of ${TASK_PRIORITIES.join(', ')}`);
  }
  return value;
}

async function create(request: WriteRequest): Promise<Answer> {
  return transaction(async (client) => {
    const [claim] = await query(client, SQL.createClaim, [request.userId, request.key]);
    if (claim.got && !claim.found) throw new UnauthorizedError('The user of this access token no longer exists');
    const replay = replayOrConflict(claim, request);
    if (replay) return replay;
    const { body } = request;
    refuseUnsupported(body, ['due_date', 'estimated_duration']);
    const title = text(body, 'title', 200, TITLE);
    if (title === undefined) throw ValidationError.field('title', 'must be a string');
    const limits = effectiveLimits(tierLimits(claim.tier as UserTier, PRO_DAILY_CREDITS), {
      max_tasks: Number(claim.max_tasks),
      max_notes: 0,
      daily_credits: 0,
    });
    const description = text(body, 'description', limits.maxDescriptionLength, DESCRIPTION) ?? '';
    const task = {
      id: randomUUID(),
      user_id: request.userId,
      template_id: null,
      title,
      description,
      priority: priority(body) ?? 'medium',
      due_date: null,
      estimated_duration: null,
      focus_time_seconds: 0,
      completed: false,
      completed_at: null,
      completed_by: null,
      hidden: false,
      archived: false,
      subtask_count: 0,
      subtask_completed_count: 0,
      version: 1,
      created_at: new Date().toISOString(),
      updated_at: '',
    };
    task.updated_at = task.created_at;
    const json = JSON.stringify({ data: task });
    const [written] = await query(client, SQL.createWrite, [
      request.userId,
      task.id,
      title,
      description,
      task.priority,
      task.created_at,
      limits.maxActiveTasks,
      request.requestId,
      request.key,
      request.path,
      request.hash,
      json,
    ]);
    if (written.created === 0) {
      const message = `Active task limit reached (${limits.maxActiveTasks}); complete, hide or archive tasks first`;
      return storedError(client, request, new LimitExceededError(message, limits.maxActiveTasks, Number(written.n)));
    }
    if (written.stored === 0) throw new KeyRaced();
    return { status: 201, json };
  });
}

async function patch(request: WriteRequest, taskId: string): Promise<Answer> {
  if (!UUID.test(taskId)) throw ValidationError.field('id', 'must be a UUID');
  return transaction(async (client) => {
    const [claim] = await query(client, SQL.patchClaim, [request.userId, request.key, taskId.toLowerCase()]);
    if (claim.tier === null) throw new UnauthorizedError('The user of this access token no longer exists');
    const replay = replayOrConflict(claim, request);
    if (replay) return replay;
    const { body } = request;
    refuseUnsupported(body, ['due_date', 'estimated_duration', 'completed', 'hidden', 'archived']);
    const version = body.version;
    if (version !== undefined && (!Number.isInteger(version) || (version as number) < 1)) {
      throw ValidationError.field('version', Number.isInteger(version) ? 'must be at least 1' : 'must be an integer');
    }
    const title = text(body, 'title', 200, TITLE);
    const limits = tierLimits(claim.tier as UserTier, PRO_DAILY_CREDITS);
    const description =
      body.description === null ? '' : text(body, 'description', limits.maxDescriptionLength, DESCRIPTION);
    const newPriority = priority(body);
    let task: Row;
    try {
      task = owned(claim, request.userId);
      if (version !== undefined && version !== task.version) {
        throw new TaskVersionConflictError(taskJson(task) as unknown as TaskResponseDto);
      }
      if (task.archived) throw new ArchivedError('Task');
    } catch (error) {
      if (error instanceof DomainError) return storedError(client, request, error);
      throw error;
    }
    const changed = [
      ...(title !== undefined && title !== task.title ? ['title'] : []),
      ...(description !== undefined && description !== task.description ? ['description'] : []),
      ...(newPriority !== undefined && newPriority !== task.priority ? ['priority'] : []),
    ];
    const updated = {
      ...taskJson(task),
      title: title ?? task.title,
      description: description ?? task.description,
      priority: newPriority ?? task.priority,
      version: Number(task.version) + 1,
      updated_at: new Date().toISOString(),
      unlocked_achievements: [],
    };
    const json = JSON.stringify({ data: updated });
    const result = await client.query({
      ...SQL.patchWrite,
      values: [
        request.userId,
        task.id,
        updated.title,
        updated.description,
        updated.priority,
        updated.version,
        updated.updated_at,
        JSON.stringify({ changed_fields: changed }),
        request.requestId,
        request.key,
        request.path,
        request.hash,
        json,
      ],
    } as QueryConfig);
    if (result.rowCount === 0) throw new KeyRaced();
    return { status: 200, json };
  });
}

/** Runs a write; a key whose outcome committed between the snapshot and the try-lock is read again and replayed. */
async function write(request: WriteRequest, run: () => Promise<Answer>): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const raced = error instanceof KeyRaced || (error as { code?: string }).code === '23505';
      if (!raced || attempt >= 2) throw error;
    }
  }
}

function writeRequest(
  request: IncomingMessage,
  path: string,
  raw: Buffer,
  userId: string,
  requestId: string,
): WriteRequest {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
    const message = key === undefined ? 'is required on this request' : 'must be 1–255 printable ASCII characters';
    throw ValidationError.field('Idempotency-Key', message);
  }
  return {
    userId,
    key,
    path: IdempotencyService.storedPath(path),
    hash: createHash('sha256').update(raw).digest('hex'),
    method: request.method!,
    requestId,
    body: parseBody(raw, request.headers['content-type']),
  };
}

function parseBody(raw: Buffer, contentType: string | undefined): Row {
  if (raw.length === 0) return {};
  if (!contentType || !/^application\/(.+\+)?json\s*(;|$)/i.test(contentType)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString());
  } catch {
    throw new ValidationError([], 'Malformed JSON body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ValidationError([], 'The JSON body must be an object');
  }
  return parsed as Row;
}

/** Route (404/405), bearer check, rate limit, then the request; headers of the answer merged with the rate limit's. */
async function route(request: IncomingMessage, raw: Buffer, requestId: string): Promise<Answer> {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const pathname = queryAt >= 0 ? url.slice(0, queryAt) : url;
  if (pathname === '/health') return { status: 200, json: '{"status":"ok"}' };
  const match = TASK_PATH.exec(pathname);
  if (!match) throw new NotFoundError('Route');
  const taskId = match[1];
  const allowed = taskId ? ['GET', 'PATCH'] : ['GET', 'POST'];
  if (!allowed.includes(request.method!)) {
    const error = new DomainError('METHOD_NOT_ALLOWED', `${request.method} is not supported on this path`);
    return {
      status: 405,
      json: errorJson(error, requestId),
      headers: { Allow: [...allowed, 'HEAD'].sort().join(', ') },
    };
  }
  const userId = verifiedUserId(request.headers.authorization);
  const limit = rateLimit(userId);
  const withLimits = (answer: Answer): Answer => ({ ...answer, headers: { ...limit.headers, ...answer.headers } });
  try {
    if (limit.exceeded) throw new RateLimitExceededError(limit.retryAfter);
    if (request.method === 'GET') {
      const params = new URLSearchParams(queryAt >= 0 ? url.slice(queryAt + 1) : '');
      return withLimits(taskId ? await detail(userId, taskId) : await list(userId, params));
    }
    const write = writeRequest(request, url, raw, userId, requestId);
    return withLimits(await runWrite(write, taskId));
  } catch (error) {
    // A missing user is a 401 without rate-limit headers; every other error carries them.
    if (error instanceof DomainError && error.status !== 401) {
      return withLimits({ status: error.status, json: errorJson(error, requestId), headers: errorHeaders(error) });
    }
    throw error;
  }
}

function runWrite(request: WriteRequest, taskId: string | undefined): Promise<Answer> {
  return write(request, () => (taskId ? patch(request, taskId) : create(request)));
}

/** The product's headers on every API response (docs/api.md §1.13), computed once. */
const STATIC_HEADERS: OutgoingHttpHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'X-Request-ID,X-RateLimit-Limit,X-RateLimit-Remaining,X-RateLimit-Reset,Retry-After,X-Idempotent-Replayed,Deprecation,Sunset,Link',
};

function send(response: ServerResponse, answer: Answer, requestId: string): void {
  response.writeHead(answer.status, {
    ...STATIC_HEADERS,
    ...answer.headers,
    'Content-Length': Buffer.byteLength(answer.json),
    'X-Request-ID': requestId,
  });
  response.end(answer.json);
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const requestId = randomUUID();
    route(request, Buffer.concat(chunks), requestId).then(
      (answer) => send(response, answer, requestId),
      (error: unknown) => {
        const domain =
          error instanceof DomainError ? error : new DomainError('INTERNAL_ERROR', 'An unexpected error occurred');
        if (domain.status === 500) console.error(error);
        send(
          response,
          { status: domain.status, json: errorJson(domain, requestId), headers: errorHeaders(domain) },
          requestId,
        );
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
