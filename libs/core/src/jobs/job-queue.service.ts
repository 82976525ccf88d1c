import { createHash } from 'node:crypto';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PgBoss } from 'pg-boss';
import type { Db, JobAttempt, Queue, SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { currentTraceContext } from '../process/tracing';
import { JOB_CATALOGUE, JOB_NAMES, JobName } from './job-catalogue';

/** A claimed job whose runner died returns to pending after this (docs/jobs.md §2: 10 minutes). */
export const DEFAULT_JOB_EXPIRE_SECONDS = 600;
export const JOB_QUEUE_SCHEMA = 'pgboss';
/**
 * Where a job goes when its attempts are exhausted (docs/jobs.md §2 `dead`): pg-boss copies it, with its
 * source queue, id and last error, into this queue, which no runner works.
 */
export const DEAD_JOB_QUEUE = 'dead_jobs';
/** Job data key of the W3C trace context of the request (or job) that enqueued it, when traced. */
const TRACE_CONTEXT_KEY = 'trace_context';

const DAY_SECONDS = 86_400;
/**
 * Finished jobs stay 7 days (docs/jobs.md §4 retention). That is also the window in which a dedupe key
 * (deterministic job id, see `dedupeJobId`) is guaranteed unique, longer than any schedule's
 * period, so a periodic slot is never enqueued twice.
 */
const KEEP_FINISHED_SECONDS = 7 * DAY_SECONDS;
/** Dead jobs stay visible in `DEAD_JOB_QUEUE` for 30 days (docs/jobs.md §4). */
const KEEP_DEAD_SECONDS = 30 * DAY_SECONDS;
/** docs/jobs.md §2: a library's exponential backoff starting at 1 min and capped at 60 min. */
const RETRY_DELAY_SECONDS = 60;
const RETRY_DELAY_MAX_SECONDS = 3600;

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
  /** Connections of pg-boss's own pool (default 4). */
  poolSize?: number;
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
  /** The attempts pg-boss allows after the first (grows by one when a claim is released). */
  retryLimit: number;
  /** The trace the job continues (docs/configuration.md §2.7), when the enqueuer was traced. */
  traceContext?: Record<string, string>;
}

/** Depth of one queue (the runner's metrics). */
export interface QueueDepth {
  name: string;
  /** Created or waiting for a retry, due or not. */
  queued: number;
  active: number;
}

/**
 * The durable PostgreSQL queue (pg-boss 12, its own schema), used through pg-boss's public API
 * only. `enqueue` joins the caller's transaction, so an event-driven job exists if and only if the
 * change that caused it committed (docs/jobs.md §2). Claiming is pg-boss's `FOR UPDATE SKIP LOCKED`
 * fetch; retries with exponential backoff, expiry of abandoned claims, the dead state and retention
 * are pg-boss queue options.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnModuleDestroy {
  readonly boss: PgBoss;
  readonly expireSeconds: number;
  private readonly logger = new Logger(JobQueue.name);

  constructor(options: JobQueueOptions) {
    const worker = options.role === 'worker';
    this.expireSeconds = options.expireSeconds ?? DEFAULT_JOB_EXPIRE_SECONDS;
    const superviseSeconds = Math.min(60, Math.max(1, Math.floor(this.expireSeconds / 10)));
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: JOB_QUEUE_SCHEMA,
      max: options.poolSize ?? 4,
      application_name: `perpetua-${options.role}`,
      instanceName: options.role,
      // Expiry of abandoned claims and retention run in the worker; schedules are ours (JobScheduler).
      supervise: worker,
      schedule: false,
      migrate: true,
      // Abandoned claims are expired within a tenth of the expiry (at most a minute late).
      superviseIntervalSeconds: superviseSeconds,
      monitorIntervalSeconds: superviseSeconds,
      maintenanceIntervalSeconds: superviseSeconds,
    });
    this.boss.on('error', (error: Error) => this.logger.error({ err: error }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    await this.createQueues();
  }

  async onModuleDestroy(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 1000 }).catch(() => undefined);
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
    const send: SendOptions = {
      ...(options.singletonKey
        ? { id: dedupeJobId(name, options.singletonKey), singletonKey: options.singletonKey }
        : {}),
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(manager ? { db: transactionDb(manager) } : {}),
    };
    return this.boss.send(name, withTraceContext(data), send);
  }

  /**
   * Enqueues many jobs of one name inside the caller's transaction in one statement, each with a
   * dedupe key (a job whose key was already used is not created again, as with `enqueue`).
   */
  async enqueueMany(
    manager: EntityManager,
    name: JobName,
    jobs: ReadonlyArray<{ data: object; singletonKey: string }>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    // Retry, backoff and expiry are the queue's options (createQueues), as for `enqueue`.
    await this.boss.insert(
      name,
      jobs.map((job) => ({
        id: dedupeJobId(name, job.singletonKey),
        data: withTraceContext(job.data),
        singletonKey: job.singletonKey,
      })),
      { db: transactionDb(manager) },
    );
  }

  /** Claims up to `batchSize` due jobs of `name` (`FOR UPDATE SKIP LOCKED`): state `active`. */
  async fetch(name: JobName, batchSize: number): Promise<QueuedJob[]> {
    const jobs = await this.boss.fetch<Record<string, unknown>>(name, { batchSize, includeMetadata: true });
    return jobs.map((job) => {
      const { [TRACE_CONTEXT_KEY]: traceContext, ...data } = job.data ?? {};
      return {
        id: job.id,
        name,
        data,
        attempt: job.retryCount + 1,
        finalAttempt: job.retryCount >= job.retryLimit,
        retryLimit: job.retryLimit,
        ...(traceContext ? { traceContext: traceContext as Record<string, string> } : {}),
      };
    });
  }

  /** Completes the claimed attempt (a lapsed claim, since claimed again elsewhere, is left alone). */
  async complete(job: Pick<QueuedJob, 'id' | 'name' | 'attempt'>, result: object): Promise<void> {
    await this.boss.complete(job.name, attemptOf(job), result);
  }

  /**
   * Records a failed attempt: pg-boss moves the job to `retry` after its backoff, or, when it was
   * the final attempt, to `failed` with a copy in `DEAD_JOB_QUEUE`.
   */
  async fail(job: Pick<QueuedJob, 'id' | 'name' | 'attempt'>, error: unknown): Promise<void> {
    await this.boss.fail(job.name, attemptOf(job), {
      message: error instanceof Error ? error.message : String(error),
    });
  }

  /**
   * Gives a claim back without using up an attempt (graceful shutdown, docs/jobs.md §1): cancelled and
   * resumed, the job is due again at once for any runner, with one more attempt allowed (the next
   * claim counts one).
   */
  async release(job: QueuedJob): Promise<void> {
    const tx = await this.boss.getDb().beginTransaction!();
    try {
      await this.boss.cancel(job.name, attemptOf(job), { db: tx.db });
      await this.boss.resume(job.name, job.id, { db: tx.db });
      await this.boss.update(job.name, undefined, { id: job.id, retryLimit: job.retryLimit + 1, db: tx.db });
      await tx.commit();
    } catch (error) {
      await tx.rollback();
      throw error;
    }
  }

  /**
   * Claims one given job for an inline attempt right after the transaction that created it
   * committed. Hand-written because pg-boss's `fetch` cannot target one job id, and docs/rules.md §6
   * (the recurring successor is generated inline right after the completion commits, the runner
   * only retries) needs exactly that job. The claim is the same transition as pg-boss's fetch
   * (created/retry → active, each claim after the first counting an attempt), so no runner can
   * claim it at the same time.
   */
  async claim(name: JobName, id: string): Promise<QueuedJob | null> {
    const { rows } = await this.boss.getDb().executeSql(
      `UPDATE ${JOB_QUEUE_SCHEMA}.job SET state = 'active', started_on = now(), heartbeat_on = now(),
         retry_count = CASE WHEN started_on IS NOT NULL THEN retry_count + 1 ELSE retry_count END
       WHERE name = $1 AND id = $2 AND state < 'active'
       RETURNING data, retry_count, retry_limit`,
      [name, id],
    );
    const row = rows[0] as
      { data: Record<string, unknown> | null; retry_count: number; retry_limit: number } | undefined;
    if (!row) return null;
    return {
      id,
      name,
      data: row.data ?? {},
      attempt: row.retry_count + 1,
      finalAttempt: row.retry_count >= row.retry_limit,
      retryLimit: row.retry_limit,
    };
  }

  /** Runs pg-boss's maintenance now: expiry of abandoned claims and the retention of docs/jobs.md §4. */
  async applyRetention(): Promise<void> {
    await this.boss.supervise();
  }

  /** Depth of every job queue and the dead jobs kept (pg-boss's counts, refreshed at most once a minute). */
  async depth(): Promise<{ queues: QueueDepth[]; dead: number }> {
    const queues = await Promise.all(
      [...JOB_NAMES, DEAD_JOB_QUEUE].map(async (name) => {
        const [stats] = await this.boss.getQueueStats(name, { force: true });
        return { name, queued: stats?.queuedCount ?? 0, active: stats?.activeCount ?? 0 };
      }),
    );
    const dead = queues.pop()!;
    return { queues, dead: dead.queued };
  }

  private queueOptions(name: JobName): Omit<Queue, 'name'> {
    return {
      retryLimit: JOB_CATALOGUE[name].maxAttempts - 1,
      retryDelay: RETRY_DELAY_SECONDS,
      retryBackoff: true,
      retryDelayMax: RETRY_DELAY_MAX_SECONDS,
      expireInSeconds: this.expireSeconds,
      deleteAfterSeconds: KEEP_FINISHED_SECONDS,
      deadLetter: DEAD_JOB_QUEUE,
    };
  }

  /** Creates the missing queues and brings existing ones to the current options (pg-boss locks this). */
  private async createQueues(): Promise<void> {
    const existing = new Set((await this.boss.getQueues()).map((queue) => queue.name));
    if (!existing.has(DEAD_JOB_QUEUE))
      await this.boss.createQueue(DEAD_JOB_QUEUE, { retentionSeconds: KEEP_DEAD_SECONDS });
    for (const name of JOB_NAMES) {
      if (existing.has(name)) await this.boss.updateQueue(name, this.queueOptions(name));
      else await this.boss.createQueue(name, this.queueOptions(name));
    }
  }
}

/** A UUID (RFC 9562 version 8 layout) derived from the job name and its dedupe key. */
export function dedupeJobId(name: string, key: string): string {
  const hex = createHash('sha256').update(`${name}\n${key}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The attempt a settle call is limited to: once the job was claimed again, it is left alone. */
function attemptOf(job: Pick<QueuedJob, 'id' | 'attempt'>): JobAttempt {
  return { id: job.id, retryCount: job.attempt - 1 };
}

function transactionDb(manager: EntityManager): Db {
  return { executeSql: async (text, values) => ({ rows: await manager.query(text, values) }) };
}

/** The job's data, with the current trace context when the enqueuer runs in a traced span. */
function withTraceContext(data: object): object {
  const traceContext = currentTraceContext();
  return traceContext ? { ...data, [TRACE_CONTEXT_KEY]: traceContext } : data;
}
