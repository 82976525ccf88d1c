import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { RecurringJobs } from './recurring.jobs';

const JOB = 'recurring_task_generate';

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
    private readonly queue: JobQueue,
    private readonly jobs: RecurringJobs,
  ) {}

  async attempt(jobId: string | null): Promise<void> {
    if (!jobId) return;
    const job = await this.queue.claim(JOB, jobId);
    if (!job) return;
    try {
      const outcome = await this.jobs.generate({ now: new Date(), data: job.data, jobId, attempt: job.attempt });
      await this.queue.complete(job, outcome.result ?? {});
    } catch (error) {
      this.logger.warn({ err: error, job_id: jobId }, 'inline recurring generation failed; the job runner retries it');
      await this.queue.fail(job, error);
    }
  }
}
