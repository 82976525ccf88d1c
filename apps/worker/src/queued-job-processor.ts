import { Injectable, Logger } from '@nestjs/common';
import { JOB_CATALOGUE } from '@app/core/jobs/job-catalogue';
import type { JobResult } from '@app/core/jobs/job-handler.decorator';
import { JobQueue, QueuedJob } from '@app/core/jobs/job-queue.service';
import { inCarriedTrace } from '@app/core/process/tracing';
import { JobExecutor } from './job-executor';
import { JobLocks, LOCK_TIMEOUT } from './job-lock';

/** How long a periodic job waits for its lock while another process runs the same job (docs/jobs.md §3). */
export const JOB_LOCK_WAIT_MS = 60_000;

export type ProcessedOutcome =
  | { status: JobResult['status']; result: Record<string, unknown> }
  | { status: 'failed' | 'dead'; error: unknown }
  | { status: 'abandoned' };

/**
 * Executes one claimed job exactly as docs/jobs.md §2 says: the handler commits its own work, then the
 * job is completed; an error schedules a retry after pg-boss's backoff (exponential from 1 min,
 * capped at 60 min) or, on the final attempt, leaves it dead. Periodic jobs run under their advisory lock, so one
 * execution of a job runs at a time across runners and `npm run job`.
 */
@Injectable()
export class QueuedJobProcessor {
  private readonly logger = new Logger(QueuedJobProcessor.name);
  private readonly abandoned = new Set<string>();

  constructor(
    private readonly queue: JobQueue,
    private readonly executor: JobExecutor,
    private readonly locks: JobLocks,
  ) {}

  /**
   * `now` is the handler's clock (default: real time when the attempt starts). The attempt is one
   * span continuing the trace of whatever enqueued the job (docs/configuration.md §2.7).
   */
  process(job: QueuedJob, now: Date = new Date()): Promise<ProcessedOutcome> {
    const attributes = { 'job.name': job.name, 'job.id': job.id, 'job.attempt': job.attempt };
    return inCarriedTrace(`job ${job.name}`, job.traceContext, attributes, () => this.attempt(job, now));
  }

  private async attempt(job: QueuedJob, now: Date): Promise<ProcessedOutcome> {
    let outcome: JobResult;
    try {
      outcome = await this.run(job, now);
    } catch (error) {
      if (this.abandoned.delete(job.id)) return { status: 'abandoned' };
      await this.queue
        .fail(job, error)
        .catch((failError: unknown) =>
          this.logger.error({ err: failError, job: job.name, job_id: job.id }, 'could not record a job failure'),
        );
      return { status: job.finalAttempt ? 'dead' : 'failed', error };
    }
    if (this.abandoned.delete(job.id)) return { status: 'abandoned' };
    const result = outcome.result ?? {};
    // Should this fail, the committed work is redone after the claim expires (handlers are idempotent).
    await this.queue
      .complete(job, result)
      .catch((error: unknown) =>
        this.logger.error({ err: error, job: job.name, job_id: job.id }, 'could not complete a job'),
      );
    return { status: outcome.status, result };
  }

  /**
   * Gives claimed jobs back at shutdown (due at once for any runner, the attempt not counted);
   * whatever their handlers still do in this process is ignored.
   */
  async abandon(jobs: QueuedJob[]): Promise<void> {
    for (const job of jobs) {
      this.abandoned.add(job.id);
      await this.queue.release(job);
      this.logger.warn({ job: job.name, job_id: job.id, attempt: job.attempt }, `job ${job.name} released at shutdown`);
    }
  }

  private async run(job: QueuedJob, now: Date): Promise<JobResult> {
    const context = { now, data: job.data, jobId: job.id, attempt: job.attempt };
    if (JOB_CATALOGUE[job.name].queueBacked) return this.executor.execute(job.name, context, job.finalAttempt);
    const outcome = await this.locks.withLock(job.name, JOB_LOCK_WAIT_MS, () =>
      this.executor.execute(job.name, context, job.finalAttempt),
    );
    if (outcome === LOCK_TIMEOUT) {
      this.logger.warn({ job: job.name, job_id: job.id }, `job ${job.name} kept running elsewhere; attempt given up`);
      throw new Error(`job ${job.name} is running elsewhere (lock not free within ${JOB_LOCK_WAIT_MS / 1000} s)`);
    }
    return outcome;
  }
}
