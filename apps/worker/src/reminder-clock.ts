import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ReminderFiringRepository } from '@app/jobs/reminder-firing.repository';
import { JobExecutor } from './job-executor';
import { Wakeable } from './timing';

/** Channel notified by the `reminders_due` trigger (migration 1767312000000) at commit. */
const REMINDERS_CHANNEL = 'reminders_due';
/** Re-reads the earliest pending reminder at least this often (missed notifications, other clocks). */
const POLL_MS = 1000;
const RECONNECT_MS = 5000;

/**
 * Fires reminders on time (docs/rules.md §7, SC-012: within 2 s, never early): a timer armed for the
 * earliest pending `scheduled_at` (partial index), re-read every second and at once when the
 * database notifies a new or moved reminder. Due reminders are fired by the `reminder_fire`
 * handler without the job's lock: its batches are claimed with `SKIP LOCKED`, so the clocks of
 * several runners share a burst instead of waiting for each other.
 */
@Injectable()
export class ReminderClock {
  private readonly logger = new Logger(ReminderClock.name);
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private listener?: Client;
  private lastConnectAttempt = 0;
  private readonly idle = new Wakeable();

  constructor(
    private readonly dataSource: DataSource,
    private readonly reminders: ReminderFiringRepository,
    private readonly executor: JobExecutor,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.idle.wake();
    await this.loopDone;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (!this.listener && Date.now() - this.lastConnectAttempt >= RECONNECT_MS) await this.listen();
        const next = await this.reminders.nextPendingAt();
        const now = new Date();
        if (next && next.getTime() <= now.getTime()) {
          await this.fire(now);
          // Still due after the run: locked by another transaction or failing; try again shortly.
          const again = await this.reminders.nextPendingAt();
          if (again && again.getTime() <= now.getTime()) await this.idle.sleep(POLL_MS);
          continue;
        }
        await this.idle.sleep(next ? Math.min(POLL_MS, next.getTime() - now.getTime()) : POLL_MS);
      } catch (error) {
        this.logger.error({ err: error }, 'reminder clock failed; retrying');
        await this.idle.sleep(POLL_MS);
      }
    }
  }

  private async fire(now: Date): Promise<void> {
    await this.executor.execute('reminder_fire', { now, data: {}, jobId: null, attempt: 1 });
  }

  /** LISTEN on a connection of its own; losing it only degrades the clock to its 1-s poll. */
  private async listen(): Promise<void> {
    this.lastConnectAttempt = Date.now();
    const url = (this.dataSource.options as { url?: string }).url;
    const client = new Client({ connectionString: url, application_name: 'perpetua-reminder-clock' });
    client.on('notification', () => this.idle.wake());
    client.on('error', (error: Error) => {
      this.logger.warn({ err: error }, 'reminder notifications lost; polling until reconnected');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REMINDERS_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not listen for reminder changes; polling every second');
      await client.end().catch(() => undefined);
    }
  }
}
