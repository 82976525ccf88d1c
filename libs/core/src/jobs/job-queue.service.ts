import { createHash } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { JOB_CATALOGUE, JOB_NAMES, JobName } from './job-catalogue';

/** A claimed job whose runner died returns to pending after this (docs/jobs.md §2: 10 minutes). */
export const DEFAULT_JOB_EXPIRE_SECONDS = 600;
export const JOB_QUEUE_SCHEMA = 'pgboss';

const DAY_SECONDS = 86_400;
/**
 * Completed jobs stay in pg-boss's job table for 7 days (docs/jobs.md §4 retention). That is also the
 * window in which a dedupe key (deterministic job id, see `dedupeJobId`) is guaranteed unique,
 * longer than any schedule's period, so a periodic slot is never enqueued twice.
 */
const KEEP_COMPLETED_SECONDS = 7 * DAY_SECONDS;
/** Dead jobs (pg-boss state `failed`) stay visible for 30 days. */
const KEEP_DEAD_SECONDS = 30 * DAY_SECONDS;

export interface EnqueueOptions {
  /** The job's dedupe key (docs/jobs.md §2 `dedupe_key`), e.g. `recurring:<task id>`: one job per key. */
  singletonKey?: string;
  startAfter?: Date;
}

export interface JobQueueOptions {
  connectionString: string;
  /** The worker supervises (expiry of dead runners' claims, retention); the API only enqueues. */
  role: 'api' | 'worker';
  /** Seconds after which a claimed job is considered abandoned (default 600). */
  expireSeconds?: number;
}

/** A job claimed from the queue. */
export interface QueuedJob {
  id: string;
  name: JobName;
  data: Record<string, unknown>;
  /** 1 for the first attempt. */
  attempt: number;
  /** A failure of this attempt makes the job dead. */
  finalAttempt: boolean;
}

/**
 * The durable PostgreSQL queue (pg-boss 10, its own schema). `enqueue` joins the caller's
 * transaction, so an event-driven job exists if and only if the change that caused it committed
 * (docs/jobs.md §2). Claiming is pg-boss's `FOR UPDATE SKIP LOCKED` fetch; retries, backoff and the
 * dead state are driven by the runner through `complete`/`fail` (pg-boss's own exponential
 * backoff is switched off: the spec's 1/5/15/30/60-minute steps are applied instead).
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnModuleDestroy {
  readonly boss: PgBoss;
  readonly expireSeconds: number;
  private readonly logger = new Logger(JobQueue.name);

  constructor(private readonly options: JobQueueOptions) {
    const worker = options.role === 'worker';
    this.expireSeconds = options.expireSeconds ?? DEFAULT_JOB_EXPIRE_SECONDS;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: JOB_QUEUE_SCHEMA,
      max: 4,
      application_name: `perpetua-${options.role}`,
      // Expiry of abandoned claims and archiving run in the worker; schedules are ours (JobScheduler).
      supervise: worker,
      schedule: false,
      migrate: true,
      maintenanceIntervalSeconds: Math.min(60, Math.max(1, Math.floor(this.expireSeconds / 10))),
      archiveCompletedAfterSeconds: KEEP_COMPLETED_SECONDS,
      archiveFailedAfterSeconds: KEEP_DEAD_SECONDS,
      deleteAfterDays: 30,
    });
    this.boss.on('error', (error: Error) => this.logger.error({ err: error }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    await this.createQueues();
  }

  async onModuleDestroy(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 1000 }).catch(() => undefined);
  }

  /**
   * Inserts a job, inside `manager`'s transaction when given. With a `singletonKey` the job id is
   * derived from the key, so a second enqueue with the same key (also from another process, also
   * after completion) inserts nothing and returns null.
   */
  async enqueue(
    manager: EntityManager | null,
    name: JobName,
    data: object,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    return this.boss.send(name, data, {
      ...this.jobOptions(name),
      ...(options.singletonKey
        ? { id: dedupeJobId(name, options.singletonKey), singletonKey: options.singletonKey }
        : {}),
      startAfter: options.startAfter,
      ...(manager ? { db: transactionDb(manager) } : {}),
    });
  }

  /** Claims up to `batchSize` due jobs of `name` (`FOR UPDATE SKIP LOCKED`): state `active`. */
  async fetch(name: JobName, batchSize: number): Promise<QueuedJob[]> {
    const jobs = await this.boss.fetch<Record<string, unknown>>(name, { batchSize, includeMetadata: true });
    return jobs.map((job) => ({
      id: job.id,
      name,
      data: job.data ?? {},
      attempt: job.retryCount + 1,
      finalAttempt: job.retryCount >= job.retryLimit,
    }));
  }

  async complete(name: JobName, id: string, result: object): Promise<void> {
    await this.boss.complete(name, id, result);
  }

  /**
   * Records a failed attempt: pg-boss moves the job to `retry` (or `failed` = dead when it was the
   * final attempt); the retry then waits `retryInSeconds`.
   */
  async fail(name: JobName, id: string, error: unknown, retryInSeconds: number): Promise<void> {
    await this.boss.fail(name, id, { message: error instanceof Error ? error.message : String(error) });
    if (retryInSeconds <= 0) return;
    await this.boss.getDb().executeSql(
      `UPDATE ${JOB_QUEUE_SCHEMA}.job SET start_after = now() + $3 * interval '1 second'
         WHERE name = $1 AND id = $2 AND state = 'retry'`,
      [name, id, retryInSeconds],
    );
  }

  /**
   * Gives a claim back without using up an attempt (graceful shutdown, docs/jobs.md §1): the job is due
   * again at once for any runner.
   */
  async release(name: JobName, id: string): Promise<void> {
    await this.boss.getDb().executeSql(
      `UPDATE ${JOB_QUEUE_SCHEMA}.job
       SET state = 'retry', start_after = now(), retry_limit = retry_limit + 1,
           output = '{"message": "released: the runner shut down while the job was running"}'::jsonb
       WHERE name = $1 AND id = $2 AND state = 'active'`,
      [name, id],
    );
  }

  /**
   * Retention of docs/jobs.md §4 (`maintenance_cleanup`): completed (and cancelled) jobs finished before
   * `completedBefore` and dead jobs finished before `deadBefore`, in the live and archive tables.
   */
  async deleteFinished(completedBefore: Date, deadBefore: Date): Promise<number> {
    const where = `(state IN ('completed', 'cancelled') AND completed_on < $1) OR (state = 'failed' AND completed_on < $2)`;
    const { rows } = await this.boss.getDb().executeSql(
      `WITH live AS (DELETE FROM ${JOB_QUEUE_SCHEMA}.job WHERE ${where} RETURNING 1),
            archived AS (DELETE FROM ${JOB_QUEUE_SCHEMA}.archive WHERE ${where} RETURNING 1)
       SELECT (SELECT count(*) FROM live) + (SELECT count(*) FROM archived) AS deleted`,
      [completedBefore, deadBefore],
    );
    return Number((rows[0] as { deleted: string }).deleted);
  }

  private jobOptions(name: JobName): PgBoss.SendOptions {
    // Failed attempts are rescheduled by `fail`; an expired claim (dead runner) is due at once.
    return {
      retryLimit: JOB_CATALOGUE[name].maxAttempts - 1,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: this.expireSeconds,
    };
  }

  /**
   * Creates the missing queues (a partition each) under one advisory lock: the API and the runner
   * start together on a new database, and concurrent partition creation deadlocks.
   */
  private async createQueues(): Promise<void> {
    const existing = new Set((await this.boss.getQueues()).map((queue) => queue.name));
    const missing = JOB_NAMES.filter((name) => !existing.has(name));
    if (missing.length === 0) return;
    const client = new Client({ connectionString: this.options.connectionString });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${JOB_QUEUE_SCHEMA}.create_queues`]);
      for (const name of missing) {
        // pg-boss's own queue constructor (what `createQueue` calls); a no-op for an existing queue.
        await client.query(`SELECT ${JOB_QUEUE_SCHEMA}.create_queue($1, $2)`, [
          name,
          JSON.stringify({ policy: 'standard', ...this.jobOptions(name) }),
        ]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }
}

/** A UUID (RFC 9562 version 8 layout) derived from the job name and its dedupe key. */
export function dedupeJobId(name: string, key: string): string {
  const hex = createHash('sha256').update(`${name}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function transactionDb(manager: EntityManager): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: await manager.query(text, values) }) };
}
