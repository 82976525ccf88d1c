import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';

const HEARTBEAT_MS = 15_000;
const HEARTBEAT_INTERVAL = 'heartbeat';

/** Writes `job_runner_heartbeats` every 15 s (docs/jobs.md §1); `/health/ready` reads it. */
@Injectable()
export class HeartbeatService implements OnModuleDestroy {
  readonly runnerId = `${hostname()}:${process.pid}`;
  private readonly logger = new Logger(HeartbeatService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly schedule: SchedulerRegistry,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    const timer = setInterval(
      () => void this.beat().catch((error: unknown) => this.logger.warn({ err: error }, 'heartbeat failed')),
      HEARTBEAT_MS,
    );
    timer.unref();
    this.schedule.addInterval(HEARTBEAT_INTERVAL, timer);
  }

  onModuleDestroy(): void {
    if (this.schedule.doesExist('interval', HEARTBEAT_INTERVAL)) this.schedule.deleteInterval(HEARTBEAT_INTERVAL);
  }

  private async beat(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at) VALUES ($1, now(), now())
       ON CONFLICT (runner_id) DO UPDATE SET last_seen_at = now()`,
      [this.runnerId],
    );
  }
}
