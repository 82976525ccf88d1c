import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { JOB_CATALOGUE, JobName } from '@app/core/jobs/job-catalogue';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { JobSchedule, parseSchedule } from '@app/core/jobs/job-schedule';

const TICK_MS = 1000;
const TICK_INTERVAL = 'job scheduler';

interface ScheduleEntry {
  name: JobName;
  schedule: JobSchedule;
  /** The last slot this process enqueued (or found enqueued), to skip it on the next ticks. */
  lastSlot?: number;
}

/**
 * The scheduler of docs/jobs.md §2, run by every runner: each second it takes the database clock and,
 * for every schedule, enqueues its latest slot with the dedupe key `<job>:<slot>`. The key makes
 * the slot's job unique across runners (one job per slot however many schedulers), and only the
 * latest slot is ever considered, so after downtime the most recent missed slot runs once and no
 * backlog is replayed.
 */
@Injectable()
export class JobScheduler {
  private readonly logger = new Logger(JobScheduler.name);
  private entries: ScheduleEntry[] = [];
  /** The tick in progress: a second's tick that finds it still running is skipped. */
  private ticking?: Promise<void>;

  constructor(
    private readonly queue: JobQueue,
    private readonly dataSource: DataSource,
    private readonly schedule: SchedulerRegistry,
  ) {}

  /** The schedules of these jobs are the ones `tick` enqueues. */
  plan(names: JobName[]): void {
    this.entries = names.flatMap((name) =>
      JOB_CATALOGUE[name].schedules.map((expression) => ({ name, schedule: parseSchedule(expression) })),
    );
  }

  start(names: JobName[]): void {
    this.plan(names);
    this.schedule.addInterval(
      TICK_INTERVAL,
      setInterval(() => this.tickOnDatabaseClock(), TICK_MS),
    );
    this.tickOnDatabaseClock();
  }

  async stop(): Promise<void> {
    if (this.schedule.doesExist('interval', TICK_INTERVAL)) this.schedule.deleteInterval(TICK_INTERVAL);
    await this.ticking;
  }

  /** Enqueues every schedule's latest slot at `now` that is not enqueued yet; returns the new dedupe keys. */
  async tick(now: Date): Promise<string[]> {
    const enqueued: string[] = [];
    for (const entry of this.entries) {
      const slot = entry.schedule.latestSlot(now);
      if (!slot || entry.lastSlot === slot.getTime()) continue;
      const key = `${entry.name}:${slot.toISOString()}`;
      const id = await this.queue.enqueue(
        null,
        entry.name,
        { slot: slot.toISOString(), schedule: entry.schedule.expression },
        { singletonKey: key },
      );
      entry.lastSlot = slot.getTime();
      if (id) enqueued.push(key);
    }
    if (enqueued.length > 0) this.logger.log({ slots: enqueued }, 'periodic jobs enqueued');
    return enqueued;
  }

  private tickOnDatabaseClock(): void {
    if (this.ticking) return;
    this.ticking = (async () => {
      try {
        const [{ now }]: Array<{ now: Date }> = await this.dataSource.query('SELECT now() AS now');
        await this.tick(now);
      } catch (error) {
        this.logger.error({ err: error }, 'scheduling periodic jobs failed');
      }
    })().finally(() => (this.ticking = undefined));
  }
}
