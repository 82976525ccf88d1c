import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { NamedStatement, namedStatement, runNamed, StatementPart } from '../database/named-statement';
import { toDomainError, toErrorEnvelope } from '../errors/error-envelope';
import { AmbientTransaction, AmbientTransactions } from '../events/ambient-transaction';
import { Transaction } from '../events/transaction';
import { IdempotencyConflictError, IdempotencyInProgressError } from './idempotency.errors';
import { isStoredOutcome, StoredResponse } from './stored-response';

/** The in-progress lease of a claim committed before an outside call (docs/data-model.md §21). */
const LEASE_SECONDS = 60;
const LEASE_RENEW_MS = 20_000;
const RETENTION_HOURS = 24;

/** A request under its key: who, which key, and the fingerprint (docs/api.md §1.10). */
export interface KeyedRequest {
  userId: string;
  key: string;
  method: string;
  /** The stored form of the path with query string. */
  path: string;
  /** SHA-256 of the raw body. */
  hash: string;
}

interface KeyRow {
  id: string;
  request_method: string;
  request_path: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  lease_valid: boolean;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

/**
 * A row the request may write over: none yet, past its retention, its own claim (`id`, the
 * parameter that holds the claim id), or a claim whose process died.
 */
function overwritable(id: string): string {
  return `idempotency_keys.expires_at <= now() OR idempotency_keys.id = ${id} OR (idempotency_keys.state = 'in_progress'
  AND (idempotency_keys.locked_until IS NULL OR idempotency_keys.locked_until <= now()))`;
}
const OVERWRITABLE = overwritable('$1');

/** The claim committed before an outside call, its eight values from `$first` on (named: every AI request). */
function claimInsert(first: number): string {
  const [id, user, key, method, path, hash, lease, retention] = Array.from({ length: 8 }, (_, i) => `$${first + i}`);
  return `INSERT INTO idempotency_keys (id, user_id, key, request_method, request_path, request_hash, state, locked_until, created_at, expires_at)
       VALUES (${id}::uuid, ${user}::uuid, ${key}::text, ${method}::text, ${path}::text, ${hash}::text, 'in_progress',
               now() + make_interval(secs => ${lease}::int), now(), now() + make_interval(hours => ${retention}::int))
       ON CONFLICT (user_id, key) DO UPDATE SET id = EXCLUDED.id, request_method = EXCLUDED.request_method,
         request_path = EXCLUDED.request_path, request_hash = EXCLUDED.request_hash, state = 'in_progress',
         locked_until = EXCLUDED.locked_until, response_status = NULL, response_headers = NULL, response_body = NULL,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       WHERE ${overwritable(id)}
       RETURNING locked_until::text AS lease`;
}

const CLAIM = namedStatement('idempotency_claim', claimInsert(1));
/** The claim carrying the writes of a part, one statement per part name. */
const claimsWith = new Map<string, NamedStatement>();

function claimWith(part: StatementPart): NamedStatement {
  let statement = claimsWith.get(part.name);
  if (!statement) {
    statement = namedStatement(
      `${part.name}_claim`,
      `WITH ${part.ctes}, claimed AS (${claimInsert(part.values.length + 1)}) SELECT lease FROM claimed`,
    );
    claimsWith.set(part.name, statement);
  }
  return statement;
}

/**
 * One request run exactly once under its Idempotency-Key (docs/api.md §1.10 "Exactly once").
 * Phase one opens a transaction holding the key's transaction-scoped advisory lock (a duplicate
 * does not wait: 409); everything the request writes joins it, and its outcome is stored in it, so
 * effects and outcome commit together in one commit. A request that calls an outside provider
 * commits the phase before the call with the key claimed under a lease, makes the call with no
 * transaction open, and commits the next phase (charge, effects, outcome) under the lease it still
 * holds: two commits. A claim whose lease ran out (its process died) is taken over by the next
 * request with the key; the value of `locked_until` is the owner's token.
 */
export class IdempotentRun implements AmbientTransaction {
  readonly afterCommit: Array<() => Promise<unknown>> = [];
  claim: { id: string; takenOver: boolean } = { id: randomUUID(), takenOver: false };
  private runner: QueryRunner | undefined;
  private lent: QueryRunner | undefined;
  /** `locked_until` of the committed claim, as PostgreSQL wrote it: the token of the owner. */
  private lease: string | null = null;
  private renewal: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly request: KeyedRequest,
    private readonly outcomeOf: (body: unknown) => StoredResponse,
    /** The request's id, for the body of a stored error outcome. */
    private readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  /** Phase one: the key's lock and state. A replay is answered without running anything. */
  async open(): Promise<{ kind: 'replay'; response: StoredResponse } | { kind: 'run' }> {
    try {
      const manager = await this.begin();
      const [{ locked }]: Array<{ locked: boolean }> = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::text, 0)) AS locked`,
        [this.request.userId, this.request.key],
      );
      if (!locked) throw new IdempotencyInProgressError();
      const [existing]: KeyRow[] = await manager.query(
        `SELECT id, request_method, request_path, request_hash, state, response_status, response_headers, response_body,
                (locked_until IS NOT NULL AND locked_until > now()) AS lease_valid
         FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND expires_at > now()`,
        [this.request.userId, this.request.key],
      );
      if (!existing) return { kind: 'run' };
      const { method, path, hash } = this.request;
      const sameRequest =
        existing.request_method === method && existing.request_path === path && existing.request_hash === hash;
      if (!sameRequest) throw new IdempotencyConflictError();
      if (existing.state === 'completed') {
        await this.rollback();
        return { kind: 'replay', response: storedOf(existing) };
      }
      if (existing.lease_valid) throw new IdempotencyInProgressError();
      // The claim's process died during its outside call: this request takes the claim over.
      this.claim = { id: existing.id, takenOver: true };
      return { kind: 'run' };
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  async join(): Promise<EntityManager> {
    if (this.runner) return this.runner.manager;
    if (this.finished) throw new Error('The request was already answered: nothing more can join its transaction');
    clearInterval(this.renewal);
    await this.renewing;
    const manager = await this.begin();
    const owned: unknown[] = await manager.query(
      `SELECT id FROM idempotency_keys WHERE id = $1 AND state = 'in_progress' AND locked_until = $2::timestamptz FOR UPDATE`,
      [this.claim.id, this.lease],
    );
    if (owned.length === 0) {
      // Another request took the claim over after this one's lease ran out.
      this.lease = null;
      await this.rollback();
      throw new IdempotencyInProgressError();
    }
    return manager;
  }

  lentRunner(): QueryRunner | undefined {
    return this.lent;
  }

  /**
   * Commits the claim under its lease; `writes` (the request's last writes before the call, e.g.
   * its credit reservation) go in the claim's own statement (docs/round-trips.md §6).
   */
  async commitBeforeOutsideCall(writes?: StatementPart): Promise<void> {
    const manager = writes ? await this.join() : this.runner?.manager;
    if (!manager) return;
    const claimValues = [...this.keyParams(), LEASE_SECONDS, RETENTION_HOURS];
    const [claimed] = await runNamed<{ lease: string }>(
      manager,
      writes ? claimWith(writes) : CLAIM,
      writes ? [...writes.values, ...claimValues] : claimValues,
    );
    if (!claimed) throw new IdempotencyInProgressError();
    await this.commit();
    this.lease = claimed.lease;
    clearInterval(this.renewal);
    this.renewal = setInterval(() => {
      this.renewing = this.renew().catch((error: unknown) => this.logger.warn({ err: error }, 'lease renewal failed'));
    }, LEASE_RENEW_MS);
    this.renewal.unref();
  }

  async commitOutcome(body: unknown): Promise<void> {
    if (this.finished) return;
    await this.store(await this.join(), this.outcomeOf(body));
    await this.commit();
    this.finished = true;
  }

  /**
   * The handler failed. Before any commit nothing of it stays; a replayable outcome (a 4xx) is
   * stored on its own. After the claim committed, what the handler wrote since (e.g. the release
   * of its reservation) commits with the stored outcome, or with the key's release for a 5xx.
   */
  async commitFailure(error: unknown): Promise<void> {
    if (this.finished) return;
    try {
      await this.settleFailure(error);
    } finally {
      this.finished = true;
      clearInterval(this.renewal);
    }
  }

  private async settleFailure(error: unknown): Promise<void> {
    const domainError = toDomainError(error);
    const response: StoredResponse | null = isStoredOutcome(domainError.status, domainError.code)
      ? { status: domainError.status, headers: {}, body: toErrorEnvelope(domainError, this.requestId) }
      : null;
    if (this.lease === null) {
      await this.rollback();
      if (!response) return;
      try {
        await this.store(await this.begin(), response);
        await this.commit();
      } catch {
        // Another request with the key finished meanwhile: its outcome stays.
        await this.rollback();
      }
      return;
    }
    try {
      const manager = await this.join();
      if (response) await this.store(manager, response);
      else await manager.query('DELETE FROM idempotency_keys WHERE id = $1', [this.claim.id]);
      await this.commit();
    } catch (settleError) {
      if (settleError instanceof IdempotencyInProgressError) return;
      this.logger.error({ err: settleError }, 'could not settle a failed request; its key is released');
      await this.rollback();
      await this.dataSource.query('DELETE FROM idempotency_keys WHERE id = $1 AND locked_until = $2::timestamptz', [
        this.claim.id,
        this.lease,
      ]);
    }
  }

  /** Ends the run: stores the handler's result as the outcome unless the handler already did. */
  async finish(result: unknown): Promise<void> {
    await this.commitOutcome(result);
    clearInterval(this.renewal);
  }

  private async begin(): Promise<EntityManager> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw error;
    }
    this.runner = runner;
    this.lent = AmbientTransactions.lend(runner);
    return runner.manager;
  }

  private async commit(): Promise<void> {
    const runner = this.detach();
    try {
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    const due = this.afterCommit.splice(0);
    await AmbientTransactions.outside(() => Transaction.flushAfterCommit(due, this.logger));
  }

  private async rollback(): Promise<void> {
    if (!this.runner) return;
    const runner = this.detach();
    this.afterCommit.length = 0;
    await runner.rollbackTransaction().catch(() => undefined);
    await runner.release();
  }

  private detach(): QueryRunner {
    const runner = this.runner as QueryRunner;
    this.runner = undefined;
    this.lent = undefined;
    return runner;
  }

  private async renew(): Promise<void> {
    const [renewed]: Array<{ lease: string }> = await this.dataSource.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $3)
       WHERE id = $1 AND state = 'in_progress' AND locked_until = $2::timestamptz RETURNING locked_until::text AS lease`,
      [this.claim.id, this.lease, LEASE_SECONDS],
    );
    if (renewed) this.lease = renewed.lease;
    else clearInterval(this.renewal);
  }

  /**
   * Stores the outcome unless another request owns the key (409 then). Nothing is stored for a
   * user the request itself deleted (`DELETE /users/me`): the user's keys went with it.
   */
  private async store(manager: EntityManager, response: StoredResponse): Promise<void> {
    const [{ stored, member }]: Array<{ stored: boolean; member: boolean }> = await manager.query(
      `WITH stored AS (
         INSERT INTO idempotency_keys (id, user_id, key, request_method, request_path, request_hash, state, locked_until,
                                       response_status, response_headers, response_body, created_at, expires_at)
         SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, 'completed', NULL, $7::int, $8::jsonb,
                $9::text, now(), now() + make_interval(hours => $10::int)
         FROM users WHERE users.id = $2::uuid
         ON CONFLICT (user_id, key) DO UPDATE SET id = EXCLUDED.id, request_method = EXCLUDED.request_method,
           request_path = EXCLUDED.request_path, request_hash = EXCLUDED.request_hash, state = 'completed',
           locked_until = NULL, response_status = EXCLUDED.response_status,
           response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
         WHERE ${OVERWRITABLE}
         RETURNING id)
       SELECT EXISTS (SELECT 1 FROM stored) AS stored, EXISTS (SELECT 1 FROM users WHERE id = $2::uuid) AS member`,
      [
        ...this.keyParams(),
        response.status,
        JSON.stringify(response.headers),
        JSON.stringify(response.body ?? null),
        RETENTION_HOURS,
      ],
    );
    if (!stored && member) throw new IdempotencyInProgressError();
  }

  private keyParams(): unknown[] {
    const { userId, key, method, path, hash } = this.request;
    return [this.claim.id, userId, key, method, path, hash];
  }
}

function storedOf(row: KeyRow): StoredResponse {
  const json = row.response_body ?? 'null';
  return { status: row.response_status ?? 200, headers: row.response_headers ?? {}, body: JSON.parse(json), json };
}
