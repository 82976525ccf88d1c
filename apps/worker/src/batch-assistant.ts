import { Injectable, Logger } from '@nestjs/common';
import { BatchedRuns } from '@app/core/jobs/batched-runs';
import { Wakeable } from './timing';

/** How often an idle runner looks for batched runs it can help with. */
const POLL_MS = 1000;

/**
 * Lets this runner help with the batched runs other runners started (docs/jobs-batches.md): it
 * claims free batches of any open run, so adding a runner shortens a large job's run.
 */
@Injectable()
export class BatchAssistant {
  private readonly logger = new Logger(BatchAssistant.name);
  private readonly idle = new Wakeable();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly runs: BatchedRuns) {}

  start(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  /** A batch in progress finishes (its transaction commits) before the loop ends. */
  async stop(): Promise<void> {
    this.running = false;
    this.idle.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const done = await this.runs.assist(() => this.running);
        if (done > 0) this.logger.log({ batches: done }, 'helped with batched job runs');
      } catch (error) {
        this.logger.error({ err: error }, 'helping with batched job runs failed; retrying');
      }
      await this.idle.sleep(POLL_MS);
    }
  }
}
