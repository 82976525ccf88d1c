import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AmbientTransactions } from '../events/ambient-transaction';
import { IdempotentRun } from './idempotent-run';
import type { StoredResponse } from './stored-response';

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

/** The outcome of a request run under its key: replayed, or run with its outcome stored. */
export type IdempotentOutcome<T> = { kind: 'replay'; response: StoredResponse } | { kind: 'ran'; result: T };

/**
 * Idempotency keys stored in PostgreSQL (docs/api.md §1.10, docs/data-model.md §21): every keyed
 * request runs exactly once, its outcome committed with its effects (see {@link IdempotentRun}).
 */
@Injectable()
export class IdempotencyService implements OnModuleInit {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    AmbientTransactions.lendRunners(this.dataSource);
  }

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

  /**
   * Runs `handler` exactly once under the request's key: a finished request is replayed, a running
   * one or another fingerprint is 409, otherwise the handler runs inside the request's transaction
   * and `outcomeOf` its result is stored with its effects. A failure's replayable outcome is stored
   * too (docs/api.md §1.10); `requestId` goes into its error body.
   */
  async execute<T>(
    request: IdempotencyRequest,
    handler: () => Promise<T>,
    outcomeOf: (body: unknown) => StoredResponse,
    requestId: string,
  ): Promise<IdempotentOutcome<T>> {
    const keyed = {
      userId: request.userId,
      key: request.key,
      method: request.method,
      path: IdempotencyService.storedPath(request.path),
      hash: IdempotencyService.fingerprint(request.rawBody),
    };
    const run = new IdempotentRun(this.dataSource, keyed, outcomeOf, requestId, this.logger);
    const opened = await run.open();
    if (opened.kind === 'replay') return opened;
    let result: T;
    try {
      result = await AmbientTransactions.run(run, handler);
      await run.finish(result);
    } catch (error) {
      await run.commitFailure(error);
      throw error;
    }
    return { kind: 'ran', result };
  }

  /** The `idempotency_key_cleanup` job. */
  async deleteExpired(now: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE expires_at <= $1',
      [now],
    );
    return count;
  }
}
