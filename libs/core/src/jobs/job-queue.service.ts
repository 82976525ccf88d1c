import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { JOB_CATALOGUE, JOB_NAMES, JobName, queueNames } from './job-catalogue';

/** Pending jobs whose runner died come back after this (jobs.md §2: 10 minutes). */
export const JOB_EXPIRE_SECONDS = 600;

export interface EnqueueOptions {
  /** One queued job per key (pg-boss singleton key), e.g. `recurring:<task id>`. */
  singletonKey?: string;
  startAfter?: Date;
}

export interface JobQueueOptions {
  connectionString: string;
  /** The worker supervises (expiry, retention) and schedules; the API only enqueues. */
  role: 'api' | 'worker';
}

/**
 * The durable PostgreSQL queue (pg-boss 10). `enqueue` joins the caller's transaction, so an
 * event-driven job exists if and only if the change that caused it committed (jobs.md §2).
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnModuleDestroy {
  readonly boss: PgBoss;
  private readonly logger = new Logger(JobQueue.name);

  constructor(private readonly options: JobQueueOptions) {
    const worker = options.role === 'worker';
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: 'pgboss',
      max: 4,
      application_name: `perpetua-${options.role}`,
      supervise: worker,
      schedule: worker,
      migrate: true,
      deleteAfterDays: 30,
    });
    this.boss.on('error', (error: Error) => this.logger.error({ err: error }, 'job queue error'));
  }

  async onModuleInit(): Promise<void> {
    await this.boss.start();
    for (const job of JOB_NAMES) {
      for (const name of queueNames(job)) await this.createQueue(name, JOB_CATALOGUE[job].maxAttempts);
    }
  }

  private async createQueue(name: string, maxAttempts: number): Promise<void> {
    if (await this.boss.getQueue(name)) return;
    await this.boss
      .createQueue(name, {
        name,
        retryLimit: maxAttempts - 1,
        retryDelay: 60,
        retryBackoff: true,
        expireInSeconds: JOB_EXPIRE_SECONDS,
      })
      .catch((error: unknown) => {
        // Another process created it between our check and our insert.
        if (!/already exists|duplicate key/i.test(String(error))) throw error;
      });
  }

  async onModuleDestroy(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 8000 }).catch(() => undefined);
  }

  async enqueue(
    manager: EntityManager | null,
    name: JobName,
    data: object,
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    const db = manager
      ? { executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }) }
      : undefined;
    return this.boss.send(name, data, {
      singletonKey: options.singletonKey,
      startAfter: options.startAfter,
      ...(db ? { db } : {}),
    });
  }
}
