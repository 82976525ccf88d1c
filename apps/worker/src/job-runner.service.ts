import { Injectable, Logger } from '@nestjs/common';
import { JOB_NAMES } from '@app/core/jobs/job-catalogue';
import { BatchAssistant } from './batch-assistant';
import { JobClocks } from './job-clocks';
import { JobRegistry } from './job-registry';
import { JobScheduler } from './job-scheduler';
import { QueueConsumer } from './queue-consumer';
import { withTimeout } from './timing';

/** Time running jobs get to finish at shutdown before their claims are released (the process exits within 10 s). */
export const SHUTDOWN_GRACE_MS = 6000;

/**
 * The runner (docs/jobs.md §1): the scheduler (one job per schedule slot across all runners), the
 * queue consumer (claims and executes jobs, 4 at a time), the job clocks (the reminder clock: reminders
 * within 2 s) and the batch assistant (helps with other runners' batched jobs). Stopping takes no new work, lets running jobs finish within the grace period and gives
 * the unfinished ones back to the queue.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);
  private started = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly scheduler: JobScheduler,
    private readonly consumer: QueueConsumer,
    private readonly clocks: JobClocks,
    private readonly batchAssistant: BatchAssistant,
  ) {}

  async start(): Promise<void> {
    const names = this.registry.names();
    const missing = JOB_NAMES.filter((name) => !names.includes(name));
    if (missing.length > 0)
      this.logger.warn({ jobs: missing }, 'jobs without a handler are neither scheduled nor consumed');
    this.scheduler.start(names);
    this.consumer.start(names);
    await this.clocks.start(this.registry.clocks().filter((clock) => names.includes(clock.job)));
    this.batchAssistant.start();
    this.started = true;
    this.logger.log({ jobs: names }, 'job runner started');
  }

  async stop(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const deadline = Date.now() + graceMs;
    await this.scheduler.stop();
    await Promise.all([
      this.consumer.stop(Math.max(0, deadline - Date.now())),
      // A reminder run cut short is harmless: each reminder is its own transaction.
      withTimeout(this.clocks.stop(), Math.max(0, deadline - Date.now())),
      // An unfinished batch rolls back and stays free for the runner that started the run.
      withTimeout(this.batchAssistant.stop(), Math.max(0, deadline - Date.now())),
    ]);
    this.logger.log('job runner stopped');
  }
}
