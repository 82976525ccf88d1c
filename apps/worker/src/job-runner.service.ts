import { Injectable, Logger } from '@nestjs/common';
import type PgBoss from 'pg-boss';
import { JobName, queueNames, scheduleQueues } from '@app/core/jobs/job-catalogue';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { JobExecutor } from './job-executor';
import { JobRegistry } from './job-registry';

const POLL_SECONDS = 1;

/**
 * The runner loop: pg-boss schedules (one job per cron slot across every runner) and workers
 * for each registered job. Stopping takes no new jobs and lets running ones finish.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private started = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly registry: JobRegistry,
    private readonly executor: JobExecutor,
  ) {}

  async start(): Promise<void> {
    const boss = this.queue.boss;
    for (const name of this.registry.names()) {
      for (const { queue, cron } of scheduleQueues(name)) await boss.schedule(queue, cron, {}, { tz: 'UTC' });
      for (const queue of queueNames(name)) {
        await boss.work<Record<string, unknown>>(
          queue,
          { pollingIntervalSeconds: POLL_SECONDS, batchSize: 1, includeMetadata: true },
          (jobs) => this.handle(name, jobs),
        );
      }
    }
    this.started = true;
    this.logger.log({ jobs: this.registry.names() }, 'job runner started');
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.queue.boss.stop({ graceful: true, wait: true, timeout: 8000 });
    this.started = false;
  }

  private async handle(name: JobName, jobs: Array<PgBoss.JobWithMetadata<Record<string, unknown>>>): Promise<void> {
    for (const job of jobs) {
      const attempt = job.retryCount + 1;
      await this.executor.execute(
        name,
        { now: new Date(), data: job.data ?? {}, jobId: job.id, attempt },
        attempt > job.retryLimit,
      );
    }
  }
}
