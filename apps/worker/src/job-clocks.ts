import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobExecutor } from './job-executor';
import { DeclaredJobClock } from './job-registry';
import { Wakeable } from './timing';

/** Re-reads the next due instant at least this often (missed notifications, other clocks). */
const POLL_MS = 1000;
const RECONNECT_MS = 5000;

/**
 * Runs the jobs declared with `@JobClock` on time (the reminder clock: docs/rules.md §7, SC-012:
 * within 2 s, never early): a timer armed for the clock's next due instant, re-read every second
 * (the safety interval) and at once when the database notifies its channel. The job runs without
 * its lock: `reminder_fire` claims its batches with `SKIP LOCKED`, so the clocks of several runners
 * share a burst instead of waiting for each other.
 */
@Injectable()
export class JobClocks {
  private loops: ClockLoop[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: JobExecutor,
    private readonly schedule: SchedulerRegistry,
  ) {}

  async start(clocks: DeclaredJobClock[]): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    this.loops = clocks.map((clock) => new ClockLoop(clock, url, this.executor, this.schedule));
    await Promise.all(this.loops.map((loop) => loop.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    this.loops = [];
  }
}

class ClockLoop {
  private readonly logger: Logger;
  private readonly intervalName: string;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private listener?: Client;
  private lastConnectAttempt = 0;
  private readonly idle = new Wakeable();

  constructor(
    private readonly clock: DeclaredJobClock,
    private readonly databaseUrl: string | undefined,
    private readonly executor: JobExecutor,
    private readonly schedule: SchedulerRegistry,
  ) {
    this.logger = new Logger(`JobClock:${clock.job}`);
    this.intervalName = `${clock.job} clock`;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.schedule.addInterval(
      this.intervalName,
      setInterval(() => this.idle.wake(), POLL_MS),
    );
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.schedule.doesExist('interval', this.intervalName)) this.schedule.deleteInterval(this.intervalName);
    this.idle.wake();
    await this.loopDone;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /** Between two re-reads it sleeps until the safety interval wakes it, or until the due instant if that comes first. */
  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (!this.listener && Date.now() - this.lastConnectAttempt >= RECONNECT_MS) await this.listen();
        const next = await this.clock.nextDueAt();
        const now = new Date();
        if (next && next.getTime() <= now.getTime()) {
          await this.fire(now);
          // Still due after the run: locked by another transaction or failing; try again at the next interval.
          const again = await this.clock.nextDueAt();
          if (again && again.getTime() <= now.getTime()) await this.idle.sleep();
          continue;
        }
        const wait = next ? next.getTime() - now.getTime() : POLL_MS;
        await this.idle.sleep(wait < POLL_MS ? wait : undefined);
      } catch (error) {
        this.logger.error({ err: error }, `${this.clock.job} clock failed; retrying`);
        await this.idle.sleep();
      }
    }
  }

  private async fire(now: Date): Promise<void> {
    await this.executor.execute(this.clock.job, { now, data: {}, jobId: null, attempt: 1 });
  }

  /** LISTEN on a connection of its own; losing it only degrades the clock to its 1-s poll. */
  private async listen(): Promise<void> {
    this.lastConnectAttempt = Date.now();
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: `perpetua-clock-${this.clock.job}`,
    });
    client.on('notification', () => this.idle.wake());
    client.on('error', (error: Error) => {
      this.logger.warn({ err: error }, 'clock notifications lost; polling until reconnected');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.clock.channel}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not listen for clock changes; polling every second');
      await client.end().catch(() => undefined);
    }
  }
}
