import { Injectable, Logger } from '@nestjs/common';
import { JobName } from '@app/core/jobs/job-catalogue';
import { JobContext, JobResult } from '@app/core/jobs/job-handler.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { JobRegistry } from './job-registry';

export class UnknownJobError extends Error {}

/**
 * Runs one handler with its context and writes the structured log line and the
 * `jobs_processed_total` metric of docs/jobs.md §1; a failure of a final attempt is the dead-letter
 * signal (outcome `dead`, error log line).
 */
@Injectable()
export class JobExecutor {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly registry: JobRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async execute(name: JobName, context: JobContext, finalAttempt = false): Promise<JobResult> {
    const handler = this.registry.get(name);
    if (!handler) throw new UnknownJobError(`No handler registered for job ${name}`);
    const started = Date.now();
    const base = { job: name, job_id: context.jobId, attempt: context.attempt, now: context.now.toISOString() };
    try {
      const outcome = await handler(context);
      this.metrics.jobsProcessed.inc({ job: name, outcome: outcome.status });
      this.logger.log(
        { ...base, outcome: outcome.status, duration_ms: Date.now() - started, result: outcome.result },
        `job ${name} ${outcome.status}`,
      );
      return outcome;
    } catch (error) {
      const outcome = finalAttempt ? 'dead' : 'failed';
      this.metrics.jobsProcessed.inc({ job: name, outcome });
      const log = { ...base, outcome, duration_ms: Date.now() - started, err: error };
      if (finalAttempt) this.logger.error(log, `job ${name} is dead after ${context.attempt} attempt(s)`);
      else this.logger.warn(log, `job ${name} failed (attempt ${context.attempt})`);
      throw error;
    }
  }
}
