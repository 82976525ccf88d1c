import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { JobName } from '@app/core/jobs/job-catalogue';
import { JobQueue, QueuedJob } from '@app/core/jobs/job-queue.service';
import { QueuedJobProcessor } from './queued-job-processor';
import { Wakeable, withTimeout } from './timing';

/** docs/jobs.md §1: at most `JOB_CONCURRENCY` jobs at once per process, a poll every second while idle. */
const IDLE_POLL_MS = 1000;

/**
 * The runner's workers: claims due jobs of every handled queue (round robin, never more than the
 * concurrency in flight) and hands each to the processor. Stopping claims nothing more, lets
 * running jobs finish within the grace period and releases the rest.
 */
@Injectable()
export class QueueConsumer {
  private readonly logger = new Logger(QueueConsumer.name);
  private readonly inFlight = new Map<string, { job: QueuedJob; done: Promise<void> }>();
  private readonly idle = new Wakeable();
  private names: JobName[] = [];
  private rotation = 0;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly concurrency: number;

  constructor(
    private readonly queue: JobQueue,
    private readonly processor: QueuedJobProcessor,
    config: AppConfig,
  ) {
    this.concurrency = config.JOB_CONCURRENCY;
  }

  start(names: JobName[]): void {
    this.names = names;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Claims nothing more; waits up to `graceMs` for running jobs, then releases the others. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.idle.wake();
    await this.loopDone;
    const running = [...this.inFlight.values()];
    if (running.length === 0) return;
    await withTimeout(Promise.all(running.map((entry) => entry.done)), graceMs);
    await this.processor.abandon([...this.inFlight.values()].map((entry) => entry.job));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        for (let i = 0; i < this.names.length && this.running; i++) {
          const free = this.concurrency - this.inFlight.size;
          if (free <= 0) break;
          const name = this.names[(this.rotation + i) % this.names.length];
          for (const job of await this.queue.fetch(name, free)) {
            this.launch(job);
            claimed++;
          }
        }
        this.rotation = (this.rotation + 1) % Math.max(1, this.names.length);
      } catch (error) {
        this.logger.error({ err: error }, 'claiming jobs failed');
      }
      if (!this.running) break;
      // More may be waiting while there is room; otherwise poll again in a second or once a job ends.
      if (claimed > 0 && this.inFlight.size < this.concurrency) continue;
      await this.idle.sleep(IDLE_POLL_MS);
    }
  }

  private launch(job: QueuedJob): void {
    const done = this.processor
      .process(job)
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error({ err: error, job: job.name, job_id: job.id }, 'job processing crashed'),
      )
      .finally(() => {
        this.inFlight.delete(job.id);
        this.idle.wake();
      });
    this.inFlight.set(job.id, { job, done });
  }
}
