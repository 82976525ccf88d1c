import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { AmbientTransactions } from '../events/ambient-transaction';
import { Transaction } from '../events/transaction';

const LEASE_SECONDS = 60;
const RETENTION_HOURS = 24;
/** Length of `idempotency_keys.request_path` (docs/data-model.md §21). */
const STORED_PATH_LENGTH = 500;

export interface IdempotencyRequest {
  userId: string;
  key: string;
  method: string;
  /** Path with query string (docs/api.md §1.10 fingerprint). */
  path: string;
  rawBody: Buffer;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The body's JSON text exactly as first sent, when read back for a replay (docs/api.md §1.10). */
  json?: string;
}

/** The outcome of a request run in one transaction with its key: replayed or freshly stored. */
export type IdempotentOutcome<T> = { kind: 'replay'; response: StoredResponse } | { kind: 'ran'; result: T };

export type IdempotencyClaim = { kind: 'claimed'; id: string } | { kind: 'replay'; response: StoredResponse };

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super(409, 'IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
  }
}

export class IdempotencyInProgressError extends DomainError {
  constructor() {
    super(
      409,
      'IDEMPOTENCY_IN_PROGRESS',
      'The original request with this Idempotency-Key is still running',
      {},
      undefined,
      {
        'Retry-After': '1',
      },
    );
  }
}

interface KeyRow {
  id: string;
  request_method: string;
  request_path: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  lease_valid: boolean;
  expired: boolean;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

/**
 * Idempotency keys stored in PostgreSQL (docs/api.md §1.10, docs/data-model.md §21). The unique
 * `(user_id, key)` row inserted before the handler runs serializes concurrent duplicates.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(private readonly dataSource: DataSource) {}

  static fingerprint(rawBody: Buffer): string {
    return createHash('sha256').update(rawBody).digest('hex');
  }

  /**
   * The path as stored: unchanged when it fits the column, otherwise its head plus the SHA-256 of
   * the whole path (a URL of any length must not turn into a database error).
   */
  static storedPath(path: string): string {
    if (path.length <= STORED_PATH_LENGTH) return path;
    const digest = createHash('sha256').update(path).digest('hex');
    return `${path.slice(0, STORED_PATH_LENGTH - digest.length - 1)}#${digest}`;
  }

  async claim(request: IdempotencyRequest): Promise<IdempotencyClaim> {
    const hash = IdempotencyService.fingerprint(request.rawBody);
    const path = IdempotencyService.storedPath(request.path);
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO idempotency_keys (user_id, key, request_method, request_path, request_hash, state, locked_until, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'in_progress', now() + make_interval(secs => $6), now(), now() + make_interval(hours => $7))
         ON CONFLICT (user_id, key) DO NOTHING RETURNING id`,
        [request.userId, request.key, request.method, path, hash, LEASE_SECONDS, RETENTION_HOURS],
      );
      if (inserted.length > 0) return { kind: 'claimed', id: inserted[0].id };

      const [existing]: KeyRow[] = await this.dataSource.query(
        `SELECT id, request_method, request_path, request_hash, state, response_status, response_headers, response_body,
                (locked_until IS NOT NULL AND locked_until > now()) AS lease_valid, (expires_at <= now()) AS expired
         FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [request.userId, request.key],
      );
      if (!existing) continue;
      if (existing.expired) {
        await this.dataSource.query('DELETE FROM idempotency_keys WHERE id = $1 AND expires_at <= now()', [
          existing.id,
        ]);
        continue;
      }
      const sameRequest =
        existing.request_method === request.method && existing.request_path === path && existing.request_hash === hash;
      if (!sameRequest) throw new IdempotencyConflictError();
      if (existing.state === 'completed') {
        return { kind: 'replay', response: IdempotencyService.storedOf(existing) };
      }
      if (existing.lease_valid) throw new IdempotencyInProgressError();
      // The original request's process died (lease expired): this retry takes the key over.
      const taken: Array<{ id: string }> = await this.dataSource.query(
        `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $2)
         WHERE id = $1 AND state = 'in_progress' AND (locked_until IS NULL OR locked_until <= now()) RETURNING id`,
        [existing.id, LEASE_SECONDS],
      );
      if (taken.length > 0) return { kind: 'claimed', id: taken[0].id };
    }
    throw new IdempotencyInProgressError();
  }

  /**
   * Exactly once for database-only writes (docs/api.md §1.10): the key's advisory lock, the fingerprint
   * check, the handler's effects (its UnitOfWork joins the ambient transaction) and the stored
   * outcome commit together — a lost answer can never run the effects twice. A second request
   * with the key while the first runs does not wait: 409 IDEMPOTENCY_IN_PROGRESS.
   */
  async runInTransaction<T>(
    request: IdempotencyRequest,
    handler: () => Promise<T>,
    outcomeOf: (result: T) => StoredResponse,
  ): Promise<IdempotentOutcome<T>> {
    const hash = IdempotencyService.fingerprint(request.rawBody);
    const path = IdempotencyService.storedPath(request.path);
    const afterCommit: Array<() => Promise<unknown>> = [];
    const outcome = await this.dataSource.transaction(async (manager): Promise<IdempotentOutcome<T>> => {
      const [{ locked }]: Array<{ locked: boolean }> = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::text, 0)) AS locked`,
        [request.userId, request.key],
      );
      if (!locked) throw new IdempotencyInProgressError();
      const existing = await this.findLive(manager, request.userId, request.key);
      if (existing) {
        const sameRequest =
          existing.request_method === request.method &&
          existing.request_path === path &&
          existing.request_hash === hash;
        if (!sameRequest) throw new IdempotencyConflictError();
        if (existing.state === 'completed') return { kind: 'replay', response: IdempotencyService.storedOf(existing) };
        if (existing.lease_valid) throw new IdempotencyInProgressError();
      }
      const result = await AmbientTransactions.run({ manager, afterCommit }, handler);
      await this.store(manager, request, hash, path, outcomeOf(result));
      return { kind: 'ran', result };
    });
    await Transaction.flushAfterCommit(afterCommit, this.logger);
    return outcome;
  }

  /** Stores a rolled-back request's replayable outcome (a 4xx, docs/api.md §1.10) in its own commit. */
  async storeOutcome(request: IdempotencyRequest, response: StoredResponse): Promise<void> {
    const hash = IdempotencyService.fingerprint(request.rawBody);
    const path = IdempotencyService.storedPath(request.path);
    await this.store(this.dataSource.manager, request, hash, path, response);
  }

  private async store(
    manager: EntityManager,
    request: IdempotencyRequest,
    hash: string,
    path: string,
    response: StoredResponse,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_keys (user_id, key, request_method, request_path, request_hash, state, locked_until,
                                     response_status, response_headers, response_body, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'completed', NULL, $6, $7, $8, now(), now() + make_interval(hours => $9))
       ON CONFLICT (user_id, key) DO UPDATE SET request_method = EXCLUDED.request_method,
         request_path = EXCLUDED.request_path, request_hash = EXCLUDED.request_hash, state = 'completed',
         locked_until = NULL, response_status = EXCLUDED.response_status,
         response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
      [
        request.userId,
        request.key,
        request.method,
        path,
        hash,
        response.status,
        JSON.stringify(response.headers),
        JSON.stringify(response.body ?? null),
        RETENTION_HOURS,
      ],
    );
  }

  private async findLive(manager: EntityManager, userId: string, key: string): Promise<KeyRow | undefined> {
    const [existing]: KeyRow[] = await manager.query(
      `SELECT id, request_method, request_path, request_hash, state, response_status, response_headers, response_body,
              (locked_until IS NOT NULL AND locked_until > now()) AS lease_valid, false AS expired
       FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND expires_at > now()`,
      [userId, key],
    );
    return existing;
  }

  private static storedOf(row: KeyRow): StoredResponse {
    const json = row.response_body ?? 'null';
    return { status: row.response_status ?? 200, headers: row.response_headers ?? {}, body: JSON.parse(json), json };
  }

  async renewLease(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $2) WHERE id = $1 AND state = 'in_progress'`,
      [id, LEASE_SECONDS],
    );
  }

  async complete(id: string, response: StoredResponse): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'completed', locked_until = NULL, response_status = $2, response_headers = $3, response_body = $4
       WHERE id = $1`,
      [id, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    );
  }

  /** Forgets the key so that a retry runs again (5xx and outcomes that are not stored). */
  async release(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE id = $1', [id]);
  }

  /** The `idempotency_key_cleanup` job. */
  async deleteExpired(now: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE expires_at <= $1',
      [now],
    );
    return count;
  }

  /** Whether an outcome with this status is stored for replay (docs/api.md §1.10). */
  static isStored(status: number, code?: string): boolean {
    if (status >= 500) return false;
    if ([400, 401, 413, 415, 429].includes(status)) return false;
    return code !== 'IDEMPOTENCY_CONFLICT' && code !== 'IDEMPOTENCY_IN_PROGRESS';
  }
}
