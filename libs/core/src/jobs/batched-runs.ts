import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { Transaction } from '../events/transaction';
import { UnitOfWork } from '../events/unit-of-work';
import type { JobName } from './job-catalogue';
import { batchCount, keyRange, KeyRange } from './key-ranges';

export type BatchCounts = Record<string, number>;

/** A scheduled job cut into batches of keys (docs/jobs-batches.md). */
export interface BatchedJob {
  /** About how many items the run touches at `now`: sets the number of batches. */
  size(manager: EntityManager, now: Date): Promise<number>;
  /** The items whose key lies in `range`, inside the batch's own transaction; returns its counts. */
  batch(tx: Transaction, range: KeyRange, now: Date): Promise<BatchCounts>;
}

/** A batch failing this often in one process is left to the job's retry (or another runner). */
const BATCH_ATTEMPTS = 3;
/** How often the starting runner looks again for batches other runners still hold. */
const WAIT_MS = 25;
/** Runs older than this are not assisted any more, and are deleted by the next run of their job. */
const ABANDONED_RUN_MS = 60 * 60_000;

interface OpenRun {
  runKey: string;
  name: JobName;
  now: Date;
  batches: number;
}

/**
 * Batched runs of scheduled jobs: the runner executing a job (under the job's lock) splits the
 * key space into batches, writes one claim row per batch and works through them; every other
 * runner's assistant claims batches of the same run with `FOR UPDATE SKIP LOCKED`. A batch's
 * work and its claim's `finished_at` commit together, so each batch takes effect once; a failed
 * batch rolls back, is retried, and what still fails fails the job (which retries it).
 */
@Injectable()
export class BatchedRuns {
  private readonly logger = new Logger(BatchedRuns.name);
  private readonly jobs = new Map<JobName, BatchedJob>();
  private readonly runnerId = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /** Called at boot for each job declared with `@RunSize`/`@RunBatch` (batched-job.decorator.ts). */
  register(name: JobName, job: BatchedJob): void {
    this.jobs.set(name, job);
  }

  /** Runs every batch of `name` at `now` (with whatever help arrives) and adds up their counts. */
  async run(name: JobName, now: Date, zero: BatchCounts): Promise<BatchCounts> {
    const job = this.jobFor(name);
    const batches = batchCount(await job.size(this.dataSource.manager, now), this.config.JOB_BATCH_SIZE);
    const run: OpenRun = { runKey: randomUUID(), name, now, batches };
    await this.open(run);
    try {
      const failed = new Map<number, unknown>();
      for (;;) {
        await this.work(run, job, failed);
        if ((await this.unfinished(run.runKey, failed)) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
      }
      if (failed.size > 0) {
        const [cause] = failed.values();
        throw new Error(
          `${failed.size} of ${batches} batches of ${name} failed (${cause instanceof Error ? cause.message : String(cause)}); the retry redoes them`,
          { cause },
        );
      }
      return await this.total(run.runKey, zero);
    } finally {
      await this.dataSource.query(`DELETE FROM job_batch_runs WHERE run_key = $1`, [run.runKey]);
    }
  }

  /**
   * Works on the open runs other runners started, while `keepGoing()`; returns the batches this
   * process finished.
   */
  async assist(keepGoing: () => boolean = () => true): Promise<number> {
    const rows: Array<{ run_key: string; job_name: JobName; job_now: Date; batches: number }> =
      await this.dataSource.query(
        `SELECT r.run_key, r.job_name, r.job_now, r.batches FROM job_batch_runs r
       WHERE r.created_at > now() - $1 * interval '1 millisecond'
         AND EXISTS (SELECT 1 FROM job_batch_claims c WHERE c.run_key = r.run_key AND c.finished_at IS NULL)
       ORDER BY r.created_at`,
        [ABANDONED_RUN_MS],
      );
    let done = 0;
    for (const row of rows) {
      const job = this.jobs.get(row.job_name);
      if (!job) continue;
      const run = { runKey: row.run_key, name: row.job_name, now: row.job_now, batches: row.batches };
      done += await this.work(run, job, new Map(), keepGoing);
    }
    return done;
  }

  private jobFor(name: JobName): BatchedJob {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`job ${name} has no batched implementation registered`);
    return job;
  }

  private async open(run: OpenRun): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `DELETE FROM job_batch_runs WHERE job_name = $1 AND created_at < now() - $2 * interval '1 millisecond'`,
        [run.name, ABANDONED_RUN_MS],
      );
      await manager.query(`INSERT INTO job_batch_runs (run_key, job_name, job_now, batches) VALUES ($1, $2, $3, $4)`, [
        run.runKey,
        run.name,
        run.now,
        run.batches,
      ]);
      await manager.query(
        `INSERT INTO job_batch_claims (run_key, batch) SELECT $1, b FROM generate_series(0, $2 - 1) AS b`,
        [run.runKey, run.batches],
      );
    });
  }

  /** Claims and runs batches until none is free; `failed` collects the batches given up here (and why). */
  private async work(
    run: OpenRun,
    job: BatchedJob,
    failed: Map<number, unknown>,
    keepGoing: () => boolean = () => true,
  ): Promise<number> {
    const attempts = new Map<number, number>();
    let done = 0;
    while (keepGoing()) {
      let claimed: number | null = null;
      try {
        await this.uow.run(async (tx) => {
          claimed = await this.claim(tx.manager, run.runKey, failed);
          if (claimed === null) return;
          const counts = await job.batch(tx, keyRange(claimed, run.batches), run.now);
          await tx.manager.query(
            `UPDATE job_batch_claims SET result = $3, finished_by = $4, finished_at = now()
             WHERE run_key = $1 AND batch = $2`,
            [run.runKey, claimed, JSON.stringify(counts), this.runnerId],
          );
        });
      } catch (error) {
        const batch: number | null = claimed;
        if (batch === null) throw error;
        const tries = (attempts.get(batch) ?? 0) + 1;
        attempts.set(batch, tries);
        this.logger.error({ err: error, job: run.name, batch, attempt: tries }, `a batch of ${run.name} failed`);
        if (tries >= BATCH_ATTEMPTS) failed.set(batch, error);
        continue;
      }
      if (claimed === null) return done;
      done++;
    }
    return done;
  }

  private async claim(manager: EntityManager, runKey: string, failed: Map<number, unknown>): Promise<number | null> {
    const rows: Array<{ batch: number }> = await manager.query(
      `SELECT batch FROM job_batch_claims
       WHERE run_key = $1 AND finished_at IS NULL AND NOT (batch = ANY($2::int[]))
       ORDER BY batch LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [runKey, [...failed.keys()]],
    );
    return rows[0]?.batch ?? null;
  }

  private async unfinished(runKey: string, failed: Map<number, unknown>): Promise<number> {
    const [row]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM job_batch_claims
       WHERE run_key = $1 AND finished_at IS NULL AND NOT (batch = ANY($2::int[]))`,
      [runKey, [...failed.keys()]],
    );
    return row.count;
  }

  private async total(runKey: string, zero: BatchCounts): Promise<BatchCounts> {
    const rows: Array<{ result: BatchCounts }> = await this.dataSource.query(
      `SELECT result FROM job_batch_claims WHERE run_key = $1`,
      [runKey],
    );
    const total = { ...zero };
    for (const { result } of rows) {
      for (const [key, value] of Object.entries(result)) total[key] = (total[key] ?? 0) + value;
    }
    return total;
  }
}
