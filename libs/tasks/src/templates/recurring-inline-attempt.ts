import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { retryBackoffSeconds } from '@app/core/jobs/job-catalogue';
import { JobQueue, JOB_QUEUE_SCHEMA } from '@app/core/jobs/job-queue.service';
import { RecurringJobs } from './recurring.jobs';

const JOB = 'recurring_task_generate';

interface ClaimedJob {
  data: Record<string, unknown>;
  retry_count: number;
  retry_limit: number;
}

/**
 * Runs a just-enqueued `recurring_task_generate` job in the API process right after the
 * completion commits (docs/rules.md §6). The job is claimed through the queue table exactly as a
 * runner claims it (state created/retry → active), so it can never run twice; whatever fails here
 * is retried by the runner with backoff.
 */
@Injectable()
export class RecurringInlineAttempt {
  private readonly logger = new Logger(RecurringInlineAttempt.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly jobs: RecurringJobs,
  ) {}

  async attempt(jobId: string | null): Promise<void> {
    if (!jobId) return;
    const job = await this.claim(jobId);
    if (!job) return;
    const attempt = job.retry_count + 1;
    try {
      const outcome = await this.jobs.generate({ now: new Date(), data: job.data, jobId, attempt });
      await this.queue.complete(JOB, jobId, outcome.result ?? {});
    } catch (error) {
      this.logger.warn({ err: error, job_id: jobId }, 'inline recurring generation failed; the job runner retries it');
      await this.queue.fail(JOB, jobId, error, job.retry_count >= job.retry_limit ? 0 : retryBackoffSeconds(attempt));
    }
  }

  /** pg-boss 10's own claim (plans.js fetchNextJob), narrowed to one job id. */
  private async claim(jobId: string): Promise<ClaimedJob | null> {
    const [rows]: [ClaimedJob[], number] = await this.dataSource.query(
      `UPDATE ${JOB_QUEUE_SCHEMA}.job SET state = 'active', started_on = now(),
         retry_count = CASE WHEN started_on IS NOT NULL THEN retry_count + 1 ELSE retry_count END
       WHERE name = $1 AND id = $2 AND state < 'active'
       RETURNING data, retry_count, retry_limit`,
      [JOB, jobId],
    );
    return rows[0] ?? null;
  }
}
