import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobName } from '@app/core/jobs/job-catalogue';

/** Namespace of the two-key advisory locks (keeps them apart from migrations' and pg-boss's locks). */
const LOCK_NAMESPACE = 7_301_001;
const RETRY_MS = 250;

export const LOCK_TIMEOUT = Symbol('LOCK_TIMEOUT');

/**
 * The per-job PostgreSQL advisory lock of docs/jobs.md §3: a periodic job runs under it in the runner
 * and in `npm run job`, so one execution of a job runs at a time across every process.
 */
@Injectable()
export class JobLocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding the job's lock, waiting up to `waitMs` for it; LOCK_TIMEOUT otherwise. */
  async withLock<T>(name: JobName, waitMs: number, work: () => Promise<T>): Promise<T | typeof LOCK_TIMEOUT> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const [{ locked }]: Array<{ locked: boolean }> = await runner.query(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
          [LOCK_NAMESPACE, name],
        );
        if (locked) break;
        if (Date.now() >= deadline) return LOCK_TIMEOUT;
        await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MS, Math.max(1, deadline - Date.now()))));
      }
      try {
        return await work();
      } finally {
        await runner
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, name])
          .catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }
}
